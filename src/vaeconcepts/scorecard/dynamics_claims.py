"""The claims on the dynamics of repeated inference, C12-C19 (issue 37, item 4): where a
trajectory goes after the concept, the attractors, recall, and the N_z of the onset.

Rules as the issue fixed them before any result; values, words and verdicts as claims.py's
(`measure` gives (values, ours, note[, verdict]); values None: `not run`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vaeconcepts.analysis.latent_size import onset_nz
from vaeconcepts.analysis.tables import select
from vaeconcepts.paper import measures
from vaeconcepts.scorecard.claims import FIG6_NZ, Claim, _curve_clear
from vaeconcepts.scorecard.claims import Quantity as Q

FIG6_STAGE_II = (10, 20, 100)  # C16: stage II on Fig. 4's p grid at these N_z, not at 2, 5
KNEE_TOL = 2.0  # C18: nats from the best test ELBO over all N_z
NO = ([None], "-")
PAPER_ONSET = 6  # C17: "approached its corresponding concept from N_z = 6"


def _curves(curves: pd.DataFrame, nz: int, p: float) -> dict[int, pd.DataFrame]:
    part = select(curves, nz=nz, p=p)
    return {int(k): c.sort_values("t") for k, c in part.groupby("label")}


def paired_fall(d_from: np.ndarray, d_to: np.ndarray) -> bool:
    """Whether the mean paired difference d_to - d_from is below 0 by more than 2 SEM."""
    diff = np.asarray(d_to, np.float64) - np.asarray(d_from, np.float64)
    if len(diff) < 2:
        return False
    return bool(diff.mean() < -2 * diff.std(ddof=1) / np.sqrt(len(diff)))


def nears_memory(curve: pd.DataFrame, nearest: pd.DataFrame) -> bool:
    """C12 for one class: the concept curve dips clearly (C1's test) and the per-trial distance
    to the nearest memory falls from the curve's t_min to its last t (paired_fall)."""
    if not _curve_clear(curve):
        return False
    t_min = int(curve["t"].iloc[measures.dip(curve["mean"].to_numpy())["t_min"]])
    d = nearest.pivot(index="trial", columns="t", values="d_nearest")
    return paired_fall(d[t_min], d[int(curve["t"].max())])


def fast_then_slow(curve: pd.DataFrame) -> bool:
    """C13 for one class: (d(0) - d(t_min)) / t_min > (d(T) - d(t_min)) / (T - t_min) on the
    mean concept curve; no when it does not dip clearly (C1's test)."""
    if not _curve_clear(curve):
        return False
    dip, t = measures.dip(curve["mean"].to_numpy()), curve["t"].to_numpy()
    t_min, T = t[dip["t_min"]], t[-1]
    return dip["approach"] / (t_min - t[0]) > (dip["d_T"] - dip["d_min"]) / (T - t_min)


def _count(flags: dict[int, bool]) -> tuple:
    no = ", ".join(str(k) for k, ok in flags.items() if not ok) or "none"
    return [sum(flags.values())], f"{sum(flags.values())} of {len(flags)} labels", f"no: {no}"


def c12_to_memory(t: dict, cfg: dict) -> tuple:
    near = t.get("nearest_trials")
    if near is None or t.get("curves") is None:
        return *NO, "no nearest-memory table"
    curves = _curves(t["curves"], cfg["main_nz"], cfg["concept_curves"]["p"])
    if not curves:
        return *NO, "no concept curves"
    near = select(near, nz=cfg["main_nz"], p=cfg["concept_curves"]["p"])
    missing = sorted(set(curves) - set(near["label"]))
    if missing:
        return *NO, f"no nearest-memory trials of label {missing}"
    return _count({k: nears_memory(c, near[near["label"] == k]) for k, c in curves.items()})


def c13_speeds(t: dict, cfg: dict) -> tuple:
    if t.get("curves") is None:
        return *NO, "no concept curves"
    curves = _curves(t["curves"], cfg["main_nz"], cfg["concept_curves"]["p"])
    if not curves:
        return *NO, "no concept curves"
    return _count({k: fast_then_slow(c) for k, c in curves.items()})


def _label_trials(t: dict, cfg: dict) -> pd.DataFrame | None:
    trials = t.get("attractor_trials")
    if trials is None:
        return None
    if "start" in trials:  # the rollouts from noisy inputs, not those from clean memories
        trials = trials[trials["start"] == "noisy"]
    return select(trials, p=cfg["concept_curves"]["p"], label=cfg["min_distance"]["label"])


def c14_unique_memory(t: dict, cfg: dict) -> tuple:
    trials = _label_trials(t, cfg)
    if trials is None or (trials := trials[trials["nz"] == cfg["main_nz"]]).empty:
        return *NO, "no long rollouts"
    frac = float(trials["at_memory"].mean())
    return [frac], f"{trials['at_memory'].sum()} / {len(trials)}", "within the label's spacing"


def recall_agreement(stages: pd.DataFrame, recall: pd.DataFrame) -> float | None:
    """C15: the fraction of p at which [recalled >= 0.5] equals [stage I or II]; None when no
    p is in stage III. `stages`: p, stage; `recall`: p, recalled (the classified fraction)."""
    both = stages.merge(recall, on="p", validate="one_to_one")
    if not (both["stage"] == "III").any():
        return None
    return float(((both["recalled"] >= 0.5) == both["stage"].isin(["I", "II"])).mean())


def c15_recall(t: dict, cfg: dict) -> tuple:
    stages, recall = t.get("stages"), t.get("recall")
    if stages is None or recall is None:
        return *NO, "no recall table"
    if set(stages["p"]) - set(recall["p"]):
        return *NO, f"no recall at p = {sorted(set(stages['p']) - set(recall['p']))}"
    agreement = recall_agreement(stages, recall)
    if agreement is None:
        return [None], "no p in stage III", "nothing to test", "not applicable"
    return [agreement], f"{agreement:.2f} of {len(stages)} p", ""


def c16_stage_ii(t: dict, cfg: dict) -> tuple:
    stages = t.get("stages_nz")
    missing = FIG6_NZ if stages is None else sorted(set(FIG6_NZ) - set(stages["nz"]))
    if missing:
        return *NO, f"no stages of N_z = {list(missing)}"
    has = {nz: bool((stages.loc[stages["nz"] == nz, "stage"] == "II").any()) for nz in FIG6_NZ}
    stated = sum(has[nz] == (nz in FIG6_STAGE_II) for nz in FIG6_NZ)
    return [stated], f"stage II at N_z = {[nz for nz in FIG6_NZ if has[nz]] or 'none'}", ""


def c17_onset(t: dict, cfg: dict) -> tuple:
    onset = t.get("onset")
    if onset is None or onset.empty:
        return *NO, "no onset table"
    listed = ", ".join(map(str, sorted(onset["nz"])))
    if onset["nz"].min() > PAPER_ONSET:  # every N_z may approach: the onset is not on the list
        return *NO, f"onset.nz ({listed}) holds no N_z at or below the paper's {PAPER_ONSET}"
    nz = onset_nz(onset.sort_values("nz"), "clear")
    if nz is None:
        return (
            [None],
            "none",
            f"the largest N_z does not approach clearly; N_z {listed}",
            ("not reproduced"),
        )
    return [nz], f"N_z = {nz}", f"N_z {listed}"


def knee(best: pd.DataFrame, tol: float = KNEE_TOL) -> int:
    """C18: the smallest N_z whose best test ELBO is within `tol` nats of the best over N_z."""
    return int(best.loc[best["test_elbo"] >= best["test_elbo"].max() - tol, "nz"].min())


def c18_knee(t: dict, cfg: dict) -> tuple:
    gen, summary = t.get("generalization"), t.get("summary")
    if gen is None:
        return *NO, "the sweep is not built"
    if summary is None or 100 not in set(summary["nz"]):
        return *NO, "no model of N_z = 100"
    k = knee(gen[gen["best"]])
    active = int(summary.set_index("nz").loc[100, "n_active"])
    return [abs(k - active)], f"knee {k}, active units {active}", ""


def c19_concepts_only(t: dict, cfg: dict) -> tuple:
    trials = _label_trials(t, cfg)
    missing = FIG6_NZ if trials is None else sorted(set(FIG6_NZ) - set(trials["nz"]))
    if missing:
        return *NO, f"no long rollouts of N_z = {list(missing)}"
    frac = [float(trials.loc[trials["nz"] == nz, "nearer_concept"].mean()) for nz in FIG6_NZ]
    note = "fractions " + ", ".join(f"{f:.2f}" for f in frac)
    if len(set(frac)) == 1:  # no ranks to correlate: not the paper's decrease
        return [None], "constant", note, "not reproduced"
    rho = float(pd.DataFrame({"nz": FIG6_NZ, "frac": frac}).corr("spearman").iloc[0, 1])
    return [rho], f"rho = {rho:.2f}", note


CLAIMS = (
    Claim("C12", "Abstract, §3.1, §4", "after the concept the trajectory moves toward a memory: "
          "classes (p = {p:g}, N_z = {nz}) whose concept curve dips clearly and whose distance to "
          "the nearest training memory falls from t_min to T (paired, > 2 SEM)", "10",
          (Q("classes", 10, (10, 10), (7, 9), axis=(0, 10)),), c12_to_memory),
    Claim("C13", "§4", "first approach the concept at high speed, then slowly move toward a "
          "memory: classes whose approach speed exceeds the leaving speed (mean concept curve)",
          "10", (Q("classes", 10, (10, 10), (7, 9), axis=(0, 10)),), c13_speeds),
    Claim("C14", "§1", "drawn to a unique memory: the label's trials (p = {p:g}) whose long "
          "rollout ends within the memories' spacing of a training memory", "1",
          (Q("fraction at a memory", 1, (0.9, 1), (0.5, 1)),), c14_unique_memory),
    Claim("C15", "§3.2", "recall succeeds in stages I and II, fails in III: Fig. 4's p where "
          "[x(T) classified as the label in >= 50 % of trials] equals [stage I or II]", "1",
          (Q("fraction of p", 1, (1, 1), (0.8, 1)),), c15_recall),
    Claim("C16", "§4", "stage II on Fig. 4's p grid only for large N_z: absent at 2, 5, "
          "present at 10, 20, 100", "5",
          (Q("N_z as read (of 5)", 5, (5, 5), (4, 4), axis=(0, 5)),), c16_stage_ii),
    Claim("C17", "§3.3", "the trajectory approaches its concept from N_z = 6: the smallest "
          "N_z of the onset list from which every larger one approaches clearly", "6",
          (Q("onset N_z", 6, (6, 6), (5, 10)),), c17_onset),
    Claim("C18", "§3.4", "the N_z that minimises the generalization error matches the active "
          "units: |knee - active units at N_z = 100|, knee within 2 nats of the best", "0",
          (Q("|knee - active units|", 0, (0, 3), (0, 6)),), c18_knee),
    Claim("C19", "§3.3", "with fewer units only the concepts are stable: Spearman rho(N_z, "
          "fraction of final states nearer the concept than any memory), N_z 2, 5, 10, 20, 100",
          "decreasing",
          (Q("Spearman rho", -1, (-1, -0.9), (-1, 0), partly_open_hi=True),), c19_concepts_only),
)  # fmt: skip
BY_ID = {c.id: c for c in CLAIMS}


def evaluate(tables: dict[str, pd.DataFrame | None], cfg: dict) -> dict[str, tuple]:
    """Per claim id: (values, verdict, ours, note). `tables`: curves, nearest_trials,
    attractor_trials, stages, recall, stages_nz, onset, generalization, summary."""
    out = {}
    for claim in CLAIMS:
        values, ours, note, *verdict = claim.measure(tables, cfg)
        out[claim.id] = (values, verdict[0] if verdict else claim.verdict(values), ours, note)
    return out
