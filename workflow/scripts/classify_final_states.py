"""Rule classify_final_states: the classifier's probabilities for each final state x(T)."""

import numpy as np
import pandas as pd
import torch

from vaeconcepts.infra import h5io
from vaeconcepts.infra.atomic import write_csv
from vaeconcepts.infra.job import job_device, start_job
from vaeconcepts.training.classifier import load_classifier, probabilities

log = start_job(snakemake)
n = snakemake.params.n_trials
device = job_device(snakemake, log)
model = load_classifier(snakemake.input.model, device)
traj, meta = h5io.read_trials(snakemake.input.trajectories, ["x_final", "source_index"], n)
x = torch.from_numpy(traj["x_final"]).to(device)
probs = probabilities(model, x).cpu().numpy()
label, predicted = int(meta["label"]), probs.argmax(1)
keys = dict(nz=int(meta["nz"]), p=float(meta["p"]), label=label)
table = pd.DataFrame(
    dict(**keys, trial=np.arange(n), source_index=traj["source_index"],
         **{f"prob{k}": probs[:, k] for k in range(probs.shape[1])}, predicted=predicted)
)  # fmt: skip
n_stay = int((predicted == label).sum())
summary = pd.DataFrame(
    [dict(**keys, T=int(meta["T"]), n=n, n_stay=n_stay, fraction_stay=n_stay / n)]
)
log.info(f"{n_stay} of {n} final states of '{label}' classified as '{label}' (paper: 193 of 300)")
log.info(f"predicted labels: {np.bincount(predicted, minlength=probs.shape[1]).tolist()}")
write_csv(snakemake.output.labels, table)
write_csv(snakemake.output.summary, summary)
