"""The nearest training memory along a trajectory of repeated inference (issue 37, item 1).

An exact search over every memory xi_i = mu(x_i) of the training set: chunked matrix
products, d^2 = |z|^2 - 2 z.xi + |xi|^2, never an array of trials x T x memories.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import torch

TARGETS = ("nearest_memory", "own_memory")


@torch.no_grad()
def nearest_memory(
    z: torch.Tensor,
    memories: torch.Tensor,
    query_chunk: int = 512,
    memory_chunk: int = 65536,
    exclude_self: bool = False,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Distance to, and index of, the nearest memory of every point z (..., N_z).

    Scans all memories (M, N_z) in chunks; the distance is recomputed as |z - xi| at the
    index found. `exclude_self`: z are the memories themselves, each skips its own index.
    """
    shape, nz = z.shape[:-1], z.shape[-1]
    q = z.reshape(-1, nz).to(memories.dtype)
    # [-2 z, 1] . [xi, |xi|^2] = |xi|^2 - 2 z.xi: one product per chunk, argmin = nearest
    keys = torch.cat([memories, (memories**2).sum(1, keepdim=True)], 1).T.contiguous()
    buffer = q.new_empty(min(query_chunk, len(q)) * min(memory_chunk, keys.shape[1]))
    best = torch.empty(len(q), dtype=torch.long, device=q.device)
    for qs in range(0, len(q), query_chunk):
        block = torch.cat(
            [-2 * q[qs : qs + query_chunk], q.new_ones(min(query_chunk, len(q) - qs), 1)], 1
        )
        value = torch.full((len(block),), float("inf"), dtype=q.dtype, device=q.device)
        index = torch.zeros(len(block), dtype=torch.long, device=q.device)
        for ms in range(0, keys.shape[1], memory_chunk):
            chunk = keys[:, ms : ms + memory_chunk]
            partial = torch.mm(
                block, chunk, out=buffer[: len(block) * chunk.shape[1]].view(len(block), -1)
            )
            if exclude_self:
                _skip_self(partial, qs - ms)
            v, i = partial.min(1)
            better = v < value
            value[better], index[better] = v[better], i[better] + ms
        best[qs : qs + len(block)] = index
    distance = (q - memories[best]).norm(dim=1)
    return distance.reshape(shape), best.reshape(shape)


def _skip_self(partial: torch.Tensor, offset: int) -> None:
    """Set entry (r, r + offset) of a (queries x memories) chunk to +inf, where it exists."""
    rows = torch.arange(len(partial), device=partial.device)
    ok = (rows + offset >= 0) & (rows + offset < partial.shape[1])
    partial[rows[ok], rows[ok] + offset] = float("inf")


def memory_spacing(memories: torch.Tensor, labels: torch.Tensor, **chunks) -> dict[int, float]:
    """Per label: the median over its training memories of the distance to the nearest other
    memory (of any label); key -1: the median over all memories."""
    distance, _ = nearest_memory(memories, memories, exclude_self=True, **chunks)
    distance, labels = distance.numpy(), labels.numpy()
    spacing = {int(k): float(np.median(distance[labels == k])) for k in np.unique(labels)}
    return spacing | {-1: float(np.median(distance))}


@torch.no_grad()
def trajectory_memories(
    z: torch.Tensor,
    memories: torch.Tensor,
    memory_labels: torch.Tensor,
    own: torch.Tensor,
    **chunks,
) -> pd.DataFrame:
    """Per trial and t of trajectories z (n, T+1, N_z): the distance to the nearest training
    memory, its index and label, and the distance to the trial's own memory (index `own`)."""
    n, steps, _ = z.shape
    distance, index = nearest_memory(z, memories, **chunks)
    own_distance = (z.to(memories.dtype) - memories[own][:, None]).norm(dim=2)
    return pd.DataFrame(
        {
            "trial": np.repeat(np.arange(n), steps),
            "t": np.tile(np.arange(steps), n),
            "d_nearest": distance.reshape(-1).numpy(),
            "nearest_index": index.reshape(-1).numpy(),
            "nearest_label": memory_labels[index].reshape(-1).numpy(),
            "d_own": own_distance.reshape(-1).numpy(),
        }
    )


def nearest_summary(trials: pd.DataFrame, keys=("nz", "p", "label")) -> pd.DataFrame:
    """Mean, SEM (ddof 1) and n over trials per `keys`, t and target (the nearest memory, the
    own memory), and `same_label`: the fraction of trials whose target has the source label.

    `trials`: trajectory_memories' rows with the columns `keys` added (`label`: the source).
    """
    keys = [*keys, "t"]
    same = trials["nearest_label"] == trials["label"]
    parts = []
    for target, column, same_label in zip(
        TARGETS, ("d_nearest", "d_own"), (same, pd.Series(True, trials.index)), strict=True
    ):
        g = trials.assign(_d=trials[column], _same=same_label.astype(float)).groupby(keys)
        part = g["_d"].agg(mean="mean", sd="std", n="count").reset_index()
        part["sem"] = part.pop("sd") / np.sqrt(part["n"])
        part["same_label"] = g["_same"].mean().to_numpy()
        parts.append(part.assign(target=target))
    columns = [*keys, "target", "mean", "sem", "n", "same_label"]
    return pd.concat(parts, ignore_index=True)[columns]
