"""Where repeated inference goes (issue 37): the nearest memory along the trajectories, the
attractors of f(z) = mu(sigmoid(decoder(z))) and their basins, rho, and clustering over t."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .style import FULL_WIDTH, LABEL_COLOURS, label_style

N_SHOWN = 2  # attractors shown per class, the largest of its basins


def largest(trials: pd.DataFrame, labels: Sequence[int], n: int = N_SHOWN) -> dict[int, list]:
    """Per source label: its `n` most reached attractors, as (attractor, its share of the
    label's trials), largest first."""
    out = {}
    for k in labels:
        counts = trials.loc[trials["label"] == k, "attractor"].value_counts()
        share = counts / counts.sum() if len(counts) else counts
        out[k] = list(share.iloc[:n].items())
    return out


def _nearest_panel(ax, nearest: pd.DataFrame, labels, names) -> None:
    for k in labels:
        c = nearest[(nearest["label"] == k) & (nearest["target"] == "nearest_memory")]
        c = c.sort_values("t")
        ax.plot(c["t"], c["mean"], linewidth=0.9, color=label_style(k)["color"], label=names[k])
    own = nearest[nearest["target"] == "own_memory"].groupby("t")["mean"].mean()
    ax.plot(own.index, own.to_numpy(), "k--", linewidth=0.9, label="own memory (mean)")
    ax.set_xlabel("$t$")
    ax.set_ylabel("distance to the nearest memory")
    ax.legend(ncol=2, fontsize=5, handlelength=1.2, columnspacing=0.6, frameon=False)
    ax.margins(x=0)


def _clustering_panel(ax, clustering: pd.DataFrame) -> None:
    km = clustering[clustering["method"] == "kmeans"].sort_values("t")
    att = clustering[clustering["method"] == "attractor"]
    for score, colour in (("nmi", "C0"), ("ari", "C3")):
        ax.plot(km["t"], km[score], "o-", color=colour, markersize=2.5, linewidth=0.9,
                label=f"k-means on z(t), {score.upper()}")  # fmt: skip
        if len(att):
            ax.axhline(float(att[score].iloc[0]), color=colour, linestyle=":", linewidth=0.9,
                       label=f"attractors, {score.upper()}")  # fmt: skip
    ax.set_xscale("symlog", linthresh=1)
    ax.set_xlim(0, max(1, int(clustering["t"].max())))
    ax.set_xlabel("$t$")
    ax.set_ylabel("agreement with the source labels")
    ax.set_ylim(0, 1)
    ax.legend(fontsize=5, frameon=False)


def _rho_panel(ax, attractors: pd.DataFrame) -> None:
    rho = attractors["rho"].to_numpy()
    ax.hist(rho, bins=min(30, max(5, len(rho))), color="C7", weights=attractors["basin"])
    ax.axvline(1.0, color="k", linewidth=0.8, linestyle="--")
    stable = int((rho < 1).sum())
    ax.text(
        0.98,
        0.97,
        f"{stable} of {len(rho)} attractors\nstable ($\\rho < 1$)",
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize=6,
    )
    ax.set_xlabel(r"spectral radius $\rho$ of $\partial f / \partial z$")
    ax.set_ylabel("trials in the basins")


def _basin_panel(ax, trials: pd.DataFrame, attractors: pd.DataFrame, labels, names) -> None:
    """Per source label, its trials' attractors as a stacked bar, each part coloured by the
    classifier's label of the attractor's decoded image."""
    classified = attractors.set_index("attractor")["classified"]
    for row, k in enumerate(labels):
        share = trials.loc[trials["label"] == k, "attractor"].value_counts(normalize=True)
        left = 0.0
        for a, s in share.items():
            colour = LABEL_COLOURS[int(classified[a]) % 10]
            ax.barh(row, s, left=left, color=colour, edgecolor="white", linewidth=0.4)
            left += s
        ax.text(1.01, row, f"{len(share)}", va="center", fontsize=6)
    ax.set_yticks(range(len(labels)), [names[k] for k in labels])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("fraction of the label's trials per attractor (colour: classifier's label)")
    ax.text(1.01, -0.9, "attractors", fontsize=6)
    ax.set_ylabel("source label")


def _gallery(fig, spec, shown: Mapping[int, list], attractors: pd.DataFrame,
             images: Mapping[int, tuple[np.ndarray, np.ndarray]], names) -> None:  # fmt: skip
    """Per class: the decoded image of its largest attractors over their nearest memory."""
    table = attractors.set_index("attractor")
    rows = max(len(tops) for tops in shown.values())  # an attractor row where one is shown
    grid = spec.subgridspec(2 * rows, len(shown), hspace=0.35, wspace=0.1)
    for col, (k, tops) in enumerate(shown.items()):
        for i in range(rows):
            ax_a, ax_m = fig.add_subplot(grid[2 * i, col]), fig.add_subplot(grid[2 * i + 1, col])
            for ax in (ax_a, ax_m):
                ax.set_axis_off()
            if i >= len(tops):
                continue
            a, share = tops[i]
            decoded, memory = images[a]
            ax_a.imshow(decoded, cmap="gray", vmin=0, vmax=1)
            ax_m.imshow(memory, cmap="gray", vmin=0, vmax=1)
            head = f"'{names[k]}'\n" if i == 0 else ""
            ax_a.set_title(f"{head}{share:.0%}, ρ {table.loc[a, 'rho']:.2f}", fontsize=5, pad=1)
            ax_m.set_title(f"'{names[int(table.loc[a, 'nearest_label'])]}', "
                           f"d {table.loc[a, 'd_nearest']:.2f}", fontsize=5, pad=1)  # fmt: skip
        if col == 0:
            for i in range(2 * rows):
                side = fig.add_subplot(grid[i, 0])
                side.set_axis_off()
                what = "attractor" if i % 2 == 0 else "its nearest\nmemory"
                side.text(-0.15, 0.5, what, transform=side.transAxes, ha="right", va="center",
                          fontsize=6)  # fmt: skip


def plot(
    nearest: pd.DataFrame,
    trials: pd.DataFrame,
    attractors: pd.DataFrame,
    clustering: pd.DataFrame,
    images: Mapping[int, tuple[np.ndarray, np.ndarray]],
    labels: Sequence[int],
    names: Sequence[str] | None = None,
) -> plt.Figure:
    """(a) nearest-memory curves, (b) NMI/ARI over t, (c) rho, (d) basins per class, (e) per
    class the decoded largest attractors above their nearest memories. `images`: attractor ->
    (decoded image, nearest memory's image), both (height, width) in [0, 1]."""
    if not names:  # the label numbers, up to the largest label any panel names
        names = [str(k) for k in range(1 + max(*labels, *attractors["nearest_label"]))]
    fig = plt.figure(figsize=(FULL_WIDTH, 7.4))
    outer = fig.add_gridspec(3, 1, height_ratios=[1, 1.05, 1.5], hspace=0.45)
    top = outer[0].subgridspec(1, 3, wspace=0.45)
    _nearest_panel(fig.add_subplot(top[0]), nearest, labels, names)
    _clustering_panel(fig.add_subplot(top[1]), clustering)
    _rho_panel(fig.add_subplot(top[2]), attractors)
    _basin_panel(fig.add_subplot(outer[1]), trials, attractors, labels, names)
    _gallery(fig, outer[2], largest(trials, labels), attractors, images, names)
    for ax, letter in zip(fig.axes[:4], "abcd", strict=True):
        ax.text(-0.12, 1.04, f"({letter})", transform=ax.transAxes, fontsize=8, weight="bold")
    return fig
