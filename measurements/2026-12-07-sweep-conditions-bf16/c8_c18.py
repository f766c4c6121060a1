"""C8 and C18 (Fig. 7) over the sweep conditions committed so far, by the scorecard's own
measures and rules (src/vaeconcepts/scorecard: claims.c8_generalization, dynamics_claims'
C18): each (lr, batch size) condition alone, and the best per N_z over all of them (the
paper's reading of Fig. 7).

The last row set (the best over all complete conditions) is also written as `c8.csv` with a
`config.yaml` of the sweep's grid, the files by which `vaeconcepts archive` knows a Fig. 7
sweep's measurement (its map column and README table).

Reads every `runs/paper/sweep/nz*/lr*_bs*/history.csv` here and in ../2026-12-02-sweep-cpu-bf16
(lr 1e-3, batch 100), and each seed's latent_summary.csv of ../2026-12-02-paper-seeds-bf16
(the active units at N_z = 100, as ../2026-12-06-c17-c18 did). Writes generalization.csv
and claims.csv here. Run in the repository root:
    python measurements/2026-12-07-sweep-conditions-bf16/c8_c18.py
"""

from pathlib import Path

import pandas as pd
import yaml

from vaeconcepts.analysis.latent_size import generalization_table, sweep_run
from vaeconcepts.scorecard.claims import BY_ID as PAPER_CLAIMS
from vaeconcepts.scorecard.claims import rule_text
from vaeconcepts.scorecard.dynamics_claims import BY_ID as NEW_CLAIMS

HERE = Path(__file__).parent
M = HERE.parent
SWEEPS = [M / "2026-12-02-sweep-cpu-bf16", HERE]
SEEDS = M / "2026-12-02-paper-seeds-bf16/runs"


def verdict(claim, tables: dict) -> dict:
    values, ours, note, *given = claim.measure(tables, {})
    reproduced_if, partly_if = rule_text(claim.quantities[0])
    return dict(claim=claim.id, ours=ours, value=values[0],
                verdict=given[0] if given else claim.verdict(values),
                reproduced_if=reproduced_if, partly_if=partly_if, note=note)  # fmt: skip


histories = sorted(h for sweep in SWEEPS for h in sweep.glob("runs/paper/sweep/nz*/*/history.csv"))
runs = pd.DataFrame([sweep_run(pd.read_csv(h)) for h in histories])
complete = runs.groupby(["lr", "batch_size"])["nz"].transform("size") == runs["nz"].nunique()
print(f"{len(runs)} runs; conditions with all {runs['nz'].nunique()} N_z: "
      f"{runs[complete].groupby(['lr', 'batch_size']).ngroups}")  # fmt: skip
runs = runs[complete]
generalization_table(runs).to_csv(HERE / "generalization.csv", index=False)

conditions = [(f"lr {lr:g}, batch {bs}", group) for (lr, bs), group in
              runs.groupby(["lr", "batch_size"])]  # fmt: skip
if len(conditions) > 1:
    conditions.append((f"best of the {len(conditions)} conditions", runs))
rows = []
for name, group in conditions:
    gen = generalization_table(group)
    rows.append(dict(condition=name, seed="") | verdict(PAPER_CLAIMS["C8"], {"generalization": gen}))
    for seed in ("paper", "seed1", "seed2"):
        summary = pd.read_csv(SEEDS / seed / "latent_summary.csv")
        tables = {"generalization": gen, "summary": summary}
        rows.append(dict(condition=name, seed=seed) | verdict(NEW_CLAIMS["C18"], tables))
table = pd.DataFrame(rows)
c8 = PAPER_CLAIMS["C8"]
best = table[(table["condition"] == name) & (table["claim"] == "C8")].drop(columns=["condition", "seed"])
best.insert(1, "where", c8.where), best.insert(2, "text", c8.text), best.insert(3, "paper", c8.paper)
best.to_csv(HERE / "c8.csv", index=False)
grid = dict(nz=sorted(int(n) for n in runs["nz"].unique()),
            conditions=[dict(lr=float(lr), batch_size=int(bs)) for (lr, bs), _ in
                        runs.groupby(["lr", "batch_size"])],
            epochs=int(runs["epochs"].max()))  # fmt: skip
(HERE / "config.yaml").write_text(yaml.safe_dump(dict(sweep=grid, model=dict(precision="bf16"))))
table.to_csv(HERE / "claims.csv", index=False)
print(table.drop(columns=["reproduced_if", "partly_if"]).to_string(index=False))
