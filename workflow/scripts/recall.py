"""Rule recall (C15): the classifier's label of x(T) of Fig. 4's trajectories at every p."""

from vaeconcepts.analysis.recall import final_state_labels, recall_table
from vaeconcepts.infra.atomic import write_csv
from vaeconcepts.infra.job import job_device, start_job
from vaeconcepts.training.classifier import load_classifier

log = start_job(snakemake)
device = job_device(snakemake, log)
model = load_classifier(snakemake.input.model, device)
n = snakemake.params.n_trials
table = recall_table(
    [final_state_labels(model, path, n, device)[0] for path in snakemake.input.trajectories]
)
for row in table.itertuples():
    log.info(f"p = {row.p:g}: {row.n_recalled} of {row.n} x(T) classified '{row.label}'")
write_csv(snakemake.output[0], table)
