"""Rule train_vae: the dataset -> model.pt and history.csv of one (run, N_z).

A checkpoint beside model.pt lets a stopped job (SIGTERM, preemption, a crash) resume.
"""

from pathlib import Path

import pandas as pd

from vaeconcepts.infra.atomic import write_csv
from vaeconcepts.infra.job import job_device, start_job
from vaeconcepts.infra.provenance import provenance
from vaeconcepts.infra.seeds import training_seed
from vaeconcepts.paper.model import save_model
from vaeconcepts.training.checkpoint import job_checkpoint
from vaeconcepts.training.job import Member, TrainingJob
from vaeconcepts.training.train import fit_vae

log = start_job(snakemake)
p, out = snakemake.params, snakemake.output
nz = int(snakemake.wildcards.nz)
device = job_device(snakemake, log)  # its own GPU when several jobs run at once
model = dict(p.model)  # hidden, n_samples, init, beta, layers, objective, precision
params = {"nz": nz, **model, "binarize": p.binarize, "seed": p.seed, **p.settings}
log.info(f"N_z = {nz} on {device}, {params}")
checkpoint = job_checkpoint(Path(out.model).with_name("checkpoint.pt"),
                            {**params, "cuda_graph": p.cuda_graph}, snakemake.input.data,
                            device, log.info)  # fmt: skip
member = Member(nz, p.settings["schedule"], training_seed(p.seed, nz),
                f"run {snakemake.wildcards.run}, N_z {nz}")  # fmt: skip
job = TrainingJob([member], p.settings["batch_size"], model, p.binarize, run_seed=p.seed,
                  data=snakemake.input.data, device=device, cuda_graph=p.cuda_graph,
                  checkpoint=checkpoint, log=log.info)  # fmt: skip
vae, history = fit_vae(job)
prov = provenance(params, inputs=[snakemake.input.data])
save_model(out.model, vae, extra={"provenance": prov})
write_csv(out.history, pd.DataFrame(history))
checkpoint.remove()
