"""Tidy (long-format) tables of the measures: one row per measured value, `mean, sem, n`."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from vaeconcepts.infra.paths import p_tag
from vaeconcepts.paper import measures


def select(table: pd.DataFrame, nz=None, p=None, label=None) -> pd.DataFrame:
    """The rows of `table` at N_z `nz` (one or a list), noise fraction `p` and `label`, each
    where given; p is matched by its file-name tag (paths.p_tag), as its files are named."""
    keep = pd.Series(True, index=table.index)
    if nz is not None:
        keep &= table["nz"].isin(nz if isinstance(nz, list | tuple) else [nz])
    if p is not None:
        keep &= table["p"].map(p_tag) == p_tag(p)
    if label is not None:
        keep &= table["label"] == label
    return table[keep]


def concept_curve(z: np.ndarray, concept: np.ndarray) -> pd.DataFrame:
    """Mean and SEM over trials of ||z(t) - concept|| per t, eq. (10); columns t, mean, sem, n."""
    mean, sem, n = measures.mean_sem(measures.distance(z, concept))
    return pd.DataFrame({"t": np.arange(len(mean)), "mean": mean, "sem": sem, "n": n})


def concept_dips(curves: pd.DataFrame, keys: Sequence[str] = ("nz", "p", "label")) -> pd.DataFrame:
    """measures.dip of the mean curve (and its SEM) of every group `keys` (rows in t order)."""
    rows = []
    for key, group in curves.sort_values([*keys, "t"]).groupby(list(keys), sort=True):
        rows.append(
            {
                **dict(zip(keys, key, strict=True)),
                "n": int(group["n"].iloc[0]),
                **measures.dip(group["mean"].to_numpy(), group["sem"].to_numpy()),
            }
        )
    return pd.DataFrame(rows)


def min_distances(
    z: np.ndarray, memory: np.ndarray, concept: np.ndarray, abstract_concept: np.ndarray
) -> pd.DataFrame:
    """Mean and SEM over trials of min_t ||z(t) - xi||, eq. (13), for the three targets.

    `memory` holds one memory per trial (n, N_z): that of the trial's source image.
    """
    targets = {"memory": memory, "concept": concept, "abstract_concept": abstract_concept}
    rows = []
    for name in measures.TARGETS:
        mean, sem, n = measures.mean_sem(measures.min_distance(z, targets[name]))
        rows.append({"target": name, "mean": float(mean), "sem": float(sem), "n": n})
    return pd.DataFrame(rows)


def stages(min_dist: pd.DataFrame, keys: Sequence[str] = ("nz", "p", "label")) -> pd.DataFrame:
    """The stage (I, II, III) of every group `keys`: its target with the smallest mean."""
    rows = []
    for key, group in min_dist.groupby(list(keys), sort=True):
        means = dict(zip(group["target"], group["mean"], strict=True))
        stage = measures.stage(means)
        target = {v: k for k, v in measures.STAGES.items()}[stage]
        rows.append({**dict(zip(keys, key, strict=True)), "stage": stage, "target": target})
    return pd.DataFrame(rows)


def cosine_table(concepts: np.ndarray) -> pd.DataFrame:
    """C_ij of eq. (11) in long form: columns i, j, cosine."""
    c = measures.cosine_matrix(concepts)
    i, j = np.meshgrid(np.arange(len(c)), np.arange(len(c)), indexing="ij")
    return pd.DataFrame({"i": i.ravel(), "j": j.ravel(), "cosine": c.ravel()})


def unit_table(
    memories: np.ndarray, threshold: float, unit_kl: np.ndarray, concepts: np.ndarray
) -> pd.DataFrame:
    """Each latent unit: Var_x(mu_j(x)) and whether it is active (Fig. 3a), and the two other
    definitions in use: mean KL (`kl`, `active_kl`) and max_k |concept_kj| (`active_concept`)."""
    var = measures.unit_variances(memories)
    return pd.DataFrame(
        {
            "unit": np.arange(len(var)),
            "variance": var,
            "active": measures.active_units(memories, threshold),
            "kl": np.asarray(unit_kl, dtype=np.float64),
            "active_kl": measures.active_units_kl(unit_kl),
            "concept_max": np.abs(np.asarray(concepts, dtype=np.float64)).max(axis=0),
            "active_concept": measures.active_units_concept(concepts),
        }
    )


def pca_table(memories: np.ndarray) -> pd.DataFrame:
    """Explained-variance ratio of each principal component (1-based) and the cumulative ratio."""
    ratios, _ = measures.pca(memories, n_components=0)
    return pd.DataFrame(
        {
            "component": np.arange(1, len(ratios) + 1),
            "ratio": ratios,
            "cumulative": np.cumsum(ratios),
        }
    )


def level_name(level: float) -> str:
    """Column name of a PCA level: 0.7 -> 'pca_70', 0.99 -> 'pca_99'."""
    return f"pca_{100 * level:g}".replace(".", "_")


def latent_summary(
    units: pd.DataFrame, pca: pd.DataFrame, cosine: pd.DataFrame, levels: Sequence[float]
) -> dict[str, object]:
    """One row from the unit, PCA and cosine tables: active units, PCA counts, mean |C_ij|."""
    ratios = pca.sort_values("component")["ratio"].to_numpy()
    matrix = cosine.pivot(index="i", columns="j", values="cosine").to_numpy()
    row: dict[str, object] = {
        "n_active": int(units["active"].sum()),
        "n_active_kl": int(units["active_kl"].sum()),
        "n_active_concept": int(units["active_concept"].sum()),
    }
    row.update({level_name(lv): measures.components_for(ratios, lv) for lv in levels})
    row["mean_abs_offdiag_cosine"] = measures.mean_abs_offdiagonal(matrix)
    return row
