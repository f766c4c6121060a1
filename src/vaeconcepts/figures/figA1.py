"""Fig. A.1: 2-D PCA embedding of the memories (eq. 9), coloured by label."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D

from ..measures import pca
from .style import FULL_WIDTH


def _scatter(ax: plt.Axes, memories: np.ndarray, labels: np.ndarray) -> None:
    _, xy = pca(memories, n_components=2)
    order = np.random.default_rng(0).permutation(len(xy))  # no label drawn on top of all others
    size = float(np.clip(3000 / len(xy), 0.2, 3))
    ax.scatter(
        xy[order, 0],
        xy[order, 1],
        s=size,
        c=[f"C{k}" for k in labels[order]],
        linewidths=0,
        rasterized=True,
    )
    handles = [
        Line2D([], [], linestyle="", marker="o", markersize=3, color=f"C{k}", label=str(k))
        for k in np.unique(labels)
    ]
    ax.set_xlabel("PC 1")
    ax.set_ylabel("PC 2")
    ax.legend(
        handles=handles,
        frameon=False,
        fontsize=6,
        handletextpad=0.1,
        borderaxespad=0.2,
        loc="center left",
        bbox_to_anchor=(1.0, 0.5),
    )


def plot(memories: np.ndarray, labels: np.ndarray, subset: list[int]) -> plt.Figure:
    """(a) PCA of all memories, (b) PCA of only the memories with a label in `subset`."""
    fig, axes = plt.subplots(1, 2, figsize=(FULL_WIDTH, 3.0))
    _scatter(axes[0], memories, labels)
    axes[0].set_title("(a) all labels", loc="left")
    sel = np.isin(labels, subset)
    _scatter(axes[1], memories[sel], labels[sel])
    axes[1].set_title(f"(b) labels {', '.join(map(str, subset))}", loc="left")
    fig.tight_layout(pad=0.3, w_pad=1.0)
    return fig
