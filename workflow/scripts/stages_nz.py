"""Rule stages_nz (C16): Fig. 4's minimum distances and stages for the model of every N_z."""

import pandas as pd

from vaeconcepts.analysis.fig4 import min_distance_table, stages
from vaeconcepts.data.splits import load_split
from vaeconcepts.infra.atomic import write_csv
from vaeconcepts.infra.job import start_job

log = start_job(snakemake)
i, n_p = snakemake.input, len(snakemake.params.p)
images = load_split(i.data, "train")[0].numpy()
min_dist = pd.concat(
    [
        min_distance_table(
            i.trajectories[k * n_p : (k + 1) * n_p],
            i.noisy,
            latents,
            images,
            snakemake.params.n_trials,
            log.info,
        )
        for k, latents in enumerate(i.latents)
    ]
)
write_csv(snakemake.output.min_distance, min_dist)
write_csv(snakemake.output.stages, stages(min_dist))
