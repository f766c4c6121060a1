"""The scorecard: the paper's quantitative claims, our measured values and their verdicts.

The verdict rules are fixed in advance (issue 8), before any result was looked at: a claim
holds `reproduced` when every quantity lies in its `reproduced` range, `partly` when every
quantity lies at least in its `partly` range, else `not reproduced`; a claim whose stage
was not built is `not run`; a claim with nothing to test is `not applicable` (C11 when
fewer than two trials stay '6'). The claims are about MNIST: on another dataset the same
measures are computed and shown beside the paper's MNIST values, `not applicable`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import measures

VERDICTS = ("reproduced", "partly", "not reproduced", "not run", "not applicable")
FIG6_NZ = (2, 5, 10, 20, 100)  # C6, C7: the N_z of Fig. 6
FIG6_CLEAR = (10, 20, 100)  # C6: a clear approach to the concept at these, none at the others


@dataclass(frozen=True)
class Quantity:
    """One measured number of a claim and its verdict ranges (inclusive bounds)."""

    name: str
    paper: float
    reproduced: tuple[float, float]
    partly: tuple[float, float] | None = None
    partly_open_hi: bool = False  # the partly range excludes its upper bound (C7: rho < 0)
    axis: tuple[float, float] | None = None  # the figure's y range for a count

    def verdict(self, value: float | None) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "not run"
        lo, hi = self.reproduced
        if lo <= value <= hi:
            return "reproduced"
        if self.partly is not None:
            lo, hi = self.partly
            if lo <= value and (value < hi if self.partly_open_hi else value <= hi):
                return "partly"
        return "not reproduced"


@dataclass(frozen=True)
class Claim:
    id: str
    where: str
    text: str  # {nz}, {p}, {T}, {trials}: the run's main N_z, p, inference steps, trials
    paper: str
    quantities: tuple[Quantity, ...]

    def describe(self, cfg: dict) -> str:
        """The claim in words with the run's settings `cfg` (the paper's: 100, 0.2, 80, 300)."""
        return self.text.format(
            nz=cfg["main_nz"], p=cfg["concept_curves"]["p"], T=cfg["inference"]["T"],
            trials=cfg["classifier"]["n_trials"],
        )  # fmt: skip

    def verdict(self, values: Sequence[float | None]) -> str:
        """The worst verdict over the claim's quantities (order of VERDICTS)."""
        verdicts = [q.verdict(v) for q, v in zip(self.quantities, values, strict=True)]
        return max(verdicts, key=VERDICTS.index)


Q = Quantity
CLAIMS = (
    Claim("C1", "Fig. 2", "at p = {p:g}, N_z = {nz}, the mean distance to its concept first "
          "falls, then rises (approach and rise each > 2 SEM at the minimum)", "10 of 10 labels",
          (Q("labels that approach, then leave", 10, (10, 10), (7, 10), axis=(0, 10)),)),
    Claim("C2", "Fig. 3a", "active units, Var_x(mu_j) > 0.01", "14 / 100",
          (Q("active units", 14, (10, 18), (4, 24)),)),
    Claim("C3", "Fig. 3b", "PCA components for 70 % and for 99 % of the variance", "9 and 14",
          (Q("PCA components for 70 %", 9, (7, 11), (5, 14)),
           Q("PCA components for 99 %", 14, (11, 17), (8, 22)))),
    Claim("C4", "Fig. 3c", "concepts nearly orthogonal: mean abs. off-diagonal cosine, "
          "N_z = {nz}", "about 0",
          (Q("mean |off-diagonal cosine|", 0, (0, 0.10), (0, 0.20)),)),
    Claim("C5", "Fig. 4", "label 6: with growing p the stage goes I (memory) -> II (concept) "
          "-> III (abstract concept)", "I, II, III",
          (Q("stages in order (0: out of order)", 3, (3, 3), (2, 2), axis=(0, 3)),)),
    Claim("C6", "Fig. 6a-e", "clear approach to the concept of '6' (depth > 2 SEM) at "
          "N_z = 10, 20, 100, none at 2, 5", "as stated",
          (Q("N_z as stated (of 5)", 5, (5, 5), (4, 5), axis=(0, 5)),)),
    Claim("C7", "Fig. 6f-j", "orthogonality grows with N_z: Spearman rho(N_z, mean abs. "
          "off-diagonal cosine) over N_z = 2, 5, 10, 20, 100", "decreasing",
          (Q("Spearman rho", -1, (-1, -0.9), (-1, 0), partly_open_hi=True),)),
    Claim("C8", "Fig. 7", "best test ELBO E(N_z) over the 9 conditions: E(14) within 2 nats "
          "of the max over N_z >= 14, and E(14) - E(N_z) >= 2 nats for N_z <= 8",
          "peak near 14, flat after",
          (Q("conditions met (of 2)", 2, (2, 2), (1, 1), axis=(0, 2)),)),
    Claim("C9", "App. B", "classifier test accuracy", "99.25 %",
          (Q("test accuracy (%)", 99.25, (99.0, 100), (98.5, 100)),)),
    Claim("C10", "Fig. B.2a", "final states of '6' (p = {p:g}, T = {T}, {trials} trials) "
          "classified '6'", "193 / 300",
          (Q("stay '6' (per 300)", 193, (163, 223), (133, 253)),)),
    Claim("C11", "Fig. B.2b", "over the trials that stay '6', the mean distance to the concept "
          "of '6' still falls then rises (> 2 SEM)", "yes",
          (Q("falls, then rises (1 yes, 0 no)", 1, (1, 1), axis=(0, 1)),)),
)  # fmt: skip
BY_ID = {c.id: c for c in CLAIMS}


def rule_text(q: Quantity) -> tuple[str, str]:
    """The reproduced and partly ranges of a quantity, in words."""

    def span(lo, hi, open_hi=False):
        return f"{lo:g} to {hi:g}" + (" (excl.)" if open_hi else "") if lo != hi else f"{lo:g}"

    partly = span(*q.partly, q.partly_open_hi) if q.partly else "-"
    return span(*q.reproduced), partly


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman's rank correlation (average ranks for ties)."""
    rx, ry = pd.Series(x).rank().to_numpy(), pd.Series(y).rank().to_numpy()
    return float(np.corrcoef(rx, ry)[0, 1])


def stages_in_order(stages: Sequence[str]) -> int:
    """C5's value: how many stages the sequence over growing p passes through, in order
    (I -> II -> III, consecutive repeats merged); 0 when it goes back."""
    merged = [s for i, s in enumerate(stages) if i == 0 or s != stages[i - 1]]
    order = [measures.STAGES[t] for t in measures.TARGETS]
    ranks = [order.index(s) for s in merged]
    return len(merged) if all(a < b for a, b in zip(ranks, ranks[1:], strict=False)) else 0


def generalization_conditions(best: pd.DataFrame, peak: int = 14, tol: float = 2.0):
    """C8: (E(14) within `tol` of the max over N_z >= 14, E(14) - E(N_z) >= `tol` for every
    N_z <= 8) from the best test ELBO per N_z; None when the sweep lacks those N_z."""
    e = dict(zip(best["nz"], best["test_elbo"], strict=True))
    small = [nz for nz in e if nz <= 8]
    if peak not in e or not small:
        return None
    flat = max(v for nz, v in e.items() if nz >= peak) - e[peak] <= tol
    rises = all(e[peak] - e[nz] >= tol for nz in small)
    return flat, rises


def _curve_clear(curve: pd.DataFrame) -> bool:
    """Whether a mean distance curve first falls, then rises, each by > 2 SEM at its minimum."""
    curve = curve.sort_values("t")
    return bool(measures.dip(curve["mean"].to_numpy(), curve["sem"].to_numpy())["clear"])


def measure(tables: dict[str, pd.DataFrame | None], cfg: dict) -> dict[str, tuple]:
    """Per claim id: (values, ours in words, note[, verdict]) from a run's tables; values None:
    not run, unless a fourth item gives the verdict (C11 with fewer than two trials staying).

    `tables`: curves (distance_to_concept), summary (latent_summary), stages, onset,
    generalization (None unless the sweep was built), accuracy, final_summary, final_distance.
    """
    main, p = cfg["main_nz"], cfg["concept_curves"]["p"]
    out: dict[str, tuple] = {}

    curves = tables["curves"]
    curves = curves[(curves["nz"] == main) & np.isclose(curves["p"], p)]
    clear = {int(k): _curve_clear(c) for k, c in curves.groupby("label")}
    leaves = sorted(k for k, ok in clear.items() if not ok)
    out["C1"] = ([sum(clear.values())], f"{sum(clear.values())} of {len(clear)} labels",
                 f"not clear: {', '.join(map(str, leaves)) or 'none'}")  # fmt: skip

    summary = tables["summary"].set_index("nz")
    row = summary.loc[main]
    out["C2"] = ([int(row["n_active"])], f"{int(row['n_active'])} / {main}",
                 f"other definitions: mean KL > 0.01 nats {int(row['n_active_kl'])}; "
                 f"max_k |concept_kj| > 0.1 {int(row['n_active_concept'])}")  # fmt: skip
    if {"pca_70", "pca_99"} <= set(summary.columns):
        values = [int(row["pca_70"]), int(row["pca_99"])]
        out["C3"] = (values, f"{values[0]} and {values[1]}", "")
    else:
        out["C3"] = ([None, None], "-", "pca_levels lacks 0.7 or 0.99")
    cos = float(row["mean_abs_offdiag_cosine"])
    out["C4"] = ([cos], f"{cos:.3f}", "")

    stages = tables["stages"].sort_values("p")
    seq = list(stages["stage"])
    out["C5"] = ([stages_in_order(seq)], ", ".join(seq),
                 "p " + ", ".join(f"{v:g}" for v in stages["p"]))  # fmt: skip

    onset = tables["onset"].set_index("nz")
    missing = [nz for nz in FIG6_NZ if nz not in onset.index]
    if missing:
        out["C6"] = ([None], "-", f"no model of N_z = {missing}")
    else:
        stated = sum(bool(onset.loc[nz, "clear"]) == (nz in FIG6_CLEAR) for nz in FIG6_NZ)
        clear_nz = [nz for nz in FIG6_NZ if onset.loc[nz, "clear"]]
        out["C6"] = ([stated], f"clear at N_z = {clear_nz or 'none'}", "")

    missing = [nz for nz in FIG6_NZ if nz not in summary.index]
    if missing:
        out["C7"] = ([None], "-", f"no model of N_z = {missing}")
    else:
        cosines = [float(summary.loc[nz, "mean_abs_offdiag_cosine"]) for nz in FIG6_NZ]
        rho = spearman(FIG6_NZ, cosines)
        out["C7"] = ([rho], f"rho = {rho:.2f}",
                     "cosines " + ", ".join(f"{c:.3f}" for c in cosines))  # fmt: skip

    gen = tables.get("generalization")
    if gen is None:
        out["C8"] = ([None], "-", "the sweep is not built: `snakemake fig7`, then `snakemake`")
    else:
        best = gen[gen["best"]]
        conditions = generalization_conditions(best)
        if conditions is None:
            out["C8"] = ([None], "-", "the sweep lacks N_z = 14 or any N_z <= 8")
        else:
            e = dict(zip(best["nz"], best["test_elbo"], strict=True))
            ours = f"flat after 14: {conditions[0]}; rises to 14: {conditions[1]}"
            grid = gen.groupby("nz").size().max()  # (lr, batch size) conditions per N_z
            best_e = ", ".join(f"{nz}: {v:.1f}" for nz, v in e.items())
            note = f"best over {grid} of the paper's 9 conditions (lr x batch size); {best_e}"
            if "diverged" in gen and gen["diverged"].any():
                note += f"; diverged runs: {int(gen['diverged'].sum())}"
            out["C8"] = ([sum(conditions)], ours, note)

    acc = 100 * float(tables["accuracy"]["test_accuracy"].iloc[0])
    out["C9"] = ([acc], f"{acc:.2f} %", "")

    final = tables["final_summary"].iloc[0]
    n, n_stay = int(final["n"]), int(final["n_stay"])
    out["C10"] = ([300 * n_stay / n], f"{n_stay} / {n}", "")

    dist = tables["final_distance"]
    stays = dist[dist["group"] == "stays"]
    if stays["n"].max() > 1:
        ok = _curve_clear(stays)
        out["C11"] = ([int(ok)], "yes" if ok else "no", f"{int(stays['n'].iloc[0])} trials stay")
    else:
        ours = "1 trial stays" if n_stay == 1 else f"{n_stay} trials stay"
        out["C11"] = ([None], ours, "fewer than two trials stay: no curve to test",
                      "not applicable")  # fmt: skip
    return out


def scorecard(
    tables: dict[str, pd.DataFrame | None], cfg: dict, run: str, epochs: dict[int, int]
) -> pd.DataFrame:
    """One row per claim: the paper, ours, the verdict and the run's settings that matter.

    `cfg`: the run's full settings; `epochs`: the training epochs of each N_z's VAE.
    """
    measured = measure(tables, cfg)
    applicable = cfg.get("dataset", "mnist") == "mnist"
    model = cfg["model"]
    settings = dict(run=run, dataset=cfg.get("dataset", "mnist"), seed=cfg["seed"],
                    init=model["init"], binarize=cfg["binarize"],
                    noise_mode=cfg["noise"]["mode"], n_samples=model["n_samples"],
                    beta=model.get("beta", 1))  # fmt: skip
    fig6 = ",".join(map(str, FIG6_NZ))
    fig6_epochs = sorted({epochs.get(nz) for nz in FIG6_NZ if nz in epochs})
    where = {  # (N_z, epochs) each claim is measured on
        "C6": (fig6, "/".join(map(str, fig6_epochs))),
        "C7": (fig6, "/".join(map(str, fig6_epochs))),
        "C8": ("sweep", str(cfg["sweep"]["epochs"])),
        "C9": ("-", str(cfg["classifier"]["epochs"])),
    }
    main = (str(cfg["main_nz"]), str(epochs[cfg["main_nz"]]))
    rows = []
    for claim in CLAIMS:
        values, ours, note, *verdict = measured[claim.id]
        verdict = verdict[0] if verdict else claim.verdict(values)
        reproduced_if, partly_if = zip(*(rule_text(q) for q in claim.quantities), strict=True)
        nz, n_epochs = where.get(claim.id, main)
        rows.append(
            dict(claim=claim.id, where=claim.where, text=claim.describe(cfg), paper=claim.paper,
                 ours=ours, value=values[0], value_b=values[1] if len(values) > 1 else None,
                 verdict=verdict if applicable else "not applicable",
                 reproduced_if=" and ".join(reproduced_if),
                 partly_if=" and ".join(partly_if), nz=nz, epochs=n_epochs, **settings,
                 note=note)
        )  # fmt: skip
    return pd.DataFrame(rows)


def _spread(mean: float, sd: float) -> str:
    """'mean ± sd' in four and two significant digits; an sd of rounding noise reads 0."""
    sd = 0.0 if sd <= 1e-9 * max(1.0, abs(mean)) else sd
    return f"{mean:.4g} ± {sd:.2g}"


def study(cards: pd.DataFrame, seed_groups: dict[str, list[str]]) -> pd.DataFrame:
    """Every run's scorecard (`kind` run) plus, for each group of runs that differ only in
    seed, the mean, sd and n of each claim's values and the count of each verdict (`kind`
    seeds)."""
    rows = [cards.assign(kind="run", n_runs=1)]
    for runs in seed_groups.values():
        part = cards[cards["run"].isin(runs)]
        for claim in CLAIMS:
            g = part[part["claim"] == claim.id]
            counts = g["verdict"].value_counts()
            seeds = ",".join(map(str, g["seed"]))
            row = g.iloc[0].to_dict() | dict(
                kind="seeds", run=" + ".join(runs), n_runs=len(g), seed=seeds, note=""
            )
            for col in ("value", "value_b"):
                values = pd.to_numeric(g[col], errors="coerce").dropna()
                row[col] = values.mean() if len(values) else None
                row[f"{col}_sd"] = values.std(ddof=1) if len(values) > 1 else None
            spread = [_spread(row[c], row[f"{c}_sd"]) for c in ("value", "value_b")
                      if row[f"{c}_sd"] is not None]  # fmt: skip
            row["ours"] = " and ".join(spread) + " (mean ± sd)" if spread else g["ours"].iloc[0]
            row["verdict"] = ", ".join(f"{v} {counts[v]}" for v in VERDICTS if v in counts)
            rows.append(pd.DataFrame([row]))
    out = pd.concat(rows, ignore_index=True)
    first = ["kind", "run", "n_runs", "claim", "where", "text", "paper", "ours", "verdict"]
    return out[first + [c for c in out.columns if c not in first]]
