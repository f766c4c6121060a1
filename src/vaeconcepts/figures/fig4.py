"""Fig. 4: minimum distances min_t ||z(t) - xi||, eq. (13), vs the noise fraction p, with stages."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .style import COLUMN_WIDTH

SHADES = ("0.85", "0.93")  # stages alternate; the lighter one still visible on white

STYLE = {
    "memory": ("C0", "o", r"memory $\xi_{{{k}}}^{{(i)}}$"),
    "concept": ("C3", "s", r"concept $\bar\xi_{{{k}}}$"),
    "abstract_concept": ("C2", "^", r"abstract concept $\bar\xi_{{\mathrm{{all}}}}$"),
}


def stage_spans(stages: pd.DataFrame) -> list[tuple[str, float, float]]:
    """(stage, p_from, p_to) of each run of equal stages along p; borders halfway between p's,
    the outer ones half a step beyond the first and last p."""
    s = stages.sort_values("p")
    p, names = s["p"].to_numpy(dtype=float), s["stage"].to_list()
    step = np.diff(p)[[0, -1]] / 2 if len(p) > 1 else np.array([0.025, 0.025])
    edges = np.concatenate([[p[0] - step[0]], (p[1:] + p[:-1]) / 2, [p[-1] + step[1]]])
    spans: list[tuple[str, float, float]] = []
    for i, name in enumerate(names):
        if spans and spans[-1][0] == name:
            spans[-1] = (name, spans[-1][1], edges[i + 1])
        else:
            spans.append((name, edges[i], edges[i + 1]))
    return spans


def plot(min_dist: pd.DataFrame, stages: pd.DataFrame, label: int) -> plt.Figure:
    """Mean +-1 SEM of the minimum distance to each target; background shade per stage; under
    every other p, the fraction of pixels it changed (column changed_pixels, if any)."""
    fig, ax = plt.subplots(figsize=(COLUMN_WIDTH, 2.6))
    spans = stage_spans(stages)
    ax.set_xlim(spans[0][1], spans[-1][2])
    for i, (name, lo, hi) in enumerate(spans):
        ax.axvspan(lo, hi, color=SHADES[i % 2], zorder=0, linewidth=0)
        ax.text(
            (lo + hi) / 2,
            1.01,
            name,
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="bottom",
            fontsize=8,
        )
    for target, (color, marker, text) in STYLE.items():
        d = min_dist[min_dist["target"] == target].sort_values("p")
        ax.errorbar(
            d["p"],
            d["mean"],
            yerr=d["sem"],
            color=color,
            marker=marker,
            markersize=3,
            linewidth=1,
            capsize=2,
            label=text.format(k=label),
        )
    ax.set_xlabel("noise fraction $p$")
    if "changed_pixels" in min_dist:  # the paper's p, and what it changed in the images
        changed = min_dist.groupby("p")["changed_pixels"].first()
        ax.set_xticks(changed.index[::2])
        ax.set_xticklabels([f"{p:g}\n{c:.0%}" for p, c in changed.iloc[::2].items()])
        ax.set_xlabel("noise fraction $p$ / pixels changed")
    ax.set_ylabel(r"$\min_t \|z(t)-\xi\|_2$")
    ax.legend(frameon=False, loc="best", title=caption(min_dist), title_fontsize=6.5)
    return fig


def caption(min_dist: pd.DataFrame) -> str:
    """What the markers and bars are, as the paper says it: N_z, the trials per p."""
    nz, n = (sorted(set(min_dist[k])) for k in ("nz", "n"))
    trials = "/".join(f"{int(k):,}" for k in n)
    return f"N_z = {'/'.join(map(str, nz))}; mean ± 1 SEM over {trials} trials per p"
