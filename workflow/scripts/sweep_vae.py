"""Rule sweep_vae: MNIST -> test ELBO per epoch of one (N_z, lr, batch size) at constant lr."""

import pandas as pd
import torch

from vaeconcepts import h5io
from vaeconcepts.data import binarize, load_split
from vaeconcepts.devices import pick_device
from vaeconcepts.gpuslots import claim_gpu
from vaeconcepts.model import VAE
from vaeconcepts.runlog import open_log
from vaeconcepts.seeds import derive_seed, generator
from vaeconcepts.train import train_vae

log = open_log(snakemake.log[0])
p, w = snakemake.params, snakemake.wildcards
nz, lr, bs = int(w.nz), float(w.lr), int(w.bs)
claim_gpu(p.device, log.info)  # this job's own GPU when several run at once
device = pick_device(p.device)
torch.set_num_threads(snakemake.threads)
seed = derive_seed(p.seed, "sweep", nz, lr, bs)
log.info(f"sweep N_z = {nz}, lr {lr:g}, batch size {bs}, {p.epochs} epochs on {device}")

x_train, _ = load_split(snakemake.input.data, "train", device)
x_test, _ = load_split(snakemake.input.data, "test", device)
dynamic = p.binarize == "dynamic"
if dynamic:  # the same binarised test set as the models of rule train_vae
    x_test = binarize(x_test, generator(derive_seed(p.seed, "binarize-test"), device))

torch.manual_seed(seed)
model = VAE(nz, hidden=p.hidden, n_samples=p.n_samples, init=p.init).to(device)
schedule = [{"lr": lr, "epochs": p.epochs}]
history = pd.DataFrame(
    train_vae(model, x_train, x_test, schedule, bs, seed, dynamic, log.info, p.active_threshold)
)
history.insert(0, "nz", nz)
history.insert(2, "batch_size", bs)
h5io.write_csv(snakemake.output[0], history)
