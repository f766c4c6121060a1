"""Rule min_distance: trajectories over p -> min_t distances to memory, concept and abstract
concept (eq. 13) and the stage at each p."""

from vaeconcepts.analysis.fig4 import min_distance_table, stages
from vaeconcepts.data.splits import load_split
from vaeconcepts.infra.atomic import write_csv
from vaeconcepts.infra.job import start_job

log = start_job(snakemake)
i = snakemake.input
images = load_split(i.data, "train")[0].numpy()
min_dist = min_distance_table(
    i.trajectories, i.noisy, i.latents, images, snakemake.params.n_trials, log.info
)
write_csv(snakemake.output.min_distance, min_dist)
write_csv(snakemake.output.stages, stages(min_dist))
