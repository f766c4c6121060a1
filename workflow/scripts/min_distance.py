"""Rule min_distance: trajectories over p -> min_t distances to memory, concept and abstract
concept (eq. 13) and the stage at each p."""

import pandas as pd

from vaeconcepts import h5io, tables
from vaeconcepts.atomic import write_csv
from vaeconcepts.errors import InputError
from vaeconcepts.job import start_job

log = start_job(snakemake)
n = snakemake.params.n_trials
latents = h5io.read_h5(snakemake.input.latents, ["train/mu", "concepts", "abstract_concept"])
rows = []
for path in snakemake.input.trajectories:
    arrays, meta = h5io.read_trials(path, ["z", "source_index"], n)
    nz, p, label = int(meta["nz"]), float(meta["p"]), int(meta["label"])
    if arrays["z"].shape[2] != latents["concepts"].shape[1]:
        raise InputError(f"{path}: N_z = {nz}, but {snakemake.input.latents} is of another N_z")
    memory = latents["train/mu"][arrays["source_index"]]  # memory of each trial's source
    table = tables.min_distances(
        arrays["z"], memory, latents["concepts"][label], latents["abstract_concept"]
    )
    rows.append(table.assign(nz=nz, p=p, label=label))
    log.info(
        f"p = {p:g}: "
        + ", ".join(f"{t} {m:.3f}" for t, m in zip(table.target, table["mean"], strict=True))
    )
min_dist = pd.concat(rows)[["nz", "p", "label", "target", "mean", "sem", "n"]]
write_csv(snakemake.output.min_distance, min_dist)
write_csv(snakemake.output.stages, tables.stages(min_dist))
