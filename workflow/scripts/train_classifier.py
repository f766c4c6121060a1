"""Rule train_classifier: MNIST -> the Appendix B CNN, its history and its test accuracy."""

import pandas as pd
import torch

from vaeconcepts import h5io
from vaeconcepts.classifier import Classifier, accuracy, save_classifier, train_classifier
from vaeconcepts.data import load_split
from vaeconcepts.devices import pick_device
from vaeconcepts.gpuslots import claim_gpu
from vaeconcepts.runlog import open_log
from vaeconcepts.seeds import derive_seed

log = open_log(snakemake.log[0])
p = snakemake.params
claim_gpu(p.device, log.info)  # this job's own GPU when several run at once
device = pick_device(p.device)
torch.set_num_threads(snakemake.threads)
seed = derive_seed(p.seed, "classifier")
x_train, y_train = load_split(snakemake.input.data, "train", device)
x_test, y_test = load_split(snakemake.input.data, "test", device)
log.info(f"{len(x_train)} training, {len(x_test)} test images on {device}; {p.epochs} epochs")

torch.manual_seed(seed)  # initial weights and dropout
model = Classifier().to(device)
history = train_classifier(
    model, x_train, y_train, p.epochs, p.batch_size, p.lr, seed, x_test, y_test, log=log.info
)
test_accuracy = accuracy(model, x_test, y_test)
params = {"epochs": p.epochs, "batch_size": p.batch_size, "lr": p.lr, "seed": p.seed}
save_classifier(
    snakemake.output.model, model, {"provenance": h5io.provenance(params, [snakemake.input.data])}
)
h5io.write_csv(snakemake.output.history, pd.DataFrame(history))
stats = {**params, "n_train": len(x_train), "n_test": len(x_test), "test_accuracy": test_accuracy}
h5io.write_csv(snakemake.output.stats, pd.DataFrame([stats]))
log.info(f"test accuracy {test_accuracy:.4f} (paper: 0.9925)")
