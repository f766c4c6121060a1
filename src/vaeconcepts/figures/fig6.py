"""Figure 6: distance to the concept vs t (a-e) and cosine of concepts (f-j) for each N_z."""

from __future__ import annotations

import string

import numpy as np
import pandas as pd

from .style import FULL_WIDTH, plt


def distance_label(label: int) -> str:
    """The y label of a distance-to-concept curve, eq. (10)."""
    return rf"$\|\mathbf{{z}}(t) - \bar{{\xi}}_{{{label}}}\|_2$"


def plot(
    curves: pd.DataFrame, cosines: dict[int, np.ndarray], label: int, name: str | None = None
) -> plt.Figure:
    """Top row: mean +- SEM of ||z(t) - concept|| per N_z (curves: nz, t, mean, sem).
    Bottom row: the cosine matrix C_ij of eq. (11) of the same models."""
    nzs = sorted(cosines)
    width = min(FULL_WIDTH, 0.6 + 1.35 * len(nzs))
    fig, axes = plt.subplots(
        2, len(nzs), figsize=(width, 3.0), squeeze=False, layout="constrained",
        gridspec_kw=dict(height_ratios=[1, 1.1]),
    )  # fmt: skip
    letters = iter(string.ascii_lowercase)
    for ax, nz in zip(axes[0], nzs, strict=True):
        c = curves[curves["nz"] == nz].sort_values("t")
        ax.fill_between(c["t"], c["mean"] - c["sem"], c["mean"] + c["sem"], color="C0", alpha=0.3,
                        lw=0)  # fmt: skip
        ax.plot(c["t"], c["mean"], color="C0", lw=1)
        ax.set_title(f"({next(letters)}) $N_z = {nz}$")
        ax.set_xlabel("$t$")
        ax.set_xlim(c["t"].min(), c["t"].max())
    axes[0, 0].set_ylabel(distance_label(label))
    for ax, nz in zip(axes[1], nzs, strict=True):
        image = ax.imshow(cosines[nz], vmin=-1, vmax=1, cmap="RdBu_r")
        ax.set_title(f"({next(letters)}) $N_z = {nz}$")
        ax.set_xticks(range(0, len(cosines[nz]), 3))
        ax.set_yticks(range(0, len(cosines[nz]), 3))
        ax.set_xlabel("$j$", labelpad=1)
    axes[1, 0].set_ylabel("$i$")
    bar = fig.colorbar(image, ax=axes[1, -1], shrink=0.9)
    bar.set_label("$C_{ij}$")
    bar.set_ticks([-1, 0, 1])
    fig.suptitle(f"top: distance to the concept of '{name or label}'; bottom: cosines of "
                 "the concepts", fontsize=8)  # fmt: skip
    return fig


def cosine_matrices(table: pd.DataFrame, nzs) -> dict[int, np.ndarray]:
    """Square matrices from a long table (nz, i, j, cosine)."""
    out = {}
    for nz in nzs:
        t = table[table["nz"] == nz]
        if t.empty:
            raise ValueError(f"no cosine matrix of N_z = {nz}")
        m = np.full((t["i"].max() + 1, t["j"].max() + 1), np.nan)
        m[t["i"], t["j"]] = t["cosine"]
        out[int(nz)] = m
    return out
