"""Swap noise of fraction p (section 2): each pixel is selected with probability p."""

from __future__ import annotations

import numpy as np
import torch

MODES = ("flip", "permute")


def swap_noise(x: torch.Tensor, p: float, mode: str, g: torch.Generator) -> torch.Tensor:
    """Noisy copies of images `x` (n, pixels) in [0, 1].

    flip: a selected pixel's intensity is swapped, x -> 1 - x.
    permute: the intensities of the selected pixels are shuffled among them.
    """
    if mode not in MODES:
        raise ValueError(f"noise mode {mode!r}: expected one of {MODES}")
    selected = torch.rand(x.shape, generator=g, device=x.device) < p
    if mode == "flip":
        return torch.where(selected, 1.0 - x, x)
    out = x.clone()
    for i in range(len(x)):
        where = selected[i].nonzero().squeeze(1)
        shuffled = where[torch.randperm(len(where), generator=g, device=x.device)]
        out[i, where] = x[i, shuffled]
    return out


def choose_sources(labels: np.ndarray, label: int, n: int, seed: int) -> np.ndarray:
    """Indices of n training images of `label`, drawn without replacement when there are enough."""
    pool = np.flatnonzero(labels == label)
    if len(pool) == 0:
        raise ValueError(f"no training image has label {label}")
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(pool, size=n, replace=n > len(pool)))


def changed_fraction(clean: np.ndarray, noisy: np.ndarray) -> float:
    """The mean fraction of pixels whose intensity the noise changed, over images (n, pixels):
    p selects pixels, and a permutation among them leaves equal intensities (most of an MNIST
    digit's background) as they were, so this is below p under 'permute'."""
    return float((np.asarray(clean) != np.asarray(noisy)).mean())
