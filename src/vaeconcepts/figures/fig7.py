"""Figure 7: test ELBO (eq. 2) vs N_z, the best learning rate and batch size of each N_z."""

from __future__ import annotations

import pandas as pd

from .style import COLUMN_WIDTH, plt


def plot(best: pd.DataFrame) -> plt.Figure:
    """best: one row per N_z (nz, test_elbo, lr, batch_size, epochs)."""
    best = best.sort_values("nz")
    fig, ax = plt.subplots(figsize=(COLUMN_WIDTH, 2.4))
    ax.plot(best["nz"], best["test_elbo"], "o-", color="k", ms=3.5, lw=1)
    ax.set_xscale("log")
    ticks = [
        n for n in (2, 5, 10, 20, 50, 100, 200, 500) if best["nz"].min() <= n <= best["nz"].max()
    ]
    ax.set_xticks(ticks or best["nz"].tolist())
    ax.set_xticklabels([str(n) for n in (ticks or best["nz"].tolist())])
    ax.minorticks_off()
    ax.set_xlabel("$N_z$")
    ax.set_ylabel(r"test ELBO $\mathcal{L}$ (nats per image)")
    ax.grid(alpha=0.3, lw=0.5)
    epochs = sorted(best["epochs"].unique())
    ax.set_title(f"best of lr × batch size, epoch {', '.join(map(str, epochs))}")
    return fig
