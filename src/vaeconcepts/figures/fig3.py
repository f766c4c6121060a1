"""Fig. 3: (a) the concepts (eq. 8) as a heat map, (b) cumulative PCA ratio, (c) cosine (eq. 11)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from vaeconcepts.paper.measures import components_for

from .style import FULL_WIDTH


def plot(
    concepts: np.ndarray,
    ratios: np.ndarray,
    cosine: np.ndarray,
    levels: list[float],
    names: list[str] | None = None,
) -> plt.Figure:
    """concepts (classes, N_z); explained-variance ratios of the PCA of the memories; C
    (classes, classes). `names`: the class names for the ticks (default: numbers)."""
    fig = plt.figure(figsize=(FULL_WIDTH, 4.0))
    grid = fig.add_gridspec(2, 2, height_ratios=[1, 1.35], hspace=0.55, wspace=0.35)
    labels = np.arange(len(concepts))

    ax = fig.add_subplot(grid[0, :])
    vmax = np.abs(concepts).max()
    im = ax.imshow(
        concepts, cmap="RdBu_r", vmin=-vmax, vmax=vmax, aspect="auto", interpolation="nearest"
    )
    ax.set_yticks(labels, names if names else labels, fontsize=6)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("latent unit $j$")
    ax.set_ylabel("label")
    fig.colorbar(im, ax=ax, pad=0.01, label=r"$\bar\xi_{\mathrm{num},j}$")
    ax.set_title("(a)", loc="left")

    ax = fig.add_subplot(grid[1, 0])
    cumulative = np.cumsum(ratios)
    k = np.arange(1, len(cumulative) + 1)
    ax.plot(k, cumulative, "o-", markersize=2, linewidth=1)
    for level in levels:
        n = components_for(ratios, level)
        ax.plot([0, n, n], [level, level, 0], color="grey", linestyle=":", linewidth=0.8)
        ax.annotate(f"{n}", (n, 0), textcoords="offset points", xytext=(2, 2), fontsize=7)
        ax.annotate(
            f"{100 * level:g} %",
            (len(k) + 1, level),
            textcoords="offset points",
            xytext=(-2, -8),
            ha="right",
            fontsize=7,
        )
    ax.set_xlabel("number of principal components")
    ax.set_ylabel("cumulative contribution ratio")
    ax.set_ylim(0, 1.03)
    ax.set_xlim(0, len(k) + 1)
    ax.set_title("(b)", loc="left")

    ax = fig.add_subplot(grid[1, 1])
    im = ax.imshow(cosine, cmap="RdBu_r", vmin=-1, vmax=1, interpolation="nearest")
    ax.set_xticks(labels)
    ax.set_yticks(labels)
    ax.set_xlabel("label $j$")
    ax.set_ylabel("label $i$")
    fig.colorbar(im, ax=ax, label="$C_{ij}$")
    ax.set_title("(c)", loc="left")
    return fig
