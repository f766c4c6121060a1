"""Effect of N_z (sections 3.3, 3.4): onset of the approach to the concept, generalization."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .measures import dip


def onset_table(curves: pd.DataFrame) -> pd.DataFrame:
    """The dip (measures.dip) of each N_z's mean distance-to-concept curve, eq. (10).

    `curves` holds one curve per N_z (columns nz, t, mean, sem, n; p and label kept when
    present). `approaches`: depth > 0, the mean first nears the concept and then leaves it;
    `clear`: depth > 2 SEM of the curve at its minimum.
    """
    rows = []
    for nz, curve in curves.sort_values(["nz", "t"]).groupby("nz", sort=True):
        d = dip(curve["mean"].to_numpy())
        sem_min = float(curve["sem"].to_numpy()[d["t_min"]])
        keys = {k: curve[k].iloc[0] for k in ("p", "label") if k in curve}
        rows.append(
            dict(nz=int(nz), **keys, n=int(curve["n"].iloc[0]), **d, sem_at_min=sem_min,
                 approaches=d["depth"] > 0, clear=d["depth"] > 2 * sem_min)
        )  # fmt: skip
    return pd.DataFrame(rows)


def onset_nz(table: pd.DataFrame, column: str = "approaches") -> int | None:
    """Smallest N_z from which every larger N_z of the table has `column` true (None if none)."""
    onset = None
    for nz, flag in zip(table["nz"][::-1], table[column][::-1], strict=True):
        if not flag:
            break
        onset = int(nz)
    return onset


def lr_tag(lr: float) -> str:
    """A learning rate as written in sweep paths: shortest repr (0.001 -> '0.001')."""
    return f"{lr:g}"


def generalization_table(runs: pd.DataFrame) -> pd.DataFrame:
    """Sweep runs (nz, lr, batch_size, epochs, test_elbo) with `best` marking, per N_z, the
    condition of the highest finite test ELBO (eq. 2) at the last epoch (Fig. 7)."""
    table = runs.sort_values(["nz", "lr", "batch_size"]).reset_index(drop=True)
    table["best"] = False
    finite = table[np.isfinite(table["test_elbo"])]
    table.loc[finite.groupby("nz")["test_elbo"].idxmax().to_numpy(), "best"] = True
    return table


def best_per_nz(table: pd.DataFrame) -> pd.DataFrame:
    """The best run of every N_z of a generalization table."""
    return table[table["best"]].sort_values("nz").reset_index(drop=True)
