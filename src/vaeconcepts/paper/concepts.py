"""Memories, concepts and the abstract concept in latent space (eqs. 8, 9, 12)."""

from __future__ import annotations

import torch

from vaeconcepts.paper.model import VAE


@torch.no_grad()
def memories(model: VAE, x: torch.Tensor, batch_size: int = 10000) -> torch.Tensor:
    """xi_i = E_q[z | x_i] = mu(x_i) of each image, eq. (9)."""
    return torch.cat([model.recognise(xb) for xb in x.split(batch_size)])


@torch.no_grad()
def unit_kl(model: VAE, x: torch.Tensor, batch_size: int = 10000) -> torch.Tensor:
    """Mean over images of KL(q(z_j|x) || N(0, 1)) of every latent unit j, in nats (eq. 5)."""
    total = 0
    for xb in x.split(batch_size):
        mu, logvar = model.encode(xb)
        total = total + (0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar)).double().sum(0)
    return total / len(x)


def concepts(memories: torch.Tensor, labels: torch.Tensor, n_labels: int) -> torch.Tensor:
    """Concept of label k: the mean of the memories with label k, eq. (8); (n_labels, N_z)."""
    counts = torch.bincount(labels, minlength=n_labels).to(memories.dtype)
    if (counts == 0).any():
        missing = (counts == 0).nonzero().flatten().tolist()
        raise ValueError(f"no memory with label(s) {missing}: their concepts are undefined")
    sums = torch.zeros(n_labels, memories.shape[1], dtype=memories.dtype, device=memories.device)
    sums.index_add_(0, labels, memories)
    return sums / counts[:, None]


def abstract_concept(concepts: torch.Tensor) -> torch.Tensor:
    """The mean of the concepts (of the ten labels of MNIST), eq. (12)."""
    return concepts.mean(0)
