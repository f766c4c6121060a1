"""Rule onset_table: distance-to-concept curves -> the dip of each N_z of onset.nz."""

import pandas as pd

from vaeconcepts.analysis.latent_size import onset_nz, onset_table
from vaeconcepts.analysis.tables import select
from vaeconcepts.infra.atomic import write_csv
from vaeconcepts.infra.errors import InputError
from vaeconcepts.infra.job import start_job

log = start_job(snakemake)
p = snakemake.params
curves = pd.read_csv(snakemake.input[0])
curves = select(curves, nz=list(p.nz), p=p.p, label=p.label)
missing = sorted(set(p.nz) - set(curves["nz"]))
if missing:
    raise InputError(f"{snakemake.input[0]}: no curve of label {p.label} at p = {p.p} "
                          f"for N_z = {missing}")  # fmt: skip
table = onset_table(curves)
for row in table.itertuples():
    log.info(f"N_z = {row.nz}: depth {row.depth:.4f} (rel. {row.rel_depth:.3f}), t_min {row.t_min}")
log.info(
    f"approaches from N_z = {onset_nz(table)}; clearly (> 2 SEM) from {onset_nz(table, 'clear')}"
)
write_csv(snakemake.output[0], table)
