"""Rule final_state_distance: distance to the concept vs t, trials that stay the label vs all."""

import pandas as pd

from vaeconcepts.analysis import tables
from vaeconcepts.infra import h5io
from vaeconcepts.infra.atomic import write_csv
from vaeconcepts.infra.errors import InputError
from vaeconcepts.infra.job import start_job

log = start_job(snakemake)
n = snakemake.params.n_trials
traj, meta = h5io.read_trials(snakemake.input.trajectories, ["z"], n)
concepts = h5io.read_h5(snakemake.input.latents, ["concepts"])["concepts"]
labels = pd.read_csv(snakemake.input.labels)
label = int(meta["label"])
stays = (labels["predicted"] == label).to_numpy()
if len(labels) != n:
    raise InputError(f"{snakemake.input.labels}: {len(labels)} trials, expected {n}")
z, concept = traj["z"], concepts[label]
curves = pd.concat(  # eq. (10) over the trials that stay the label (Fig. B.2b red), and all
    [tables.concept_curve(z[stays], concept).assign(group="stays"),
     tables.concept_curve(z, concept).assign(group="all")]
)  # fmt: skip
curves = curves.assign(nz=int(meta["nz"]), p=float(meta["p"]), label=label)
curves = curves[["nz", "p", "label", "group", "t", "mean", "sem", "n"]]
log.info(f"{stays.sum()} of {n} trials stay '{label}'")
write_csv(snakemake.output[0], curves)
