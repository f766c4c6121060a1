"""C17 and C18 (issue 37) from tables committed earlier, by the scorecard's own measures and
rules (src/vaeconcepts/scorecard/dynamics_claims.py).

C17 reads an N_z study's onset.csv; C18 a sweep's generalization.csv with each seed's
latent_summary.csv (the active units of N_z = 100). Run in the repository root:
    python measurements/2026-12-06-c17-c18/c17_c18.py
"""

from pathlib import Path

import pandas as pd

from vaeconcepts.scorecard.claims import rule_text
from vaeconcepts.scorecard.dynamics_claims import BY_ID

HERE = Path(__file__).parent
M = HERE.parent
ONSET = M / "2026-11-29-nz-study/runs/paper/onset.csv"
SWEEP = M / "2026-12-02-sweep-cpu-bf16/runs/paper/generalization.csv"
SEEDS = M / "2026-12-02-paper-seeds-bf16/runs"


def row(claim_id: str, tables: dict, source: str, seed: str = "") -> dict:
    claim = BY_ID[claim_id]
    values, ours, note, *verdict = claim.measure(tables, {})
    reproduced_if, partly_if = rule_text(claim.quantities[0])
    return dict(claim=claim_id, where=claim.where, paper=claim.paper, ours=ours,
                value=values[0], verdict=verdict[0] if verdict else claim.verdict(values),
                reproduced_if=reproduced_if, partly_if=partly_if, seed=seed, note=note,
                source=source)  # fmt: skip


rows = [row("C17", {"onset": pd.read_csv(ONSET)}, str(ONSET.relative_to(M)))]
generalization = pd.read_csv(SWEEP)
for run in ("paper", "seed1", "seed2"):
    summary = SEEDS / run / "latent_summary.csv"
    tables = {"generalization": generalization, "summary": pd.read_csv(summary)}
    rows.append(row("C18", tables, f"{SWEEP.relative_to(M)} + {summary.relative_to(M)}", run))
table = pd.DataFrame(rows)
table.to_csv(HERE / "claims.csv", index=False)
print(table.drop(columns=["source"]).to_string(index=False))
