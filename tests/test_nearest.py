"""Nearest training memories along trajectories: the chunked search is the brute-force one,
and a trajectory that dips toward a concept and then nears a memory reads as such."""

import numpy as np
import pandas as pd
import pytest
import torch

from vaeconcepts.analysis.nearest import (
    _leading_axes,
    memory_spacing,
    nearest_memory,
    nearest_summary,
    trajectory_memories,
)


@pytest.mark.parametrize("query_chunk, memory_chunk", [(512, 65536), (7, 13), (1, 1000), (64, 333)])
def test_chunked_search_is_the_brute_force_search(query_chunk, memory_chunk):
    g = torch.Generator().manual_seed(0)
    memories, z = torch.randn(1000, 8, generator=g), torch.randn(6, 9, 8, generator=g)
    d, i = nearest_memory(z, memories, query_chunk, memory_chunk)
    full = torch.cdist(z.reshape(-1, 8).double(), memories.double())
    assert d.shape == i.shape == (6, 9)
    assert torch.equal(i.reshape(-1), full.argmin(1))
    assert torch.allclose(d.reshape(-1).double(), full.min(1).values, atol=1e-5)


def test_excluding_self_finds_the_nearest_other_memory():
    g = torch.Generator().manual_seed(1)
    memories = torch.randn(300, 5, generator=g)
    d, i = nearest_memory(memories, memories, query_chunk=64, memory_chunk=50, exclude_self=True)
    full = torch.cdist(memories.double(), memories.double()).fill_diagonal_(float("inf"))
    assert torch.equal(i, full.argmin(1)) and not (i == torch.arange(300)).any()
    assert torch.allclose(d.double(), full.min(1).values, atol=1e-5)


def low_rank_memories(n=2000, nz=40, rank=6, seed=2):
    """Memories on a rank-6 subspace plus a faint tail, like a trained VAE's mu(x): the
    search's first pass runs on few principal axes."""
    g = torch.Generator().manual_seed(seed)
    basis = torch.randn(rank, nz, generator=g)
    return torch.randn(n, rank, generator=g) @ basis + 0.01 * torch.randn(n, nz, generator=g), g


@pytest.mark.parametrize("exclude_self", [False, True])
def test_the_principal_axes_pass_finds_the_exact_nearest_memory(exclude_self):
    memories, g = low_rank_memories()
    assert len(_leading_axes(memories)) < 10  # the pruned search, not the full scan
    z = memories if exclude_self else memories[:500] + 0.3 * torch.randn(500, 40, generator=g)
    d, i = nearest_memory(z, memories, query_chunk=64, memory_chunk=333, exclude_self=exclude_self)
    full = torch.cdist(z.double(), memories.double())
    if exclude_self:
        full.fill_diagonal_(float("inf"))
    assert torch.equal(i, full.argmin(1))
    assert torch.allclose(d.double(), full.min(1).values, atol=1e-5)


def test_a_point_the_first_pass_cannot_settle_is_searched_in_full():
    # z lies 2 off memory 0 across the principal axes; memory 1 shares z's offset and lies 1
    # from it along them: on the axes memory 0 and its neighbours are nearer, in full memory 1
    memories, g = low_rank_memories(n=500, nz=10, rank=2)
    axes = _leading_axes(memories)
    off = torch.randn(10, generator=g)
    off -= axes.T @ (axes @ off)
    along = axes[0] / axes[0].norm()
    z = memories[0] + 2 * off / off.norm()
    memories[1] = z + along
    assert len(_leading_axes(memories)) == 2
    d, i = nearest_memory(
        z[None],
        memories,
    )
    assert int(i[0]) == 1 and float(d[0]) == pytest.approx(1.0, abs=1e-5)


def test_spacing_is_the_median_distance_to_the_nearest_other_memory():
    # label 0: 5 points 1 apart on a line; label 1: 3 points 3 apart, far away
    x = torch.tensor([0.0, 1, 2, 3, 4, 100, 103, 106])
    memories = torch.stack([x, torch.zeros(8)], 1)
    labels = torch.tensor([0, 0, 0, 0, 0, 1, 1, 1])
    spacing = memory_spacing(memories, labels)
    assert spacing == pytest.approx({0: 1.0, 1: 3.0, -1: 1.0})


def dip_then_memory():
    """Memories of label 0 around the origin (not at it), of label 1 far off; the concept of
    0 is the origin. Each trajectory starts at (5, 5), passes near the origin at t = 3 and
    ends on memory 2 (label 0), its own memory being memory 1."""
    memories = torch.tensor([[1.0, 0], [0, 1], [-1, 0], [0, -1], [20, 20], [21, 20]])
    labels = torch.tensor([0, 0, 0, 0, 1, 1])
    path = torch.tensor([[5.0, 5], [3, 3], [1, 1], [0.1, 0.1], [-0.5, 0], [-0.9, 0], [-1, 0]])
    offsets = torch.tensor([[0.0, 0], [0.01, 0], [0, 0.02]])
    z = path[None] + offsets[:, None]  # 3 trials, T = 6
    return z, memories, labels, torch.tensor([1, 1, 1])


def test_a_trajectory_that_dips_then_nears_a_memory():
    z, memories, labels, own = dip_then_memory()
    trials = trajectory_memories(z, memories, labels, own, query_chunk=4, memory_chunk=4)
    assert len(trials) == 3 * 7 and list(trials["t"].unique()) == list(range(7))
    last = trials[trials["t"] == 6]
    assert (last["nearest_index"] == 2).all() and (last["nearest_label"] == 0).all()
    assert last["d_nearest"].max() < 0.03
    assert np.allclose(last["d_own"], torch.cdist(z[:, 6], memories[1:2]).squeeze(1))
    first = trials[trials["t"] == 0]
    assert (first["nearest_label"] == 0).all()  # (5, 5) is nearer (1, 0) than (20, 20)
    expected = torch.cdist(z[:, 0], memories[:2]).min(1).values  # (1, 0) or (0, 1)
    assert np.allclose(first["d_nearest"], expected)


def test_summary_mean_sem_n_and_same_label_fraction():
    z, memories, labels, own = dip_then_memory()
    trials = trajectory_memories(z, memories, labels, own).assign(nz=2, p=0.2, label=0)
    trials.loc[trials["trial"] == 2, "label"] = 1  # one trial of another source label
    summary = nearest_summary(trials)
    row = summary[(summary["t"] == 6) & (summary["label"] == 0)]
    near = row[row["target"] == "nearest_memory"].iloc[0]
    d = trials[(trials["t"] == 6) & (trials["label"] == 0)]["d_nearest"].to_numpy()
    assert near["n"] == 2 and near["mean"] == pytest.approx(d.mean())
    assert near["sem"] == pytest.approx(d.std(ddof=1) / np.sqrt(2))
    assert near["same_label"] == 1.0
    other = summary[(summary["label"] == 1) & (summary["target"] == "nearest_memory")]
    assert (other["same_label"] == 0.0).all() and (other["n"] == 1).all()
    assert other["sem"].isna().all()
    assert set(summary["target"]) == {"nearest_memory", "own_memory"}
    assert isinstance(summary, pd.DataFrame) and len(summary) == 2 * 2 * 7
