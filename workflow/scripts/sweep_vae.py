"""Rule sweep_vae: the dataset -> test ELBO per epoch of one (N_z, lr, batch size) at a
constant learning rate (Fig. 7). Resumable like train_vae; the weights are not kept."""

from pathlib import Path

import pandas as pd

from vaeconcepts.infra.atomic import write_csv
from vaeconcepts.infra.job import job_device, start_job
from vaeconcepts.infra.seeds import sweep_seed
from vaeconcepts.training.checkpoint import job_checkpoint
from vaeconcepts.training.job import Member, TrainingJob
from vaeconcepts.training.train import fit_vae

log = start_job(snakemake)
p, w = snakemake.params, snakemake.wildcards
nz, lr, bs = int(w.nz), float(w.lr), int(w.bs)
device = job_device(snakemake, log)  # its own GPU when several jobs run at once
model = dict(p.model)  # hidden, n_samples, init, beta, layers, objective, precision
schedule = [{"lr": lr, "epochs": p.epochs}]
log.info(f"sweep N_z = {nz}, lr {lr:g}, batch size {bs}, {p.epochs} epochs on {device}")
settings = {"nz": nz, **model, "binarize": p.binarize, "seed": p.seed, "batch_size": bs}
checkpoint = job_checkpoint(Path(snakemake.output[0]).with_name("checkpoint.pt"),
                            {**settings, "schedule": schedule, "cuda_graph": p.cuda_graph},
                            snakemake.input.data, device, log.info)  # fmt: skip
member = Member(nz, schedule, sweep_seed(p.seed, nz, lr, bs),
                f"sweep N_z {nz}, lr {lr:g}, batch size {bs}")  # fmt: skip
job = TrainingJob([member], bs, model, p.binarize, run_seed=p.seed, data=snakemake.input.data,
                  device=device, cuda_graph=p.cuda_graph, checkpoint=checkpoint, log=log.info,
                  on_divergence="record")  # lr = 0.01 may diverge: an empty test ELBO  # fmt: skip
_, history = fit_vae(job)
history = pd.DataFrame(history)
history.insert(0, "nz", nz)
history.insert(2, "batch_size", bs)
write_csv(snakemake.output[0], history)
checkpoint.remove()
