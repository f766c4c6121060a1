"""The scorecard figure: per claim, the paper's value against every run's, coloured by verdict."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from vaeconcepts.scorecard.study import BY_ID, group_label

from .style import FULL_WIDTH, plt

COLOURS = {
    "reproduced": "#1b9e77",
    "partly": "#e6ab02",
    "not reproduced": "#d95f02",
    "not run": "#999999",
    "not applicable": "#88CCEE",
}


def _value(x) -> float:
    try:
        return float(x)
    except (TypeError, ValueError):
        return math.nan


def _unmeasured(verdict: str) -> str:
    """The words of a verdict without a value ('not run', 'not applicable'), counts dropped."""
    return re.sub(r" \d+", "", verdict)


def quantity_name(claim: str, q, c10_trials: list[int] | None = None) -> str:
    """A panel's quantity; C10's says from how many trials its per-300 value was scaled."""
    if claim == "C10" and c10_trials and c10_trials != [300]:
        trials = "/".join(f"{n:,}" for n in c10_trials)
        return q.name.replace("(per 300)", f"(per 300; scaled from {trials} trials)")
    return q.name


def legend_handles(used: set[str], seeds: bool) -> list:
    """The legend: the verdict colours of the markers drawn, the paper's line, and the seed
    groups' diamond when one is drawn."""
    handles = [plt.Line2D([], [], marker="o", ls="", color=c, label=v)
               for v, c in COLOURS.items() if v in used]  # fmt: skip
    handles.append(plt.Line2D([], [], ls="--", color="k", label="paper"))
    if seeds:
        handles.append(plt.Line2D([], [], marker="D", ls="", color="k", mfc="white",
                                  label="mean ± sd over seeds"))  # fmt: skip
    return handles


def plot(study: pd.DataFrame, c10_trials: list[int] | None = None) -> plt.Figure:
    """One panel per quantity of each claim; x: runs (and seed means ± sd) in the order of
    `study`, y: our value. `c10_trials`: the trials of the runs' C10 (default the paper's 300).

    Shading: the reproduced (green) and partly (yellow) ranges; dashed: the paper's value.
    A run without a value has no marker, only its verdict written in grey across the panel.
    """
    panels = [
        (claim, i, q)
        for claim in dict.fromkeys(study["claim"])
        for i, q in enumerate(BY_ID[claim].quantities)
    ]
    cols = 4
    rows = math.ceil(len(panels) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(FULL_WIDTH, 1.9 * rows), squeeze=False)
    labels = list(dict.fromkeys(study["run"]))
    kinds = dict(zip(study["run"], study["kind"], strict=True))
    ticks = [group_label(run) if kinds[run] == "seeds" else run for run in labels]
    used, seeds_drawn = set(), False  # what the legend shows
    for ax, (claim, i, q) in zip(axes.flat, panels, strict=False):
        part = study[study["claim"] == claim]
        column = "value" if i == 0 else "value_b"
        values = [_value(v) for v in part[column]]
        finite = [v for v in values if np.isfinite(v)]
        spans = [q.reproduced, *([q.partly] if q.partly else []), *([q.axis] if q.axis else [])]
        lo = min([q.paper, *finite, *(s[0] for s in spans)])
        hi = max([q.paper, *finite, *(s[1] for s in spans)])
        pad = 0.12 * (hi - lo or 1)
        lo, hi = lo - pad, hi + pad
        for span, colour in ((q.partly, "#fff2b3"), (q.reproduced, "#c7eadf")):
            if span is None:
                continue
            if span[0] == span[1]:  # one value: a band as thick as a line
                ax.axhline(span[0], color=colour, lw=6, solid_capstyle="butt")
            else:
                ax.axhspan(span[0], span[1], color=colour, lw=0)
        ax.axhline(q.paper, color="k", ls="--", lw=0.8)
        for (_, row), v in zip(part.iterrows(), values, strict=True):
            x = labels.index(row["run"])
            verdict = q.verdict(v if np.isfinite(v) else None)
            if row["verdict"] == "not applicable":  # another dataset than the paper's
                verdict = row["verdict"]
            colour = COLOURS[verdict]
            if not np.isfinite(v):  # words, not a marker: nothing that reads as a value
                ax.text(x, 0.5, _unmeasured(row["verdict"]), transform=ax.get_xaxis_transform(),
                        rotation=90, ha="center", va="center", fontsize=5.5, color="#777777",
                        bbox=dict(fc="white", ec="none", pad=1))  # fmt: skip
                continue
            sd = _value(row.get(f"{column}_sd"))
            seeds = row.get("kind") == "seeds"
            used.add(verdict)
            seeds_drawn |= seeds
            ax.errorbar(
                x, v, yerr=sd if np.isfinite(sd) else None, fmt="D" if seeds else "o",
                color=colour, ms=4, mfc="white" if seeds else colour, capsize=2, lw=1,
            )  # fmt: skip
        ax.set_ylim(lo, hi)
        ax.set_xlim(-0.6, len(labels) - 0.4)
        ax.set_xticks(range(len(labels)))
        ax.set_xticklabels(ticks, rotation=40, ha="right", fontsize=6)
        name = quantity_name(claim, q, c10_trials)
        ax.set_title(f"{claim}, {BY_ID[claim].where}\n{name}", fontsize=6.5)
    for ax in list(axes.flat)[len(panels) :]:
        ax.axis("off")
    handles = legend_handles(used, seeds_drawn)
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False,
               bbox_to_anchor=(0.5, -0.02))  # fmt: skip
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig
