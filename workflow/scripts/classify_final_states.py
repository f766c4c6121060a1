"""Rule classify_final_states: the classifier's probabilities for each final state x(T)."""

import numpy as np

from vaeconcepts.analysis.recall import final_state_labels, stay_summary
from vaeconcepts.infra.atomic import write_csv
from vaeconcepts.infra.job import job_device, start_job
from vaeconcepts.training.classifier import load_classifier

log = start_job(snakemake)
device = job_device(snakemake, log)
model = load_classifier(snakemake.input.model, device)
table, meta = final_state_labels(
    model, snakemake.input.trajectories, snakemake.params.n_trials, device
)
summary = stay_summary(table, T=int(meta["T"]))
label, n, n_stay = int(meta["label"]), len(table), int(summary["n_stay"].iloc[0])
log.info(f"{n_stay} of {n} final states of '{label}' classified as '{label}' (paper: 193 of 300)")
n_classes = sum(c.startswith("prob") for c in table.columns)
log.info(f"predicted labels: {np.bincount(table['predicted'], minlength=n_classes).tolist()}")
write_csv(snakemake.output.labels, table)
write_csv(snakemake.output.summary, summary)
