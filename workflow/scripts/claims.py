"""Rule claims: a run's tables -> its scorecard (claims.csv), verdicts by the fixed rules."""

import pandas as pd

from vaeconcepts.infra.atomic import write_csv
from vaeconcepts.infra.job import start_job
from vaeconcepts.scorecard.study import scorecard

log = start_job(snakemake)
i, p = snakemake.input, snakemake.params
names = ["curves", "summary", "stages", "onset", "accuracy", "final_summary", "final_distance"]
names += ["nearest_trials", "attractor_trials", "recall", "stages_nz"]  # C12-C19
tables = {name: pd.read_csv(i[name]) for name in names}
# The sweep's table is an input only once `snakemake fig7` has built it (rules/claims.smk).
tables["generalization"] = pd.read_csv(i.generalization[0]) if i.generalization else None
card = scorecard(tables, p.settings, snakemake.wildcards.run, p.epochs)
for row in card.itertuples():
    log.info(f"{row.claim} {row.where}: paper {row.paper}, ours {row.ours} -> {row.verdict}")
write_csv(snakemake.output[0], card)
