"""Effect of N_z (sections 3.3, 3.4): onset of the approach to the concept, generalization."""

from __future__ import annotations

import numpy as np
import pandas as pd

from vaeconcepts.analysis.tables import concept_dips
from vaeconcepts.training.epochs import divergence


def onset_table(curves: pd.DataFrame) -> pd.DataFrame:
    """The dip (measures.dip) of each N_z's mean distance-to-concept curve, eq. (10).

    `curves` holds one curve per N_z (columns nz, p, label, t, mean, sem, n).
    `approaches`: depth > 0, the mean first nears the concept and then leaves it;
    `clear`: depth > 2 SEM of the curve at its minimum.
    """
    table = concept_dips(curves)
    return table.assign(approaches=table["depth"] > 0)


def onset_nz(table: pd.DataFrame, column: str = "approaches") -> int | None:
    """Smallest N_z from which every larger N_z of the table has `column` true (None if none)."""
    onset = None
    for nz, flag in zip(table["nz"][::-1], table[column][::-1], strict=True):
        if not flag:
            break
        onset = int(nz)
    return onset


def sweep_run(history: pd.DataFrame) -> dict:
    """One sweep run's row of Fig. 7 from its history: the test ELBO at the last epoch, NaN
    when that epoch diverged (its losses are not finite)."""
    last = history.iloc[-1]
    diverged = divergence(last.to_dict()) is not None
    return dict(nz=int(last.nz), lr=float(last.lr), batch_size=int(last.batch_size),
                epochs=int(last.epoch),
                test_elbo=float("nan") if diverged else float(last.test_elbo),
                diverged=diverged)  # fmt: skip


def generalization_table(runs: pd.DataFrame) -> pd.DataFrame:
    """Sweep runs (nz, lr, batch_size, epochs, test_elbo[, diverged]) with `best` marking, per
    N_z, the condition of the highest finite test ELBO (eq. 2) at the last epoch (Fig. 7), and
    `n_diverged`, the runs of that N_z that diverged."""
    table = runs.sort_values(["nz", "lr", "batch_size"]).reset_index(drop=True)
    if "diverged" not in table:
        table["diverged"] = ~np.isfinite(table["test_elbo"])
    table["n_diverged"] = table.groupby("nz")["diverged"].transform("sum").astype(int)
    table["best"] = False
    finite = table[np.isfinite(table["test_elbo"])]
    table.loc[finite.groupby("nz")["test_elbo"].idxmax().to_numpy(), "best"] = True
    return table


def best_per_nz(table: pd.DataFrame) -> pd.DataFrame:
    """The best run of every N_z of a generalization table."""
    return table[table["best"]].sort_values("nz").reset_index(drop=True)
