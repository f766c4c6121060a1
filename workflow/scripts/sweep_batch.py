"""Rule sweep_batch (sweep.batched: true): every (N_z, lr) of the Fig. 7 sweep at one batch
size, trained as one stacked model (vaeconcepts.training.stacked.batched) -> one history.csv
per run, as rule sweep_vae writes them. Resumable from sweep/checkpoint_bs{bs}.pt."""

from pathlib import Path

import pandas as pd

from vaeconcepts.infra.atomic import write_csv
from vaeconcepts.infra.job import job_device, start_job
from vaeconcepts.infra.seeds import sweep_seed
from vaeconcepts.training.checkpoint import job_checkpoint
from vaeconcepts.training.job import Member, TrainingJob
from vaeconcepts.training.stacked.batched_training import fit_vaes

log = start_job(snakemake)
p, bs = snakemake.params, int(snakemake.wildcards.bs)
device = job_device(snakemake, log)  # its own GPU when several jobs run at once
runs = [(nz, lr) for nz in p.nz for lr in p.lr]  # the order of the outputs
log.info(f"{len(runs)} models of batch size {bs}, {p.epochs} epochs, as one on {device}")
settings = {"nz": p.nz, "lr": p.lr, "batch_size": bs, "epochs": p.epochs, "model": dict(p.model),
            "binarize": p.binarize, "seed": p.seed, "cuda_graph": p.cuda_graph}  # fmt: skip
sweep_dir = Path(snakemake.output[0]).parents[2]  # results/runs/{run}/sweep
checkpoint = job_checkpoint(sweep_dir / f"checkpoint_bs{bs}.pt", settings,
                            snakemake.input.data, device, log.info)  # fmt: skip
job = TrainingJob(
    [Member(nz, [{"lr": lr, "epochs": p.epochs}],  # constant learning rates
            sweep_seed(p.seed, nz, lr, bs),  # as rule sweep_vae
            f"sweep N_z {nz}, lr {lr:g}, batch size {bs}") for nz, lr in runs],
    bs, dict(p.model), p.binarize, run_seed=p.seed, data=snakemake.input.data, device=device,
    cuda_graph=p.cuda_graph, checkpoint=checkpoint, log=log.info,
    # lr = 0.01 may diverge: that model's history ends there (an empty test ELBO, counted
    # per N_z), the others train on
    on_divergence="record",
)  # fmt: skip
_, histories = fit_vaes(job)
for (nz, _), history, path in zip(runs, histories, snakemake.output, strict=True):
    history = pd.DataFrame(history)
    history.insert(0, "nz", nz)
    history.insert(2, "batch_size", bs)
    write_csv(path, history)
checkpoint.remove()
