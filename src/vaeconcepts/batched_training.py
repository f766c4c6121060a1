"""The batched trainer: K VAEs trained as one StackedVAE (batched.py), each as
`train.train_vae` would train it alone, to float tolerance; and the batched training job."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import torch

from .batched import StackedEpochs, StackedVAE
from .checkpoint import Checkpoint, guard
from .data import binarize
from .measures import active_units
from .model import VAE, seeded_vae
from .precision import check_precision
from .seeds import generator, training_seed
from .stacked_adam import StackedAdam
from .train import (
    UNIT_IMAGES,
    UNIT_THRESHOLD,
    TrainingDiverged,
    diverged_message,
    divergence,
    evaluate_elbo,
    training_data,
)


def lr_at(schedule: Sequence[dict], epoch: int) -> float:
    """The learning rate of `epoch` (from 1) in a schedule [{lr, epochs}, ...] (section 2)."""
    for stage in schedule:
        if epoch <= stage["epochs"]:
            return stage["lr"]
        epoch -= stage["epochs"]
    raise ValueError("epoch past the end of the schedule")


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
    finite (`train.divergence`) raises TrainingDiverged naming names[k] ('raise'), or ends
    its history at that epoch while the others train on ('record'), as `train.train_vae`.
    """
    epochs = {sum(stage["epochs"] for stage in schedule) for schedule in schedules}
    if len(epochs) != 1:
        raise ValueError(f"stacked models need equal total epochs, got {sorted(epochs)}")
    epochs = epochs.pop()
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
    names = list(names) if names is not None else [f"model {k}" for k in range(K)]
    state = checkpoint.load() if checkpoint is not None else None
    if state is not None:
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        for gk, saved in zip(gens, state["rng"], strict=True):
            gk.set_state(saved)
        histories, done = state["history"], state["epoch"]
    with guard(checkpoint):
        for epoch in range(done + 1, epochs + 1):
            start = time.perf_counter()
            lrs = [lr_at(schedule, epoch) for schedule in schedules]
            optimizer.set_lrs(lrs)
            x = torch.stack([binarize(x_train, gk) for gk in gens]) if dynamic_binarize else x_train
            train = loop.epoch(x)
            test = evaluate_elbo(model, x_test, [s + epoch for s in seeds])
            with torch.no_grad():
                mu = model.encode(x_units.expand(K, *x_units.shape))[0].double().cpu().numpy()
            seconds = (time.perf_counter() - start) / K
            for k, nz in enumerate(model.nzs):
                if histories[k] and divergence(histories[k][-1]):
                    continue  # diverged earlier ('record'): its history ends there
                n_active = int(active_units(np.nan_to_num(mu[k, :, :nz]), UNIT_THRESHOLD).sum())
                row = dict(epoch=epoch, lr=lrs[k], train_elbo=train[k][0],
                           train_objective=train[k][1], test_elbo=test[k],
                           active_units=n_active, seconds=seconds,
                           precision=model.precision)  # fmt: skip
                histories[k].append(row)
                bad = divergence(row)
                if bad:
                    log(diverged_message(names[k], row, model.beta, bad))
                    if on_divergence == "raise":
                        if checkpoint is not None:
                            checkpoint.remove()  # a resumed run would only diverge again
                        raise TrainingDiverged(diverged_message(names[k], row, model.beta, bad))
            log(f"epoch {epoch}/{epochs}: {K} models, test ELBO "
                f"{min(test):.2f} ... {max(test):.2f} ({seconds * K:.1f} s)")  # fmt: skip
            if checkpoint is not None:
                checkpoint.update(epoch, {
                    "model": model.state_dict(), "optimizer": optimizer.state_dict(),
                    "rng": [gk.get_state() for gk in gens], "history": histories,
                })  # fmt: skip
    return model.to_vaes(vaes), histories


def fit_vaes(
    data: str | Path,
    device: torch.device,
    members: Sequence[dict],
    model: dict,
    batch_size: int,
    binarize_mode: str = "none",
    log: Callable[[str], None] = print,
    checkpoint: Checkpoint | None = None,
    cuda_graph: bool = False,
) -> tuple[list[VAE], list[list[dict]]]:
    """One batched training job (rule train_batch): the VAEs of `members` ({run, nz, seed,
    schedule} each: run, N_z, run seed, section 2 schedule) trained at once on the dataset
    file, each with the initial weights, generator and test set that `train.fit_vae` gives
    it; a diverging one fails the job naming its run and N_z."""
    run_seed = members[0]["seed"]  # the test set's binarisation (one seed per batch then)
    x_train, x_test, dynamic = training_data(data, device, binarize_mode, run_seed)
    seeds = [training_seed(m["seed"], m["nz"]) for m in members]
    vaes = [seeded_vae(m["nz"], x_train.shape[1], model, seed, device)  # as train.fit_vae
            for m, seed in zip(members, seeds, strict=True)]  # fmt: skip
    schedules = [m["schedule"] for m in members]
    names = [f"run {m.get('run', '?')}, N_z {m['nz']}" for m in members]
    return train_stacked(vaes, schedules, seeds, x_train, x_test, batch_size, dynamic, log,
                         checkpoint, cuda_graph, names)  # fmt: skip
