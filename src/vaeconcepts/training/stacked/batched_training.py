"""The batched trainer: K VAEs trained as one StackedVAE (batched.py), each as
`train.train_vae` would train it alone, to float tolerance; and the batched training job."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from vaeconcepts.data.splits import binarize
from vaeconcepts.infra.seeds import generator
from vaeconcepts.paper.measures import active_units
from vaeconcepts.paper.model import VAE, seeded_vae
from vaeconcepts.training.epochs import lr_at, run_epochs
from vaeconcepts.training.job import TrainingJob
from vaeconcepts.training.precision import check_precision
from vaeconcepts.training.stacked.batched import StackedEpochs, StackedVAE
from vaeconcepts.training.stacked.stacked_adam import StackedAdam
from vaeconcepts.training.train import UNIT_IMAGES, UNIT_THRESHOLD, evaluate_elbo, training_data


def train_stacked(
    vaes: Sequence[VAE], x_train: torch.Tensor, x_test: torch.Tensor, job: TrainingJob
) -> tuple[list[VAE], list[list[dict]]]:
    """Train the job's K members at once, vaes[k] through its schedule ([{lr, epochs}, ...]:
    one constant stage in the Fig. 7 sweep, section 2's three in the N_z study; equal total
    epochs), with the data order of generator(seed) and test-ELBO seeds seed + epoch.

    Returns the trained VAEs and each one's history (rows as `train.train_vae`'s). The job's
    checkpoint, cuda_graph and on_divergence as `train.train_vae` takes them; with 'record'
    a diverged model's history ends at that epoch while the others train on.
    """
    schedules, seeds = job.schedules, job.seeds
    _ = job.epochs  # equal for every member (one step trains them all), or a ValueError
    by_schedule: dict[tuple, list[int]] = {}  # models of one schedule share a learning rate
    for k, schedule in enumerate(schedules):
        by_schedule.setdefault(tuple((s["lr"], s["epochs"]) for s in schedule), []).append(k)
    model = StackedVAE(vaes)
    check_precision(model.precision, x_train.device.type)
    optimizer = StackedAdam(model.parameters(), [lr_at(s, 1) for s in schedules],
                            groups=list(by_schedule.values()))  # fmt: skip
    gens = [generator(s, x_train.device) for s in seeds]  # model k's order, noise, binarisation
    loop = StackedEpochs(model, optimizer, gens, job.batch_size, job.cuda_graph)
    x_units = x_train[:UNIT_IMAGES]
    K, histories, done = len(vaes), [[] for _ in vaes], 0
    state = job.checkpoint.load() if job.checkpoint is not None else None
    if state is not None:
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        for gk, saved in zip(gens, state["rng"], strict=True):
            gk.set_state(saved)
        histories, done = state["history"], state["epoch"]

    def one_epoch(epoch: int, lrs: list[float]) -> list[tuple[float, float, float, int]]:
        optimizer.set_lrs(lrs)
        x = torch.stack([binarize(x_train, gk) for gk in gens]) if job.dynamic else x_train
        train = loop.epoch(x)
        test = evaluate_elbo(model, x_test, [s + epoch for s in seeds])
        with torch.no_grad():
            mu = model.encode(x_units.expand(K, *x_units.shape))[0].double().cpu().numpy()
        units = [int(active_units(np.nan_to_num(mu[k, :, :nz]), UNIT_THRESHOLD).sum())
                 for k, nz in enumerate(model.nzs)]  # fmt: skip
        return [(*train[k], test[k], units[k]) for k in range(K)]

    def saved(histories: list[list[dict]]) -> dict:
        return {"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                "rng": [gk.get_state() for gk in gens], "history": histories}  # fmt: skip

    histories = run_epochs(job, one_epoch, saved, histories, done, model)
    return model.to_vaes(vaes), histories


def fit_vaes(job: TrainingJob) -> tuple[list[VAE], list[list[dict]]]:
    """One batched training job (rules train_batch and sweep_batch): VAE(nz, **model) of
    each member, seeded with its seed, through its schedule, all at once on the dataset file:
    each with the initial weights, data order and test set that `train.fit_vae` gives it."""
    x_train, x_test = training_data(job.data, job.device, job.binarize, job.run_seed)
    vaes = [seeded_vae(m.nz, x_train.shape[1], job.model, m.seed, job.device)
            for m in job.members]  # fmt: skip
    return train_stacked(vaes, x_train, x_test, job)
