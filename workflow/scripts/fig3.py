"""Rule plot_fig3: concepts, PCA ratios and cosine matrix of the main N_z -> Fig. 3."""

import pandas as pd

from vaeconcepts.data.splits import data_info
from vaeconcepts.figures import fig3, style
from vaeconcepts.infra import h5io
from vaeconcepts.infra.job import start_job
from vaeconcepts.infra.provenance import provenance

log = start_job(snakemake)
params = snakemake.params
concepts = h5io.read_h5(snakemake.input.latents, ["concepts"])["concepts"]
pca = pd.read_csv(snakemake.input.pca).query("nz == @params.nz").sort_values("component")
cos = pd.read_csv(snakemake.input.cosine).query("nz == @params.nz")
cosine = cos.pivot(index="i", columns="j", values="cosine").to_numpy()
info = data_info(snakemake.input.data)  # image shape and class names
fig = fig3.plot(concepts, pca["ratio"].to_numpy(), cosine, params.pca_levels, info.classes)
prov = provenance(dict(params.items()), inputs=list(snakemake.input))
style.save(fig, snakemake.output.png, snakemake.output.pdf, prov=prov, scale=params.scale)
log.info(f"N_z = {params.nz}")
