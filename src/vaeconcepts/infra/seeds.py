"""Per-stage seeds derived from the one global seed, so any output can be rebuilt alone."""

from __future__ import annotations

import hashlib

import torch


def derive_seed(seed: int, *parts: object) -> int:
    """A 63-bit seed from (seed, stage name, wildcards), stable across runs and machines."""
    text = "/".join([str(seed), *map(str, parts)])
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little") >> 1


def training_seed(seed: int, nz: int) -> int:
    """The seed of a run's VAE of latent size `nz`: its initial weights, data order, noise."""
    return derive_seed(seed, "train", nz)


def sweep_seed(seed: int, nz: int, lr: float, batch_size: int) -> int:
    """The seed of one VAE of the Fig. 7 sweep (rules sweep_vae and sweep_batch alike)."""
    return derive_seed(seed, "sweep", nz, lr, batch_size)


def generator(seed: int, device: str | torch.device = "cpu") -> torch.Generator:
    """A torch.Generator on `device` seeded with `seed`."""
    g = torch.Generator(device=device)
    g.manual_seed(seed)
    return g
