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
    memory_chunk: int = 4096,
    exclude_self: bool = False,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Distance to, and index of, the nearest memory of every point z (..., N_z).

    Exact, in two passes: a scan on the memories' leading principal axes (99.9 % of their
    variance) proposes the memory nearest there; the second-nearest there bounds every other
    memory, and a point the bound cannot settle is scanned in full. The distance is
    recomputed as |z - xi| at the index found. `exclude_self`: z are the memories themselves,
    each skips its own index.
    """
    shape, nz = z.shape[:-1], z.shape[-1]
    q = z.reshape(-1, nz).to(memories.dtype)
    axes, centre = _leading_axes(memories), memories.mean(0)
    full_keys = _keys(memories)
    pruned = len(axes) * 4 <= nz * 3 and len(memories) - exclude_self >= 2
    lead_keys = _keys((memories - centre) @ axes.T) if pruned else None
    typical = full_keys[-1].median()  # a memory's |xi|^2, the scale of the rounding
    best = torch.empty(len(q), dtype=torch.long, device=q.device)
    for qs in range(0, len(q), query_chunk):
        block = q[qs : qs + query_chunk]
        own = torch.arange(qs, qs + len(block), device=q.device) if exclude_self else None
        if lead_keys is None:
            best[qs : qs + len(block)] = _smallest(block, full_keys, memory_chunk, own)[0]
            continue
        lead = (block - centre) @ axes.T
        found, second = _smallest(lead, lead_keys, memory_chunk, own)
        value = ((block - memories[found]) ** 2).sum(1)
        # every other memory is at least the second-smallest partial d^2 away
        bound = second + (lead**2).sum(1)
        slack = 1e-4 * (value + (block**2).sum(1) + typical)  # rounding
        unsure = torch.nonzero(bound <= value + slack)[:, 0]
        if len(unsure):
            rows = None if own is None else own[unsure]
            found[unsure] = _smallest(block[unsure], full_keys, memory_chunk, rows)[0]
        best[qs : qs + len(block)] = found
    distance = (q - memories[best]).norm(dim=1)
    return distance.reshape(shape), best.reshape(shape)


def _leading_axes(memories: torch.Tensor, variance: float = 0.999) -> torch.Tensor:
    """The memories' principal axes (rows) that hold `variance` of their total variance."""
    centred = memories - memories.mean(0)
    eigenvalues, vectors = torch.linalg.eigh(centred.T @ centred)
    eigenvalues, vectors = eigenvalues.flip(0).clamp(min=0), vectors.flip(1)
    share = eigenvalues.cumsum(0) / eigenvalues.sum().clamp(min=1e-30)
    return vectors[:, : int((share < variance).sum()) + 1].T.contiguous()


def _keys(memories: torch.Tensor) -> torch.Tensor:
    """[xi, |xi|^2]^T (N_z + 1, M): [-2 z, 1] times it is |xi|^2 - 2 z.xi."""
    return torch.cat([memories, (memories**2).sum(1, keepdim=True)], 1).T.contiguous()


def _smallest(
    q: torch.Tensor, keys: torch.Tensor, memory_chunk: int, own: torch.Tensor | None
) -> tuple[torch.Tensor, torch.Tensor]:
    """Per point, the index of the smallest |xi|^2 - 2 z.xi over the memories (keys: _keys)
    and the second-smallest value; `own`: each point's index, skipped. The minima of each
    chunk (small enough to stay in the cache) come first; only the winning chunk is searched
    again for its index."""
    block = torch.cat([-2 * q, q.new_ones(len(q), 1)], 1)
    starts = range(0, keys.shape[1], memory_chunk)

    def partial(rows: torch.Tensor | slice, ms: int) -> torch.Tensor:
        values = block[rows] @ keys[:, ms : ms + memory_chunk]
        if own is not None:
            _skip_self(values, own[rows] - ms)
        return values

    minima = torch.stack([partial(slice(None), ms).amin(1) for ms in starts], 1)
    winner = minima.argmin(1)
    second = minima.scatter(1, winner[:, None], float("inf")).amin(1)
    index = torch.empty(len(q), dtype=torch.long, device=q.device)
    for c in winner.unique().tolist():
        rows = torch.nonzero(winner == c)[:, 0]
        chunk = partial(rows, starts[c])
        values, where = chunk.topk(min(2, chunk.shape[1]), dim=1, largest=False)
        index[rows] = where[:, 0] + starts[c]
        if values.shape[1] == 2:
            second[rows] = torch.minimum(second[rows], values[:, 1])
    return index, second


def _skip_self(partial: torch.Tensor, own: torch.Tensor) -> None:
    """Set entry (r, own[r]) of a (queries x memories) chunk to +inf, where it exists."""
    rows = torch.arange(len(partial), device=partial.device)
    ok = (own >= 0) & (own < partial.shape[1])
    partial[rows[ok], own[ok]] = float("inf")


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
