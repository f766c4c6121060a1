"""Fig. A.1: 2-D PCA embedding of the memories (eq. 9), coloured by label."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D

from vaeconcepts.paper.measures import pca

from .style import FULL_WIDTH, label_style


def _scatter(ax: plt.Axes, memories: np.ndarray, labels: np.ndarray, names: list[str]) -> None:
    _, xy = pca(memories, n_components=2)
    size = float(np.clip(3000 / len(xy), 0.2, 3))
    # each label's points in ten interleaved slices, so that no label lies on top of all
    rng = np.random.default_rng(0)
    n_slices = 10
    slices = {k: np.array_split(rng.permutation(np.flatnonzero(labels == k)), n_slices)
              for k in np.unique(labels)}  # fmt: skip
    for part in range(n_slices):
        for k, idx in slices.items():
            ax.scatter(xy[idx[part], 0], xy[idx[part], 1], s=size, linewidths=0,
                       rasterized=True, **label_style(int(k)))  # fmt: skip
    handles = [
        Line2D([], [], linestyle="", markersize=3.5, label=names[k], **label_style(int(k)))
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


def plot(
    memories: np.ndarray, labels: np.ndarray, subset: list[int], names: list[str] | None = None
) -> plt.Figure:
    """(a) PCA of all memories, (b) PCA of only the memories with a label in `subset`.
    `names`: the class names (default: the label numbers)."""
    names = list(names) if names else [str(k) for k in range(int(labels.max()) + 1)]
    fig, axes = plt.subplots(1, 2, figsize=(FULL_WIDTH, 3.0))
    _scatter(axes[0], memories, labels, names)
    axes[0].set_title("(a) all labels", loc="left")
    sel = np.isin(labels, subset)
    _scatter(axes[1], memories[sel], labels[sel], names)
    axes[1].set_title(f"(b) labels {', '.join(names[k] for k in subset)}", loc="left")
    fig.tight_layout(pad=0.3, w_pad=1.0)
    return fig
