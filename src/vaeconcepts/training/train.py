"""Training a VAE on whole-dataset tensors: Adam with a stepped learning rate (section 2),
resumable from a checkpoint."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import torch

from vaeconcepts.data.splits import binarize, load_split
from vaeconcepts.infra.seeds import derive_seed, generator
from vaeconcepts.paper.measures import active_units
from vaeconcepts.paper.model import VAE, elbo_terms, seeded_vae
from vaeconcepts.training.checkpoint import resume, training_state
from vaeconcepts.training.epochs import run_epochs
from vaeconcepts.training.graphed import GraphedEpochs
from vaeconcepts.training.job import TrainingJob
from vaeconcepts.training.precision import check_precision
from vaeconcepts.training.step import make_optimizer, set_lr, train_step

# history.csv counts active units, Var > UNIT_THRESHOLD (Burda et al. 2015, as the paper), on
# the first UNIT_IMAGES training images: fixed, so that the analyses' `active_threshold`
# does not retrain models.
UNIT_IMAGES, UNIT_THRESHOLD = 10_000, 0.01


@torch.no_grad()
def evaluate_elbo(model, x: torch.Tensor, seed: int | Sequence[int], batch_size: int = 2000):
    """Mean ELBO (nats per image, eq. 2; beta = 1 whatever the model's beta) with the
    model's L samples and a fixed seed: of a VAE (a float), or of K stacked models
    (batched.StackedVAE), model k with seed[k] (a list of K floats)."""
    was_training = model.training
    model.eval()
    many = isinstance(seed, Sequence)  # one seed per stacked model
    gens = [generator(s, x.device) for s in seed] if many else generator(seed, x.device)
    total = torch.zeros(len(seed) if many else (), dtype=torch.float64, device=x.device)
    for xb in x.split(batch_size):
        log_px, kl = elbo_terms(model, xb.expand(len(seed), *xb.shape) if many else xb, gens)
        total += (log_px - kl).sum(-1).double()
    model.train(was_training)
    return (total / len(x)).tolist()


@torch.no_grad()
def count_active_units(model: VAE, x: torch.Tensor, threshold: float = 0.01) -> int:
    """Active units, Var_x(mu_j(x)) > threshold over the images `x` (measures.active_units)."""
    was_training = model.training
    model.eval()
    mu = torch.cat([model.recognise(xb) for xb in x.split(2000)])
    model.train(was_training)
    return int(active_units(mu.double().cpu().numpy(), threshold).sum())


def train_epoch(
    model: VAE,
    optimizer: torch.optim.Optimizer,
    x: torch.Tensor,
    batch_size: int,
    g: torch.Generator,
) -> tuple[float, float]:
    """One pass over `x` in a random order, batches indexed from the one tensor; the mean
    ELBO (beta = 1) and the mean objective."""
    model.train()
    order = torch.randperm(len(x), generator=g, device=x.device)
    sums = torch.zeros(2, device=x.device)
    for idx in order.split(batch_size):
        optimizer.zero_grad(set_to_none=True)
        train_step(model, optimizer, x[idx], g, sums)
    elbo_mean, objective_mean = (sums / len(x)).tolist()
    return elbo_mean, objective_mean


def train_vae(model: VAE, x_train: torch.Tensor, x_test: torch.Tensor, job: TrainingJob):
    """Train in place the job's one member through its schedule ([{lr, epochs}, ...]); one
    history row per epoch.

    Each row also counts the active units (UNIT_THRESHOLD) of the first UNIT_IMAGES images.
    With the job's `checkpoint`, a stopped run goes on from its last saved epoch;
    `cuda_graph`: on a CUDA device, replay the step as a CUDA graph (graphed.py; the CPU
    ignores it). An epoch whose loss or test ELBO is not finite ends training: 'raise' raises
    TrainingDiverged naming the member, 'record' returns the history up to that epoch (the
    Fig. 7 sweep, whose lr = 0.01 may diverge); the checkpoint is removed.
    """
    [member] = job.members
    schedule, seed, batch_size = member.schedule, member.seed, job.batch_size
    check_precision(model.precision, x_train.device.type)
    g = generator(seed, x_train.device)
    graphed = job.cuda_graph and x_train.device.type == "cuda"
    optimizer = make_optimizer(model, schedule[0]["lr"], capturable=graphed)
    x_units = x_train[:UNIT_IMAGES]
    history, done = resume(job.checkpoint, model, optimizer, g)
    epochs = GraphedEpochs(model, optimizer, len(x_train), batch_size, g) if graphed else None

    def one_epoch(epoch: int, lrs: list[float]) -> list[tuple[float, float, float, int]]:
        set_lr(optimizer, lrs[0])
        x = binarize(x_train, g) if job.dynamic else x_train
        if epochs is not None:
            train_elbo, train_objective = epochs.epoch(x)
        else:
            train_elbo, train_objective = train_epoch(model, optimizer, x, batch_size, g)
        test_elbo = evaluate_elbo(model, x_test, seed + epoch)
        return [(train_elbo, train_objective, test_elbo,
                 count_active_units(model, x_units, UNIT_THRESHOLD))]  # fmt: skip

    def state(histories: list[list[dict]]) -> dict:
        return training_state(model, optimizer, g, histories[0])

    [history] = run_epochs(job, one_epoch, state, [history], done, model)
    return history


def training_data(
    data: str | Path, device, binarize_mode: str, run_seed: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """(training images, test images) of a dataset file on `device`.

    binarize_mode 'dynamic' binarises the test set once, with a seed from `run_seed`, so
    that every model of a run is evaluated on the same test images.
    """
    x_train, _ = load_split(data, "train", device)
    x_test, _ = load_split(data, "test", device)
    if binarize_mode == "dynamic":
        x_test = binarize(x_test, generator(derive_seed(run_seed, "binarize-test"), device))
    return x_train, x_test


def fit_vae(job: TrainingJob) -> tuple[VAE, list[dict]]:
    """One training job (rules train_vae and sweep_vae): the dataset file on the job's
    device, a new VAE(nz, **model) for its images seeded with the member's seed, trained
    through its schedule (section 2); data as `training_data` gives them."""
    x_train, x_test = training_data(job.data, job.device, job.binarize, job.run_seed)
    [member] = job.members
    vae = seeded_vae(member.nz, x_train.shape[1], job.model, member.seed, job.device)
    return vae, train_vae(vae, x_train, x_test, job)
