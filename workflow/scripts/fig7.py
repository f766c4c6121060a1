"""Rule plot_fig7: results/runs/{run}/stats/generalization.csv -> Fig. 7."""

import pandas as pd

from vaeconcepts.analysis.latent_size import best_per_nz
from vaeconcepts.figures import fig7, style
from vaeconcepts.infra.job import start_job
from vaeconcepts.infra.provenance import provenance

log = start_job(snakemake)
best = best_per_nz(pd.read_csv(snakemake.input.generalization))
fig = fig7.plot(best)
prov = provenance(dict(snakemake.params.items()), inputs=list(snakemake.input))
style.save(fig, snakemake.output.png, snakemake.output.pdf, prov=prov, scale=snakemake.params.scale)
log.info(f"best test ELBO of {len(best)} N_z")
