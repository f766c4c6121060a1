"""Rule train_vae: results/data/mnist.h5 -> model.pt and history.csv of one N_z."""

import pandas as pd
import torch

from vaeconcepts import h5io
from vaeconcepts.data import binarize, load_split
from vaeconcepts.devices import pick_device
from vaeconcepts.gpuslots import claim_gpu
from vaeconcepts.model import VAE, save_model
from vaeconcepts.runlog import open_log
from vaeconcepts.seeds import derive_seed, generator
from vaeconcepts.train import train_vae

log = open_log(snakemake.log[0])
p = snakemake.params
nz = int(snakemake.wildcards.nz)
claim_gpu(p.device, log.info)  # this job's own GPU when several run at once
device = pick_device(p.device)
seed = derive_seed(p.seed, "train", nz)
log.info(f"N_z = {nz} on {device}, settings {p.settings}, binarize {p.binarize}")

x_train, _ = load_split(snakemake.input.data, "train", device)
x_test, _ = load_split(snakemake.input.data, "test", device)
dynamic = p.binarize == "dynamic"
if dynamic:  # the test set is binarised once, with a fixed seed
    x_test = binarize(x_test, generator(derive_seed(p.seed, "binarize-test"), device))

torch.manual_seed(seed)
model = VAE(nz, hidden=p.hidden, n_samples=p.n_samples, init=p.init).to(device)
history = train_vae(
    model,
    x_train,
    x_test,
    p.settings["schedule"],
    p.settings["batch_size"],
    seed,
    dynamic_binarize=dynamic,
    log=log.info,
    active_threshold=p.active_threshold,
)
params = {
    "nz": nz,
    "hidden": p.hidden,
    "n_samples": p.n_samples,
    "init": p.init,
    "binarize": p.binarize,
    "seed": p.seed,
    **p.settings,
}
prov = h5io.provenance(params, inputs=[snakemake.input.data])
save_model(snakemake.output.model, model, extra={"provenance": prov})
h5io.write_csv(snakemake.output.history, pd.DataFrame(history))
