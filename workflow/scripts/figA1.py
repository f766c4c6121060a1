"""Rule plot_figA1: the training memories of the main N_z -> Fig. A.1."""

from vaeconcepts.data.splits import data_info
from vaeconcepts.figures import figA1, style
from vaeconcepts.infra import h5io
from vaeconcepts.infra.job import start_job
from vaeconcepts.infra.provenance import provenance

log = start_job(snakemake)
params = snakemake.params
latents = h5io.read_h5(snakemake.input.latents, ["train/mu", "train/labels"])
info = data_info(snakemake.input.data)  # image shape and class names
fig = figA1.plot(latents["train/mu"], latents["train/labels"], params.pca_labels, info.classes)
prov = provenance(dict(params.items()), inputs=list(snakemake.input))
style.save(fig, snakemake.output.png, snakemake.output.pdf, prov=prov, scale=params.scale)
log.info(f"{len(latents['train/mu'])} memories of N_z = {params.nz}")
