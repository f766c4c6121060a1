"""Rule latent_stats: memories and concepts of one N_z -> cosine matrix (eq. 11), active units,
PCA ratios and a one-row summary."""

import pandas as pd

from vaeconcepts.analysis import tables
from vaeconcepts.infra import h5io
from vaeconcepts.infra.atomic import write_csv
from vaeconcepts.infra.errors import InputError
from vaeconcepts.infra.job import start_job

log = start_job(snakemake)
params = snakemake.params
nz = int(snakemake.wildcards.nz)
latents = h5io.read_h5(snakemake.input.latents, ["train/mu", "train/unit_kl", "concepts"])
memories, concepts = latents["train/mu"], latents["concepts"]
if memories.shape[1] != nz:
    raise InputError(
        f"{snakemake.input.latents}: memories of N_z = {memories.shape[1]}, expected {nz}"
    )
out = snakemake.output
cosine = tables.cosine_table(concepts).assign(nz=nz)
write_csv(out.cosine, cosine[["nz", "i", "j", "cosine"]])
units = tables.unit_table(memories, params.active_threshold, latents["train/unit_kl"], concepts)
units.insert(0, "nz", nz)
write_csv(out.active_units, units)
pca = tables.pca_table(memories).assign(nz=nz)
write_csv(out.pca, pca[["nz", "component", "ratio", "cumulative"]])
summary = tables.latent_summary(units, pca, cosine, params.pca_levels)
write_csv(out.summary, pd.DataFrame([{"nz": nz, **summary}]))
log.info(f"N_z = {nz}: {summary}")
