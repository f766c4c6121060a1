"""Rules latent_tables, attractor_tables: the per-N_z CSVs of each kind, stacked into one table
per kind."""

import pandas as pd

from vaeconcepts.infra.atomic import write_csv
from vaeconcepts.infra.job import start_job

log = start_job(snakemake)
for name, path in snakemake.output.items():
    parts = snakemake.input[name]
    write_csv(path, pd.concat([pd.read_csv(f) for f in parts], ignore_index=True))
    log.info(f"{path}: {len(parts)} parts")
