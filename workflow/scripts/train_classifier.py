"""Rule train_classifier: a dataset -> the Appendix B CNN, its history and test accuracy.
Resumable from a checkpoint beside model.pt, like train_vae."""

from pathlib import Path

import pandas as pd
import torch

from vaeconcepts.data.splits import data_info, load_split
from vaeconcepts.infra.atomic import write_csv
from vaeconcepts.infra.job import job_device, start_job
from vaeconcepts.infra.provenance import provenance
from vaeconcepts.infra.seeds import derive_seed
from vaeconcepts.training.checkpoint import job_checkpoint
from vaeconcepts.training.classifier import Classifier, accuracy, save_classifier, train_classifier

log = start_job(snakemake)
p = snakemake.params
device = job_device(snakemake, log)  # its own GPU when several jobs run at once
seed = derive_seed(p.seed, "classifier")
x_train, y_train = load_split(snakemake.input.data, "train", device)
x_test, y_test = load_split(snakemake.input.data, "test", device)
log.info(f"{len(x_train)} training, {len(x_test)} test images on {device}; {p.epochs} epochs")

params = {"epochs": p.epochs, "batch_size": p.batch_size, "lr": p.lr, "seed": p.seed}
checkpoint = job_checkpoint(Path(snakemake.output.model).with_name("checkpoint.pt"), params,
                            snakemake.input.data, device, log.info)  # fmt: skip
torch.manual_seed(seed)  # initial weights and dropout
info = data_info(snakemake.input.data)
model = Classifier(info.shape, info.n_classes).to(device)
history = train_classifier(
    model,
    x_train,
    y_train,
    p.epochs,
    p.batch_size,
    p.lr,
    seed,
    x_test,
    y_test,
    log.info,
    checkpoint,
)
test_accuracy = accuracy(model, x_test, y_test)
save_classifier(
    snakemake.output.model, model, {"provenance": provenance(params, [snakemake.input.data])}
)
write_csv(snakemake.output.history, pd.DataFrame(history))
stats = {**params, "n_train": len(x_train), "n_test": len(x_test), "test_accuracy": test_accuracy}
write_csv(snakemake.output.stats, pd.DataFrame([stats]))
checkpoint.remove()
log.info(f"test accuracy {test_accuracy:.4f} (paper: 0.9925)")
