"""Rule plot_fig4: results/runs/{run}/stats/min_distance.csv and stages.csv -> Fig. 4."""

import pandas as pd

from vaeconcepts.figures import fig4, style
from vaeconcepts.infra.job import start_job
from vaeconcepts.infra.provenance import provenance

log = start_job(snakemake)
params = snakemake.params
min_dist = pd.read_csv(snakemake.input.min_distance)
stages = pd.read_csv(snakemake.input.stages)
fig = fig4.plot(min_dist, stages, params.label)
prov = provenance(dict(params.items()), inputs=list(snakemake.input))
style.save(fig, snakemake.output.png, snakemake.output.pdf, prov=prov, scale=params.scale)
log.info(
    "stages: " + ", ".join(f"p = {p:g} {s}" for p, s in zip(stages.p, stages.stage, strict=True))
)
