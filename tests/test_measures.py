"""Measures and tables against direct numpy computations on small random arrays."""

import numpy as np
import pandas as pd
import pytest

from vaeconcepts.analysis import tables
from vaeconcepts.figures.fig1 import grid_shape
from vaeconcepts.figures.fig4 import stage_spans
from vaeconcepts.paper import measures

rng = np.random.default_rng(0)
Z = rng.normal(size=(7, 5, 4))  # (n trials, T+1, N_z)
C = rng.normal(size=(10, 4))  # concepts
M = rng.normal(size=(200, 4)) * np.array([3.0, 1.0, 0.05, 0.001])  # memories


def test_distance_to_one_target():
    expected = np.array(
        [[np.sqrt(np.sum((Z[i, t] - C[3]) ** 2)) for t in range(5)] for i in range(7)]
    )
    np.testing.assert_allclose(measures.distance(Z, C[3]), expected)


def test_distance_to_one_target_per_trial():
    mem = rng.normal(size=(7, 4))
    expected = np.array([[np.linalg.norm(Z[i, t] - mem[i]) for t in range(5)] for i in range(7)])
    np.testing.assert_allclose(measures.distance(Z, mem), expected)
    np.testing.assert_allclose(measures.min_distance(Z, mem), expected.min(axis=1))


def test_mean_sem():
    v = rng.normal(size=(9, 3))
    mean, sem, n = measures.mean_sem(v)
    np.testing.assert_allclose(mean, v.mean(0))
    np.testing.assert_allclose(sem, v.std(0, ddof=1) / 3)
    assert n == 9


def test_cosine_matrix():
    expected = np.array([[a @ b / np.linalg.norm(a) / np.linalg.norm(b) for b in C] for a in C])
    np.testing.assert_allclose(measures.cosine_matrix(C), expected)
    off = expected[~np.eye(10, dtype=bool)]
    assert measures.mean_abs_offdiagonal(expected) == pytest.approx(np.abs(off).mean())


def test_active_units():
    var = ((M - M.mean(0)) ** 2).mean(0)
    np.testing.assert_allclose(measures.unit_variances(M), var)
    assert measures.active_units(M, 0.01).tolist() == list(var > 0.01) == [True, True, False, False]


def test_pca_ratios_match_covariance_eigenvalues():
    x = M @ rng.normal(size=(4, 4))
    eig = np.linalg.eigh(np.cov(x, rowvar=False))[0][::-1]
    ratios, proj = measures.pca(x, n_components=2)
    np.testing.assert_allclose(ratios, eig / eig.sum(), rtol=1e-8, atol=1e-12)
    assert proj.shape == (200, 2)
    np.testing.assert_allclose(proj.var(0, ddof=1), eig[:2], rtol=1e-8)


def test_components_for():
    ratios = np.array([0.5, 0.2, 0.2, 0.1])
    assert [measures.components_for(ratios, lv) for lv in (0.5, 0.7, 0.71, 0.9, 0.99, 1.0)] == [
        1,
        2,
        3,
        3,
        4,
        4,
    ]


def test_dip():
    d = measures.dip(np.array([5.0, 3.0, 1.0, 2.0, 4.0, 3.5]))
    assert d["t_min"] == 2 and d["d_min"] == 1 and d["d0"] == 5 and d["d_T"] == 3.5
    assert d["approach"] == 4 and d["rise"] == 3 and d["depth"] == 3 and d["rel_depth"] == 3
    flat = measures.dip(np.array([1.0, 2.0, 3.0]))  # moves away at once: no dip
    assert flat["t_min"] == 0 and flat["depth"] == 0 and "clear" not in flat
    curve = np.array([5.0, 3.0, 1.0, 2.0])  # approach 4, rise 1: depth 1
    assert measures.dip(curve, np.full(4, 0.49))["clear"]  # 1 > 2 x 0.49
    assert not measures.dip(curve, np.full(4, 0.5))["clear"]  # not > 2 SEM
    assert measures.dip(curve, np.array([9.0, 9.0, 0.1, 9.0]))["sem_at_min"] == 0.1


def test_stage():
    assert measures.stage({"memory": 1, "concept": 2, "abstract_concept": 3}) == "I"
    assert measures.stage({"memory": 3, "concept": 2, "abstract_concept": 3}) == "II"
    assert measures.stage({"memory": 3, "concept": 2, "abstract_concept": 1}) == "III"


def test_concept_curve_and_dips():
    curve = tables.concept_curve(Z, C[0])
    d = np.linalg.norm(Z - C[0], axis=-1)
    assert list(curve.columns) == ["t", "mean", "sem", "n"] and (curve["n"] == 7).all()
    np.testing.assert_allclose(curve["mean"], d.mean(0))
    np.testing.assert_allclose(curve["sem"], d.std(0, ddof=1) / np.sqrt(7))
    dips = tables.concept_dips(curve.assign(nz=4, p=0.2, label=0))
    assert dips.loc[0, "t_min"] == np.argmin(d.mean(0)) and dips.loc[0, "n"] == 7


def test_min_distances_and_stages():
    mem = Z[:, 0]  # z(0) is the memory when p = 0
    table = tables.min_distances(Z, mem, C[1], C.mean(0))
    assert list(table.target) == ["memory", "concept", "abstract_concept"]
    assert table.loc[0, "mean"] == 0
    expected = np.linalg.norm(Z - C[1], axis=-1).min(1)
    assert table.loc[1, "mean"] == pytest.approx(expected.mean())
    assert table.loc[1, "sem"] == pytest.approx(expected.std(ddof=1) / np.sqrt(7))
    st = tables.stages(table.assign(nz=4, p=0.0, label=1))
    assert st.loc[0, "stage"] == "I" and st.loc[0, "target"] == "memory"


def test_latent_tables():
    cos = tables.cosine_table(C)
    assert len(cos) == 100 and cos.query("i == 2 and j == 5")["cosine"].item() == pytest.approx(
        C[2] @ C[5] / np.linalg.norm(C[2]) / np.linalg.norm(C[5])
    )
    kl = np.array([0.5, 0.02, 0.01, 0.0])  # nats per unit
    units = tables.unit_table(M, 0.01, kl, C)
    assert units["active"].sum() == 2
    assert units["active_kl"].tolist() == [True, True, False, False]  # > 0.01 nats
    np.testing.assert_allclose(units["concept_max"], np.abs(C).max(axis=0))
    assert units["active_concept"].tolist() == list(np.abs(C).max(axis=0) > 0.1)
    pca = tables.pca_table(M)
    assert pca["component"].tolist() == [1, 2, 3, 4] and pca["cumulative"].iloc[-1] == 1
    row = tables.latent_summary(units, pca, cos, [0.7, 0.99])
    assert row["n_active"] == 2 and row["pca_70"] == 1 and row["pca_99"] == 2
    assert row["n_active_kl"] == 2 and row["n_active_concept"] == units["active_concept"].sum()
    assert tables.level_name(0.7) == "pca_70" and tables.level_name(0.995) == "pca_99_5"


def test_stage_spans():
    st = pd.DataFrame({"p": [0.0, 0.1, 0.2, 0.3], "stage": ["I", "II", "II", "III"]})
    spans = stage_spans(st)
    assert [s[0] for s in spans] == ["I", "II", "III"]
    np.testing.assert_allclose([s[1:] for s in spans], [[-0.05, 0.05], [0.05, 0.25], [0.25, 0.35]])


def test_grid_shape():
    assert grid_shape(81) == (9, 9) and grid_shape(21) == (3, 7)
    for n in range(1, 100):
        rows, cols = grid_shape(n)
        assert rows * cols >= n > (rows - 1) * cols


def test_mean_sem_of_no_trials_is_empty_without_a_warning():
    """No trial stays the label (Fig. B.2b's 'stays' group): NaN cells and n = 0, no warning."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mean, sem, n = measures.mean_sem(np.zeros((0, 4)))
    assert n == 0 and np.isnan(mean).all() and np.isnan(sem).all() and mean.shape == (4,)


def test_select_matches_p_by_its_file_name_tag():
    table = pd.DataFrame({"nz": [2, 2, 5, 5], "p": [0.2, 0.1 + 0.1, 0.25, 0.2],
                          "label": [6, 7, 6, 6]})  # fmt: skip
    assert tables.select(table, p=0.2).index.tolist() == [0, 1, 3]  # 0.1 + 0.1 is 0.20
    assert tables.select(table, nz=2, p=0.2, label=6).index.tolist() == [0]
    assert tables.select(table, nz=[2, 5], label=6).index.tolist() == [0, 2, 3]
    assert tables.select(table, p=0.3).empty
