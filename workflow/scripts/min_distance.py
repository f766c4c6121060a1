"""Rule min_distance: trajectories over p -> min_t distances to memory, concept and abstract
concept (eq. 13) and the stage at each p."""

import pandas as pd

from vaeconcepts.analysis import tables
from vaeconcepts.data.splits import load_split
from vaeconcepts.infra import h5io
from vaeconcepts.infra.atomic import write_csv
from vaeconcepts.infra.errors import InputError
from vaeconcepts.infra.job import start_job
from vaeconcepts.paper.noise import changed_fraction

log = start_job(snakemake)
n = snakemake.params.n_trials
latents = h5io.read_h5(snakemake.input.latents, ["train/mu", "concepts", "abstract_concept"])
images = load_split(snakemake.input.data, "train")[0].numpy()
rows = []
for path, noisy_path in zip(snakemake.input.trajectories, snakemake.input.noisy, strict=True):
    arrays, meta = h5io.read_trials(path, ["z", "source_index"], n)
    nz, p, label = int(meta["nz"]), float(meta["p"]), int(meta["label"])
    if arrays["z"].shape[2] != latents["concepts"].shape[1]:
        raise InputError(f"{path}: N_z = {nz}, but {snakemake.input.latents} is of another N_z")
    memory = latents["train/mu"][arrays["source_index"]]  # memory of each trial's source
    table = tables.min_distances(
        arrays["z"], memory, latents["concepts"][label], latents["abstract_concept"]
    )
    noisy = h5io.read_trials(noisy_path, ["x0", "source_index"], n)[0]
    changed = changed_fraction(images[noisy["source_index"]], noisy["x0"])
    rows.append(table.assign(nz=nz, p=p, label=label, changed_pixels=changed))
    log.info(
        f"p = {p:g} ({changed:.1%} of pixels changed): "
        + ", ".join(f"{t} {m:.3f}" for t, m in zip(table.target, table["mean"], strict=True))
    )
keys = ["nz", "p", "label", "changed_pixels"]
min_dist = pd.concat(rows)[[*keys, "target", "mean", "sem", "n"]]
write_csv(snakemake.output.min_distance, min_dist)
write_csv(snakemake.output.stages, tables.stages(min_dist, keys))
