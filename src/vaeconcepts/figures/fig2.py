"""Fig. 2: distance to the concept ||z(t) - concept_k||, eq. (10), vs t for every label."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import MaxNLocator

from .style import FULL_WIDTH


def plot(
    curves: pd.DataFrame, labels: list[int], ncols: int = 5, names: list[str] | None = None
) -> plt.Figure:
    """One panel per label: mean over trials, +-1 SEM shade; `curves` has label, t, mean, sem.
    `names`: the class names (default: the label numbers)."""
    nrows = math.ceil(len(labels) / ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(FULL_WIDTH, 1.45 * nrows + 0.2), sharex=True, squeeze=False
    )
    for ax, label in zip(axes.flat, labels, strict=False):
        c = curves[curves["label"] == label].sort_values("t")
        ax.fill_between(
            c["t"], c["mean"] - c["sem"], c["mean"] + c["sem"], color="C0", alpha=0.3, linewidth=0
        )
        ax.plot(c["t"], c["mean"], color="C0", linewidth=1)
        name = names[label] if names else str(label)
        ax.set_title(f"'{name}'", pad=2)  # a class name as long as 'Ankle boot' fits
        ax.margins(x=0)
        ax.yaxis.set_major_locator(MaxNLocator(4))
    for ax in axes.flat[len(labels) :]:
        ax.set_axis_off()
    for ax in axes[-1]:
        ax.set_xlabel("$t$")
    for ax in axes[:, 0]:  # one y label per row
        ax.set_ylabel("distance to the concept\n" r"$\|z(t)-\bar\xi_k\|_2$", labelpad=1)
    fig.tight_layout(pad=0.3, w_pad=0.6, h_pad=0.4)
    fig.text(0.5, 0, caption(curves), ha="center", va="top", fontsize=7)
    return fig


def caption(curves: pd.DataFrame) -> str:
    """What the panels show, as the paper's caption says it: N_z, p and the trials."""
    nz, p, n = (sorted(set(curves[k])) for k in ("nz", "p", "n"))
    trials = "/".join(f"{int(k):,}" for k in n)
    return (f"N_z = {'/'.join(map(str, nz))}, p = {'/'.join(f'{x:g}' for x in p)}: "
            f"lines, mean over trials; shades, ± 1 SEM over {trials} trials")  # fmt: skip
