"""Whether a setting that should change no result (a precision, a device) moves a claim:
two measurements of the same seeds compared by a rule fixed before the candidate ran.

    vaeconcepts fidelity REFERENCE CANDIDATE [--to CANDIDATE/fidelity.csv]

REFERENCE and CANDIDATE are measurement folders (vaeconcepts.scorecard.archive) of the same runs
(seeds). The candidate changes no claim if, for each quantity of TOLERANCES, the difference
of the seeds' means is at most max(2 sd of the reference seeds, the tolerance), and if each
claim of VERDICT_CLAIMS has the reference seed's verdict in at least AGREE_MIN seeds.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from vaeconcepts.infra.paths import history_file

# (claim, column of claims.csv) -> tolerance; 'test ELBO' is the last epoch of history.csv.
TOLERANCES = {
    ("C2", "value"): 2.0,  # active units
    ("C3", "value"): 1.0,  # units of both concepts' counts
    ("C3", "value_b"): 1.0,
    ("C4", "value"): 0.01,  # mean |cosine| of the concepts
    ("C10", "value"): 20.0,  # final states that stay '6'
    ("test ELBO", "value"): 0.5,  # nats
}
VERDICT_CLAIMS = ("C1", "C5", "C9", "C11")
AGREE_MIN = 2  # of 3 seeds


def seed_values(folder: str | Path, main_nz: int = 100) -> pd.DataFrame:
    """Per run of a measurement folder: (claim, column) -> value, and each claim's verdict;
    the test ELBO of the main model's last epoch."""
    folder = Path(folder)
    study = pd.read_csv(folder / "study" / "claims.csv")
    runs = study[study["kind"] == "run"]
    rows = []
    for _, r in runs.iterrows():
        for column in ("value", "value_b"):
            rows.append(dict(run=r["run"], claim=r["claim"], column=column, value=r[column],
                             verdict=r["verdict"]))  # fmt: skip
    for run in runs["run"].unique():
        history = pd.read_csv(history_file(folder, run, main_nz))
        rows.append(dict(run=run, claim="test ELBO", column="value",
                         value=history["test_elbo"].iloc[-1], verdict=""))  # fmt: skip
    return pd.DataFrame(rows)


def compare(reference: pd.DataFrame, candidate: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """One row per quantity and per verdict claim: the seeds' values, the test and whether it
    holds; and whether the candidate changes no claim (every row holds)."""
    runs = sorted(set(reference["run"]) & set(candidate["run"]))
    if not runs:
        raise ValueError("the two measurements share no run (seed)")
    rows = []
    for (claim, column), tolerance in TOLERANCES.items():
        ref, cand = (_values(t, claim, column, runs) for t in (reference, candidate))
        allowed = max(2 * ref.std(ddof=1), tolerance) if len(ref) > 1 else tolerance
        difference = cand.mean() - ref.mean()
        rows.append(dict(claim=claim, quantity=column, reference=_join(ref),
                         candidate=_join(cand), reference_mean=ref.mean(),
                         reference_sd=ref.std(ddof=1), candidate_mean=cand.mean(),
                         difference=difference, allowed=allowed, tolerance=tolerance,
                         holds=bool(abs(difference) <= allowed)))  # fmt: skip
    for claim in VERDICT_CLAIMS:
        ref, cand = (_verdicts(t, claim, runs) for t in (reference, candidate))
        agree = sum(a == b for a, b in zip(ref, cand, strict=True))
        rows.append(dict(claim=claim, quantity="verdict", reference=", ".join(ref),
                         candidate=", ".join(cand), difference=len(runs) - agree,
                         allowed=len(runs) - min(AGREE_MIN, len(runs)),
                         holds=agree >= min(AGREE_MIN, len(runs))))  # fmt: skip
    table = pd.DataFrame(rows)
    return table, bool(table["holds"].all())


def _values(table: pd.DataFrame, claim: str, column: str, runs: list[str]) -> pd.Series:
    rows = table[(table["claim"] == claim) & (table["column"] == column)].set_index("run")
    return rows.loc[runs, "value"].astype(float)


def _verdicts(table: pd.DataFrame, claim: str, runs: list[str]) -> list[str]:
    rows = table[(table["claim"] == claim) & (table["column"] == "value")].set_index("run")
    return [str(v) for v in rows.loc[runs, "verdict"]]


def _join(values: pd.Series) -> str:
    return ", ".join(f"{v:.4g}" for v in values)
