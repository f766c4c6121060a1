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
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from vaeconcepts.analysis.tables import select
from vaeconcepts.paper import measures

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
    # (tables, cfg) -> (values, ours in words, note[, verdict]); values None: not run
    measure: Callable[[dict, dict], tuple]

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


def rule_text(q: Quantity) -> tuple[str, str]:
    """The reproduced and partly ranges of a quantity, in words."""

    def span(lo, hi, open_hi=False):
        return f"{lo:g} to {hi:g}" + (" (excl.)" if open_hi else "") if lo != hi else f"{lo:g}"

    partly = span(*q.partly, q.partly_open_hi) if q.partly else "-"
    return span(*q.reproduced), partly


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


# Each claim's measurement from a run's tables (`measure`'s), beside the claim below.


def c1_dip(t: dict, cfg: dict) -> tuple:
    main, p = cfg["main_nz"], cfg["concept_curves"]["p"]
    curves = select(t["curves"], nz=main, p=p)
    clear = {int(k): _curve_clear(c) for k, c in curves.groupby("label")}
    leaves = sorted(k for k, ok in clear.items() if not ok)
    return ([sum(clear.values())], f"{sum(clear.values())} of {len(clear)} labels",
            f"not clear: {', '.join(map(str, leaves)) or 'none'}")  # fmt: skip


def _main_row(t: dict, cfg: dict) -> pd.Series:
    return t["summary"].set_index("nz").loc[cfg["main_nz"]]


def c2_active_units(t: dict, cfg: dict) -> tuple:
    row = _main_row(t, cfg)
    return ([int(row["n_active"])], f"{int(row['n_active'])} / {cfg['main_nz']}",
            f"other definitions: mean KL > 0.01 nats {int(row['n_active_kl'])}; "
            f"max_k |concept_kj| > 0.1 {int(row['n_active_concept'])}")  # fmt: skip


def c3_pca(t: dict, cfg: dict) -> tuple:
    if not {"pca_70", "pca_99"} <= set(t["summary"].columns):
        return [None, None], "-", "pca_levels lacks 0.7 or 0.99"
    row = _main_row(t, cfg)
    values = [int(row["pca_70"]), int(row["pca_99"])]
    return values, f"{values[0]} and {values[1]}", ""


def c4_cosine(t: dict, cfg: dict) -> tuple:
    cos = float(_main_row(t, cfg)["mean_abs_offdiag_cosine"])
    return [cos], f"{cos:.3f}", ""


def c5_stages(t: dict, cfg: dict) -> tuple:
    stages = t["stages"].sort_values("p")
    seq = list(stages["stage"])
    return ([stages_in_order(seq)], ", ".join(seq),
            "p " + ", ".join(f"{v:g}" for v in stages["p"]))  # fmt: skip


def c6_onset(t: dict, cfg: dict) -> tuple:
    onset = t["onset"].set_index("nz")
    missing = [nz for nz in FIG6_NZ if nz not in onset.index]
    if missing:
        return [None], "-", f"no model of N_z = {missing}"
    stated = sum(bool(onset.loc[nz, "clear"]) == (nz in FIG6_CLEAR) for nz in FIG6_NZ)
    clear_nz = [nz for nz in FIG6_NZ if onset.loc[nz, "clear"]]
    return [stated], f"clear at N_z = {clear_nz or 'none'}", ""


def c7_orthogonality(t: dict, cfg: dict) -> tuple:
    summary = t["summary"].set_index("nz")
    missing = [nz for nz in FIG6_NZ if nz not in summary.index]
    if missing:
        return [None], "-", f"no model of N_z = {missing}"
    cosines = [float(summary.loc[nz, "mean_abs_offdiag_cosine"]) for nz in FIG6_NZ]
    rho = float(pd.DataFrame({"nz": FIG6_NZ, "cos": cosines}).corr("spearman").iloc[0, 1])
    return [rho], f"rho = {rho:.2f}", "cosines " + ", ".join(f"{c:.3f}" for c in cosines)


def c8_generalization(t: dict, cfg: dict) -> tuple:
    gen = t.get("generalization")
    if gen is None:
        return [None], "-", "the sweep is not built: `snakemake fig7`, then `snakemake`"
    best = gen[gen["best"]]
    conditions = generalization_conditions(best)
    if conditions is None:
        return [None], "-", "the sweep lacks N_z = 14 or any N_z <= 8"
    e = dict(zip(best["nz"], best["test_elbo"], strict=True))
    ours = f"flat after 14: {conditions[0]}; rises to 14: {conditions[1]}"
    grid = gen.groupby("nz").size().max()  # (lr, batch size) conditions per N_z
    best_e = ", ".join(f"{nz}: {v:.1f}" for nz, v in e.items())
    note = f"best over {grid} of the paper's 9 conditions (lr x batch size); {best_e}"
    if "diverged" in gen and gen["diverged"].any():
        note += f"; diverged runs: {int(gen['diverged'].sum())}"
    return [sum(conditions)], ours, note


def c9_accuracy(t: dict, cfg: dict) -> tuple:
    acc = 100 * float(t["accuracy"]["test_accuracy"].iloc[0])
    return [acc], f"{acc:.2f} %", ""


def c10_stay(t: dict, cfg: dict) -> tuple:
    final = t["final_summary"].iloc[0]
    n, n_stay = int(final["n"]), int(final["n_stay"])
    return [300 * n_stay / n], f"{n_stay} / {n}", ""


def c11_stayers_dip(t: dict, cfg: dict) -> tuple:
    stays = t["final_distance"][t["final_distance"]["group"] == "stays"]
    if stays["n"].max() > 1:
        ok = _curve_clear(stays)
        return [int(ok)], "yes" if ok else "no", f"{int(stays['n'].iloc[0])} trials stay"
    n_stay = int(t["final_summary"].iloc[0]["n_stay"])
    ours = "1 trial stays" if n_stay == 1 else f"{n_stay} trials stay"
    return [None], ours, "fewer than two trials stay: no curve to test", "not applicable"


Q = Quantity
CLAIMS = (
    Claim("C1", "Fig. 2", "at p = {p:g}, N_z = {nz}, the mean distance to its concept first "
          "falls, then rises (approach and rise each > 2 SEM at the minimum)", "10 of 10 labels",
          (Q("labels that approach, then leave", 10, (10, 10), (7, 10), axis=(0, 10)),),
          c1_dip),
    Claim("C2", "Fig. 3a", "active units, Var_x(mu_j) > 0.01", "14 / 100",
          (Q("active units", 14, (10, 18), (4, 24)),),
          c2_active_units),
    Claim("C3", "Fig. 3b", "PCA components for 70 % and for 99 % of the variance", "9 and 14",
          (Q("PCA components for 70 %", 9, (7, 11), (5, 14)),
           Q("PCA components for 99 %", 14, (11, 17), (8, 22))),
          c3_pca),
    Claim("C4", "Fig. 3c", "concepts nearly orthogonal: mean abs. off-diagonal cosine, "
          "N_z = {nz}", "about 0",
          (Q("mean |off-diagonal cosine|", 0, (0, 0.10), (0, 0.20)),),
          c4_cosine),
    Claim("C5", "Fig. 4", "label 6: with growing p the stage goes I (memory) -> II (concept) "
          "-> III (abstract concept)", "I, II, III",
          (Q("stages in order (0: out of order)", 3, (3, 3), (2, 2), axis=(0, 3)),),
          c5_stages),
    Claim("C6", "Fig. 6a-e", "clear approach to the concept of '6' (depth > 2 SEM) at "
          "N_z = 10, 20, 100, none at 2, 5", "as stated",
          (Q("N_z as stated (of 5)", 5, (5, 5), (4, 5), axis=(0, 5)),),
          c6_onset),
    Claim("C7", "Fig. 6f-j", "orthogonality grows with N_z: Spearman rho(N_z, mean abs. "
          "off-diagonal cosine) over N_z = 2, 5, 10, 20, 100", "decreasing",
          (Q("Spearman rho", -1, (-1, -0.9), (-1, 0), partly_open_hi=True),),
          c7_orthogonality),
    Claim("C8", "Fig. 7", "best test ELBO E(N_z) over the 9 conditions: E(14) within 2 nats "
          "of the max over N_z >= 14, and E(14) - E(N_z) >= 2 nats for N_z <= 8",
          "peak near 14, flat after",
          (Q("conditions met (of 2)", 2, (2, 2), (1, 1), axis=(0, 2)),),
          c8_generalization),
    Claim("C9", "App. B", "classifier test accuracy", "99.25 %",
          (Q("test accuracy (%)", 99.25, (99.0, 100), (98.5, 100)),),
          c9_accuracy),
    Claim("C10", "Fig. B.2a", "final states of '6' (p = {p:g}, T = {T}, {trials} trials) "
          "classified '6'", "193 / 300",
          (Q("stay '6' (per 300)", 193, (163, 223), (133, 253)),),
          c10_stay),
    Claim("C11", "Fig. B.2b", "over the trials that stay '6', the mean distance to the concept "
          "of '6' still falls then rises (> 2 SEM)", "yes",
          (Q("falls, then rises (1 yes, 0 no)", 1, (1, 1), axis=(0, 1)),),
          c11_stayers_dip),
)  # fmt: skip
BY_ID = {c.id: c for c in CLAIMS}


def measure(tables: dict[str, pd.DataFrame | None], cfg: dict) -> dict[str, tuple]:
    """Per claim id: (values, ours in words, note[, verdict]) from a run's tables; values None:
    not run, unless a fourth item gives the verdict (C11 with fewer than two trials staying).

    `tables`: curves (distance_to_concept), summary (latent_summary), stages, onset,
    generalization (None unless the sweep was built), accuracy, final_summary, final_distance.
    """
    return {claim.id: claim.measure(tables, cfg) for claim in CLAIMS}
