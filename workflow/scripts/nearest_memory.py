"""Rule nearest_memory: the trajectories of Figs. 2 and 4 -> the distance to the nearest
training memory and to the trial's own memory per t, and the per-trial rows C12 reads."""

from vaeconcepts.analysis.dynamics import nearest_memory_tables
from vaeconcepts.infra.atomic import write_csv
from vaeconcepts.infra.job import start_job

log = start_job(snakemake)
i, params = snakemake.input, snakemake.params
files = dict(zip(i.trajectories, params.n_trials, strict=True))
fig2 = {path: params.trial_rows for path in i.fig2}
summary, trials = nearest_memory_tables(files, fig2, i.latents, log.info)
write_csv(snakemake.output.summary, summary)
write_csv(snakemake.output.trials, trials)
