"""Repeated inference, eqs. (6)-(7): z(t) = E_q[z|x(t)], x(t+1) = E_p[x|z(t)]."""

from __future__ import annotations

from typing import NamedTuple

import torch

from vaeconcepts.paper.model import VAE


class Trajectory(NamedTuple):
    z: torch.Tensor  # (n, T+1, N_z), z(0) = mu(x(0))
    x_final: torch.Tensor  # (n, pixels), x(T)
    x: torch.Tensor  # (n_frames, T+1, pixels), x(0..T) of the first trials


@torch.no_grad()
def rollout(model: VAE, x0: torch.Tensor, T: int, n_frames: int = 0) -> Trajectory:
    """Iterate recognition and generation T times from x(0) = x0, all trials as one batch."""
    x, zs, frames = x0, [], [x0[:n_frames]]
    for t in range(T + 1):
        z = model.recognise(x)
        zs.append(z)
        if t < T:
            x = model.generate(z)
            frames.append(x[:n_frames])
    return Trajectory(torch.stack(zs, 1), x, torch.stack(frames, 1))
