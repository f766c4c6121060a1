"""Fig. 1: consecutive samples x(t) of repeated inference, and the image of the concept."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np

from vaeconcepts.data.registry import REGISTRY

from .style import FULL_WIDTH


def grid_shape(n: int) -> tuple[int, int]:
    """Rows and columns for n frames: nearly square, with as few empty cells as possible."""
    side = math.ceil(math.sqrt(n))
    cols = min(range(side, 2 * side + 1), key=lambda c: (math.ceil(n / c) * c - n, c))
    return math.ceil(n / cols), cols


def plot(
    frames: np.ndarray,
    concept_image: np.ndarray,
    label: int,
    p: float,
    shape: tuple[int, int] = REGISTRY["mnist"].shape,
    name: str | None = None,
) -> plt.Figure:
    """x(0..T) (T+1, pixels) left to right, one row after the other; E_p[x | concept] on the
    right. Images of `shape`; `name`: the label's class name."""
    name = str(label) if name is None else name
    n = len(frames)
    rows, cols = grid_shape(n)
    side, gap, pad, title = 2.2, 0.04, 0.4, 0.25  # concept image and gaps in frames; inches
    width = 0.8 * FULL_WIDTH
    wspace = 2 * pad / (cols + side)
    unit = 2 * width / ((cols + side) * (2 + wspace))  # gridspec width of one ratio unit
    cell = cols * unit / (cols + gap * (cols - 1))  # square frames
    height = cell * (rows + gap * (rows - 1)) + title
    fig = plt.figure(figsize=(width, height))
    outer = fig.add_gridspec(
        1,
        2,
        width_ratios=[cols, side],
        wspace=wspace,
        left=0,
        right=1,
        bottom=0,
        top=1 - title / height,
    )
    grid = outer[0].subgridspec(rows, cols, wspace=gap, hspace=gap)
    for t in range(rows * cols):
        ax = fig.add_subplot(grid[t // cols, t % cols])
        ax.set_axis_off()
        if t < n:
            ax.imshow(frames[t].reshape(shape), cmap="gray", vmin=0, vmax=1)
            ax.text(
                1,
                1,
                str(t),
                color="yellow",
                fontsize=5,
                va="top",
                ha="left",
                bbox={"facecolor": "black", "alpha": 0.6, "pad": 0.4, "linewidth": 0},
            )
    ax = fig.add_subplot(outer[1])
    ax.imshow(concept_image.reshape(shape), cmap="gray", vmin=0, vmax=1)
    ax.set_axis_off()
    ax.set_title(rf"$\mathbb{{E}}_{{p_\theta(x|\bar\xi_{{{label}}})}}[x]$", fontsize=8)
    fig.suptitle(
        rf"$x(t)$ from a noisy '{name}' ($p = {p:g}$), $t = 0, \dots, {n - 1}$",
        x=0.5 * cols * unit / width,
        y=1.0,
        va="top",
        fontsize=8,
    )
    return fig
