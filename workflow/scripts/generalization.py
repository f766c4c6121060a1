"""Rule generalization: sweep histories -> test ELBO at the last epoch of every run, best
marked; a diverged run (its history ends at a non-finite epoch) has none, and is counted."""

import pandas as pd

from vaeconcepts.analysis.latent_size import best_per_nz, generalization_table, sweep_run
from vaeconcepts.infra.atomic import write_csv
from vaeconcepts.infra.job import start_job

log = start_job(snakemake)
runs = [sweep_run(pd.read_csv(path)) for path in snakemake.input]
table = generalization_table(pd.DataFrame(runs))
for nz, n in table.groupby("nz")["diverged"].sum().items():
    if n:
        log.info(f"N_z = {nz}: {n} of the sweep's runs diverged (no test ELBO)")
for row in best_per_nz(table).itertuples():
    log.info(f"N_z = {row.nz}: best test ELBO {row.test_elbo:.2f} (lr {row.lr:g}, "
             f"batch size {row.batch_size}, {row.epochs} epochs)")  # fmt: skip
write_csv(snakemake.output[0], table)
