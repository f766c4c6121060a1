"""Rule train_vae: the dataset -> model.pt and history.csv of one (run, N_z).

A checkpoint beside model.pt lets a stopped job (SIGTERM, preemption, a crash) resume.
"""

from pathlib import Path

import pandas as pd

from vaeconcepts.infra.atomic import write_csv
from vaeconcepts.infra.job import job_device, start_job
from vaeconcepts.infra.provenance import provenance, sha256
from vaeconcepts.infra.seeds import training_seed
from vaeconcepts.paper.model import save_model
from vaeconcepts.training.checkpoint import Checkpoint
from vaeconcepts.training.train import fit_vae

log = start_job(snakemake)
p, out = snakemake.params, snakemake.output
nz = int(snakemake.wildcards.nz)
device = job_device(snakemake, log)  # its own GPU when several jobs run at once
model = dict(p.model)  # hidden, n_samples, init, beta, layers, objective, precision
params = {"nz": nz, **model, "binarize": p.binarize, "seed": p.seed, **p.settings}
log.info(f"N_z = {nz} on {device}, {params}")
data_sum = sha256(snakemake.input.data)
checkpoint = Checkpoint(
    Path(out.model).with_name("checkpoint.pt"),
    meta={**params, "data": data_sum, "device": device.type, "cuda_graph": p.cuda_graph},
    log=log.info,
)
vae, history = fit_vae(
    snakemake.input.data,
    device,
    nz,
    model,
    p.settings["schedule"],
    p.settings["batch_size"],
    seed=training_seed(p.seed, nz),
    run_seed=p.seed,
    binarize_mode=p.binarize,
    log=log.info,
    checkpoint=checkpoint,
    cuda_graph=p.cuda_graph,
    name=f"run {snakemake.wildcards.run}, N_z {nz}",
)
prov = provenance(params, inputs=[snakemake.input.data])
save_model(out.model, vae, extra={"provenance": prov})
write_csv(out.history, pd.DataFrame(history))
checkpoint.remove()
