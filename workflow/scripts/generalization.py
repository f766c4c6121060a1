"""Rule generalization: sweep histories -> test ELBO at the last epoch of every run, best
marked; a diverged run (its history ends at a non-finite epoch) has none, and is counted."""

import pandas as pd

from vaeconcepts.analysis.latent_size import best_per_nz, generalization_table
from vaeconcepts.infra.atomic import write_csv
from vaeconcepts.infra.job import start_job
from vaeconcepts.training.epochs import divergence

log = start_job(snakemake)
runs = []
for path in snakemake.input:
    history = pd.read_csv(path)
    last = history.iloc[-1]
    diverged = divergence(last.to_dict()) is not None
    runs.append(dict(nz=int(last.nz), lr=float(last.lr), batch_size=int(last.batch_size),
                     epochs=int(last.epoch),
                     test_elbo=float("nan") if diverged else float(last.test_elbo),
                     diverged=diverged))  # fmt: skip
table = generalization_table(pd.DataFrame(runs))
for nz, n in table.groupby("nz")["diverged"].sum().items():
    if n:
        log.info(f"N_z = {nz}: {n} of the sweep's runs diverged (no test ELBO)")
for row in best_per_nz(table).itertuples():
    log.info(f"N_z = {row.nz}: best test ELBO {row.test_elbo:.2f} (lr {row.lr:g}, "
             f"batch size {row.batch_size}, {row.epochs} epochs)")  # fmt: skip
write_csv(snakemake.output[0], table)
