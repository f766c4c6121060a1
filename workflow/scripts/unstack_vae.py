"""Rule unstack_vae (train.batched: true): one VAE of a training batch -> its model.pt and
history.csv, the files rule train_vae writes."""

import pandas as pd

from vaeconcepts.infra.atomic import write_csv
from vaeconcepts.infra.job import start_job
from vaeconcepts.infra.torchio import load_torch, save_torch

log = start_job(snakemake)
w, out = snakemake.wildcards, snakemake.output
path = f"{snakemake.input[0]}/{w.run}_nz{w.nz}.pt"
record = load_torch(path, "batched model")
history = record.pop("history")
save_torch(out.model, record)
write_csv(out.history, pd.DataFrame(history))
log.info(f"{out.model}: N_z = {w.nz} of {snakemake.input[0]}")
