"""Rule plot_fig6: distance curves and cosine matrices of every N_z -> Fig. 6."""

import pandas as pd

from vaeconcepts.analysis.tables import select
from vaeconcepts.data.splits import data_info
from vaeconcepts.figures import fig6, style
from vaeconcepts.infra.errors import InputError
from vaeconcepts.infra.job import start_job
from vaeconcepts.infra.provenance import provenance

log = start_job(snakemake)
params = snakemake.params
curves = pd.read_csv(snakemake.input.distance)
curves = select(curves, p=params.p, label=params.label)
missing = sorted(set(params.nz) - set(curves["nz"]))
if missing:
    raise InputError(f"{snakemake.input.distance}: no curve of label {params.label}, "
                          f"p = {params.p} for N_z = {missing}")  # fmt: skip
cosines = fig6.cosine_matrices(pd.read_csv(snakemake.input.cosine), params.nz)
info = data_info(snakemake.input.data)  # image shape and class names
fig = fig6.plot(curves, cosines, params.label, info.classes[params.label])
prov = provenance(dict(params.items()), inputs=list(snakemake.input))
style.save(fig, snakemake.output.png, snakemake.output.pdf, prov=prov, scale=params.scale)
log.info(f"{len(params.nz)} N_z: {params.nz}, label {params.label}, p = {params.p}")
