"""Figure B.2: classifier probabilities of the final states, and their distance curves."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .fig6 import distance_label
from .style import COLUMN_WIDTH, plt


def plot(
    probs: np.ndarray, curves: pd.DataFrame, label: int, T: int, names: list[str] | None = None
) -> plt.Figure:
    """(a) probabilities (n trials, classes) as a heat map; (b) mean +- SEM of ||z(t) -
    concept|| for the trials classified as `label` (curves group 'stays', red) and all (grey).
    `names`: the class names (default: the label numbers)."""
    names = list(names) if names else [str(k) for k in range(probs.shape[1])]
    k = probs.shape[1]
    fig, (ax_a, ax_b) = plt.subplots(
        2, 1, figsize=(COLUMN_WIDTH, 3.6), gridspec_kw=dict(height_ratios=[1, 1.3], hspace=0.55)
    )
    n = len(probs)
    image = ax_a.imshow(probs.T, aspect="auto", origin="lower", cmap="viridis", vmin=0, vmax=1,
                        interpolation="nearest", extent=(0.5, n + 0.5, -0.5, k - 0.5))  # fmt: skip
    ax_a.set_yticks(range(k), names)
    ax_a.tick_params(axis="y", labelsize=6)
    ax_a.set_xlabel("trial")
    ax_a.set_ylabel("label")
    stays = int((probs.argmax(1) == label).sum())
    ax_a.set_title(
        f"(a) classification of $\\mathbf{{x}}(T)$, $T = {T}$: {stays} of {n} are '{names[label]}'"
    )
    bar = fig.colorbar(image, ax=ax_a, pad=0.02)
    bar.set_label("probability")
    for group, color, name in (
        ("all", "0.55", "all trials"),
        ("stays", "C3", f"final state '{names[label]}'"),
    ):
        c = curves[curves["group"] == group].sort_values("t")
        if c.empty or not np.isfinite(c["mean"]).any():
            continue
        ax_b.fill_between(c["t"], c["mean"] - c["sem"], c["mean"] + c["sem"], color=color,
                          alpha=0.3, lw=0)  # fmt: skip
        ax_b.plot(c["t"], c["mean"], color=color, lw=1, label=f"{name} ($n = {c['n'].iloc[0]}$)")
    ax_b.set_xlabel("$t$")
    ax_b.set_ylabel(distance_label(label))
    ax_b.set_xlim(curves["t"].min(), curves["t"].max())
    ax_b.set_title(f"(b) distance to the concept of '{names[label]}'")
    ax_b.legend(frameon=False)
    return fig
