"""The batched trainer: K VAEs trained as one StackedVAE (batched.py), each as
`train.train_vae` would train it alone, to float tolerance; and the batched training job."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import torch

from vaeconcepts.data.splits import binarize
from vaeconcepts.infra.seeds import generator
from vaeconcepts.paper.measures import active_units
from vaeconcepts.paper.model import VAE, seeded_vae
from vaeconcepts.training.checkpoint import Checkpoint
from vaeconcepts.training.epochs import lr_at, run_epochs, total_epochs
from vaeconcepts.training.precision import check_precision
from vaeconcepts.training.stacked.batched import StackedEpochs, StackedVAE
from vaeconcepts.training.stacked.stacked_adam import StackedAdam
from vaeconcepts.training.train import UNIT_IMAGES, UNIT_THRESHOLD, evaluate_elbo, training_data


def train_stacked(
    vaes: Sequence[VAE],
    schedules: Sequence[Sequence[dict]],
    seeds: Sequence[int],
    x_train: torch.Tensor,
    x_test: torch.Tensor,
    batch_size: int,
    dynamic_binarize: bool = False,
    log: Callable[[str], None] = print,
    checkpoint: Checkpoint | None = None,
    cuda_graph: bool = False,
    names: Sequence[str] | None = None,
    on_divergence: str = "raise",
) -> tuple[list[VAE], list[list[dict]]]:
    """Train K VAEs at once, model k through schedules[k] ([{lr, epochs}, ...]: one constant
    stage in the Fig. 7 sweep, section 2's three in the N_z study; equal total epochs), with
    the data order of generator(seeds[k]) and test-ELBO seeds seeds[k] + epoch.

    Returns the trained VAEs and each one's history (rows as `train.train_vae`'s). With a
    `checkpoint`, a stopped run goes on from its last saved epoch; `cuda_graph` replays the
    step as a CUDA graph on a CUDA device (the CPU ignores it). A model whose epoch is not
    finite (`epochs.divergence`) raises TrainingDiverged naming names[k] ('raise'), or ends
    its history at that epoch while the others train on ('record'), as `train.train_vae`.
    """
    total_epochs(schedules)  # equal for all: one step trains every model
    by_schedule: dict[tuple, list[int]] = {}  # models of one schedule share a learning rate
    for k, schedule in enumerate(schedules):
        by_schedule.setdefault(tuple((s["lr"], s["epochs"]) for s in schedule), []).append(k)
    model = StackedVAE(vaes)
    check_precision(model.precision, x_train.device.type)
    optimizer = StackedAdam(model.parameters(), [lr_at(s, 1) for s in schedules],
                            groups=list(by_schedule.values()))  # fmt: skip
    gens = [generator(s, x_train.device) for s in seeds]  # model k's order, noise, binarisation
    loop = StackedEpochs(model, optimizer, gens, batch_size, cuda_graph)
    x_units = x_train[:UNIT_IMAGES]
    K, histories, done = len(vaes), [[] for _ in vaes], 0
    state = checkpoint.load() if checkpoint is not None else None
    if state is not None:
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        for gk, saved in zip(gens, state["rng"], strict=True):
            gk.set_state(saved)
        histories, done = state["history"], state["epoch"]

    def one_epoch(epoch: int, lrs: list[float]) -> list[tuple[float, float, float, int]]:
        optimizer.set_lrs(lrs)
        x = torch.stack([binarize(x_train, gk) for gk in gens]) if dynamic_binarize else x_train
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

    names = list(names) if names is not None else [f"model {k}" for k in range(K)]
    histories = run_epochs(schedules, one_epoch, saved, histories, done, names, model.beta,
                           model.precision, log, checkpoint, on_divergence)  # fmt: skip
    return model.to_vaes(vaes), histories


def fit_vaes(
    data: str | Path,
    device: torch.device,
    nzs: Sequence[int],
    model: dict,
    schedules: Sequence[Sequence[dict]],
    batch_size: int,
    seeds: Sequence[int],
    run_seed: int,
    binarize_mode: str = "none",
    log: Callable[[str], None] = print,
    checkpoint: Checkpoint | None = None,
    cuda_graph: bool = False,
    names: Sequence[str] | None = None,
    on_divergence: str = "raise",
) -> tuple[list[VAE], list[list[dict]]]:
    """One batched training job (rules train_batch and sweep_batch): VAE(nzs[k], **model)
    seeded with seeds[k] through schedules[k], all at once on the dataset file: each with the
    initial weights, data order and test set that `train.fit_vae` gives it alone."""
    x_train, x_test, dynamic = training_data(data, device, binarize_mode, run_seed)
    vaes = [seeded_vae(nz, x_train.shape[1], model, seed, device)
            for nz, seed in zip(nzs, seeds, strict=True)]  # fmt: skip
    return train_stacked(vaes, schedules, seeds, x_train, x_test, batch_size, dynamic, log,
                         checkpoint, cuda_graph, names, on_divergence)  # fmt: skip
