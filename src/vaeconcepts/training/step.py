"""One training step of a VAE and its optimiser (section 2: Adam, eq. 5), shared by the
eager epoch (train.py) and the CUDA-graph replay (graphed.py)."""

from __future__ import annotations

import torch

from vaeconcepts.paper.model import VAE, elbo_terms, training_objective
from vaeconcepts.training.precision import autocast


def make_optimizer(model: VAE, lr: float, capturable: bool = False) -> torch.optim.Adam:
    """Adam (section 2); the fused kernel, about 7 % faster per epoch than the default here.
    `capturable`: for a CUDA graph (graphed.py), the learning rate in a device tensor."""
    if not capturable:
        return torch.optim.Adam(model.parameters(), lr=lr, fused=True)
    device = next(model.parameters()).device
    lr_tensor = torch.tensor(lr, device=device)
    return torch.optim.Adam(model.parameters(), lr=lr_tensor, fused=True, capturable=True)


def set_lr(optimizer: torch.optim.Optimizer, lr: float) -> None:
    """Set every group's learning rate; a tensor learning rate (capturable) is filled in place,
    so that a captured CUDA graph reads the new value."""
    for group in optimizer.param_groups:
        current, device = group["lr"], group["params"][0].device
        if isinstance(current, torch.Tensor) and current.device == device:
            current.fill_(lr)
        elif isinstance(current, torch.Tensor):  # restored from a checkpoint on the CPU
            group["lr"] = torch.tensor(lr, dtype=current.dtype, device=device)
        else:
            group["lr"] = lr


def train_step(
    model: VAE, optimizer: torch.optim.Optimizer, xb: torch.Tensor, g: torch.Generator, sums
) -> None:
    """One Adam step maximising the model's training objective (model.training_objective)
    over the batch `xb` (gradients zeroed or dropped before); adds the batch's summed ELBO
    (eq. 5, beta = 1) and objective to `sums`. The layers run in the model's precision
    (precision.autocast); the terms, the loss and Adam in fp32."""
    with autocast(model.precision, xb.device.type):
        log_px, kl = elbo_terms(model, xb, g)
    m = model
    objective = training_objective(log_px, kl, m.objective, m.beta, m.n_pixels, m.nz).sum()
    (-objective / len(xb)).backward()
    optimizer.step()
    sums += torch.stack([(log_px - kl).sum(), objective]).detach()
