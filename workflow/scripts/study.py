"""Rule study: every run's scorecard -> results/study/claims.csv (seed groups aggregated)
and the scorecard figure."""

import pandas as pd

from vaeconcepts.figures import claims, style
from vaeconcepts.infra.atomic import write_csv
from vaeconcepts.infra.job import start_job
from vaeconcepts.infra.provenance import provenance
from vaeconcepts.scorecard.study import study

log = start_job(snakemake)
cards = pd.concat([pd.read_csv(path) for path in snakemake.input], ignore_index=True)
table = study(cards, snakemake.params.seed_groups)
write_csv(snakemake.output.table, table)
prov = provenance(dict(snakemake.params.items()), inputs=list(snakemake.input))
fig = claims.plot(table, c10_trials=sorted(set(snakemake.params.c10_trials.values())))
style.save(fig, snakemake.output.png, snakemake.output.pdf, prov=prov, scale=snakemake.params.scale)
for runs in snakemake.params.seed_groups.values():
    log.info(f"seed group: {', '.join(runs)}")
log.info(f"{len(cards['run'].unique())} runs, {len(table)} rows")
