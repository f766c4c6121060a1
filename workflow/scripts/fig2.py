"""Rule plot_fig2: results/runs/{run}/stats/distance_to_concept.csv -> Fig. 2."""

import pandas as pd

from vaeconcepts.analysis.tables import select
from vaeconcepts.data.splits import data_info
from vaeconcepts.figures import fig2, style
from vaeconcepts.infra.errors import InputError
from vaeconcepts.infra.job import start_job
from vaeconcepts.infra.provenance import provenance

log = start_job(snakemake)
params = snakemake.params
curves = pd.read_csv(snakemake.input.curves)
curves = select(curves, nz=params.nz, p=params.p)
missing = sorted(set(params.labels) - set(curves["label"]))
if missing:
    raise InputError(
        f"{snakemake.input.curves}: no curve of N_z = {params.nz}, "
        f"p = {params.p} for label(s) {missing}"
    )
info = data_info(snakemake.input.data)  # image shape and class names
fig = fig2.plot(curves, params.labels, names=info.classes)
prov = provenance(dict(params.items()), inputs=list(snakemake.input))
style.save(fig, snakemake.output.png, snakemake.output.pdf, prov=prov, scale=params.scale)
log.info(f"{len(params.labels)} panels, N_z = {params.nz}, p = {params.p}")
