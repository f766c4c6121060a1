"""Rule train_batch (train.batched: true): the VAEs of one training batch
(runs.training_batches) trained as one stacked model -> one file per VAE in the batch's
models/ folder, with its history; rule unstack_vae writes them out as train_vae would.
Resumable from the checkpoint beside that folder."""

from pathlib import Path

from vaeconcepts.infra.job import job_device, start_job
from vaeconcepts.infra.provenance import provenance
from vaeconcepts.infra.seeds import training_seed
from vaeconcepts.infra.torchio import save_torch
from vaeconcepts.paper.model import model_record
from vaeconcepts.training.checkpoint import job_checkpoint
from vaeconcepts.training.job import Member, TrainingJob
from vaeconcepts.training.stacked.batched_training import fit_vaes

log = start_job(snakemake)
p, out = snakemake.params, Path(snakemake.output[0])
device = job_device(snakemake, log)  # its own GPU when several jobs run at once
shared = dict(p.shared)  # model, binarize, batch_size
model = dict(shared["model"])  # hidden, n_samples, init, beta, layers, objective, precision
members = [dict(m) for m in p.members]  # run, nz, seed, schedule
log.info(f"{len(members)} VAEs as one on {device}: "
         + ", ".join(f"{m['run']} N_z = {m['nz']}" for m in members))  # fmt: skip
# per VAE, what train_vae records as its parameters
params = [{"nz": m["nz"], **model, "binarize": shared["binarize"], "seed": m["seed"],
           "batch_size": shared["batch_size"], "schedule": m["schedule"]}
          for m in members]  # fmt: skip
checkpoint = job_checkpoint(out.with_name("checkpoint.pt"),
                            {"models": params, "cuda_graph": p.cuda_graph},
                            snakemake.input.data, device, log.info)  # fmt: skip
job = TrainingJob(
    [Member(m["nz"], m["schedule"], training_seed(m["seed"], m["nz"]),  # as rule train_vae
            f"run {m['run']}, N_z {m['nz']}") for m in members],
    shared["batch_size"], model, shared["binarize"],
    run_seed=members[0]["seed"],  # the test set's binarisation (one seed per batch then)
    data=snakemake.input.data, device=device, cuda_graph=p.cuda_graph, checkpoint=checkpoint,
    log=log.info,
)  # fmt: skip
vaes, histories = fit_vaes(job)
out.mkdir(parents=True, exist_ok=True)
for m, vae, history, prm in zip(members, vaes, histories, params, strict=True):
    prov = provenance(prm, inputs=[snakemake.input.data])
    record = model_record(vae, extra={"provenance": prov, "history": history})
    save_torch(out / f"{m['run']}_nz{m['nz']}.pt", record)
checkpoint.remove()
