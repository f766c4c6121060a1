"""Onset table and generalization table (sections 3.3, 3.4)."""

import numpy as np
import pandas as pd
import pytest

from vaeconcepts.analysis.latent_size import (
    best_per_nz,
    generalization_table,
    onset_nz,
    onset_table,
    sweep_run,
)
from vaeconcepts.infra.paths import lr_tag, p_tag, round_trips


def curve_rows(nz, means, sem=0.1, label=6, p=0.2, n=300):
    return [dict(nz=nz, p=p, label=label, t=t, mean=m, sem=sem, n=n) for t, m in enumerate(means)]


@pytest.fixture
def distance_csv(tmp_path):
    """A hand-made distance_to_concept.csv: no dip at N_z = 2, a shallow one at 5, deep at 10."""
    rows = (
        curve_rows(2, [3.0, 3.2, 3.4, 3.5, 3.5])
        + curve_rows(5, [3.0, 2.95, 3.0, 3.1, 3.2])
        + curve_rows(10, [3.0, 2.0, 1.0, 2.0, 2.5])
    )
    path = tmp_path / "distance_to_concept.csv"
    pd.DataFrame(rows).sample(frac=1, random_state=0).to_csv(path, index=False)  # any row order
    return path


def test_onset_table_from_a_distance_csv(distance_csv):
    table = onset_table(pd.read_csv(distance_csv)).set_index("nz")
    assert list(table.index) == [2, 5, 10]
    assert table.loc[2, "depth"] == 0 and not table.loc[2, "approaches"]
    assert table.loc[5, "t_min"] == 1 and table.loc[5, "depth"] == pytest.approx(0.05)
    assert table.loc[5, "approaches"] and not table.loc[5, "clear"]  # 0.05 < 2 SEM
    row = table.loc[10]
    assert (row.t_min, row.d0, row.d_min, row.d_T) == (2, 3.0, 1.0, 2.5)
    assert (row.approach, row.rise, row.depth, row.rel_depth) == (2.0, 1.5, 1.5, 1.5)
    assert row.approaches and row.clear and row.label == 6 and row.p == 0.2 and row.n == 300
    assert onset_nz(table.reset_index()) == 5
    assert onset_nz(table.reset_index(), "clear") == 10


def test_onset_nz_needs_every_larger_nz():
    table = pd.DataFrame(dict(nz=[2, 5, 6, 7], approaches=[False, True, False, True]))
    assert onset_nz(table) == 7
    assert onset_nz(table.assign(approaches=False)) is None


def test_generalization_table_marks_the_best_finite_run():
    runs = pd.DataFrame(
        dict(nz=[2, 2, 2, 5, 5], lr=[0.01, 0.001, 0.0001, 0.01, 0.001],
             batch_size=100, epochs=3, test_elbo=[np.nan, -150.0, -160.0, np.nan, np.nan])
    )  # fmt: skip
    table = generalization_table(runs)
    assert table["best"].tolist() == [False, True, False, False, False]
    best = best_per_nz(table)
    assert best[["nz", "lr", "test_elbo"]].values.tolist() == [[2, 0.001, -150.0]]


def test_a_sweep_run_is_its_last_epoch_and_a_diverged_one_has_no_elbo():
    history = pd.DataFrame(
        dict(epoch=[1, 2], nz=14, lr=0.001, batch_size=200, train_elbo=[-120.0, -110.0],
             train_objective=[-120.0, -110.0], test_elbo=[-118.0, -108.0])
    )  # fmt: skip
    run = sweep_run(history)
    assert run == dict(nz=14, lr=0.001, batch_size=200, epochs=2, test_elbo=-108.0,
                       diverged=False)  # fmt: skip
    history.loc[1, "train_objective"] = np.nan
    run = sweep_run(history)
    assert run["diverged"] and np.isnan(run["test_elbo"]) and run["epochs"] == 2


def test_lr_tag_round_trips():
    for lr in (0.01, 0.001, 1e-4, 5e-5, 0.0003):
        assert float(lr_tag(lr)) == lr
    assert lr_tag(0.001) == "0.001" and lr_tag(1e-4) == "0.0001"
    assert not round_trips(0.0012345678, lr_tag)  # written 0.00123457: another value
    assert p_tag(0.2) == "0.20" and round_trips(0.35, p_tag) and not round_trips(0.104, p_tag)
