"""Attractors of a latent map with known fixed points: a contraction toward three anchors,
rate lambda_k in anchor k's Voronoi cell, so f's Jacobian there is lambda_k I and rho =
lambda_k; the basins are the cells."""

import numpy as np
import pytest
import torch

from vaeconcepts.analysis.attractors import (
    attractor_table,
    census,
    long_rollout,
    spectral_radius,
    trial_summary,
    trial_table,
)

ANCHORS = torch.tensor([[4.0, 0, 0], [0, 4, 0], [0, 0, 4]])
RATES = torch.tensor([0.5, 0.2, 0.8])


def contraction(z: torch.Tensor) -> torch.Tensor:
    """f(z) = a_k + lambda_k (z - a_k), k the anchor nearest z."""
    k = torch.cdist(z, ANCHORS).argmin(1)
    onehot = (k[:, None] == torch.arange(3)).to(z.dtype)
    a, rate = onehot @ ANCHORS, onehot @ RATES
    return a + rate[:, None] * (z - a)


def starts(n: int = 60, seed: int = 0) -> tuple[torch.Tensor, np.ndarray]:
    """n points near each anchor's cell (ball of radius 1.5 around it) and their cells."""
    g = torch.Generator().manual_seed(seed)
    z = ANCHORS.repeat_interleave(n, 0) + 1.5 * (torch.rand(3 * n, 3, generator=g) - 0.5)
    return z, torch.cdist(z, ANCHORS).argmin(1).numpy()


def reference_steps(z0: torch.Tensor, T: int, tol: float) -> list[int]:
    """Per trial: the first t + 1 with |z(t+1) - z(t)| / |z(t)| < tol, one trial at a time."""
    out = []
    for z in z0:
        z, steps = z[None], T
        for t in range(T):
            nxt = contraction(z)
            if (nxt - z).norm() / z.norm() < tol:
                steps = t + 1
                break
            z = nxt
        out.append(steps)
    return out


def test_long_rollouts_stop_at_convergence_like_one_trial_at_a_time():
    z0, cell = starts(10)
    run = long_rollout(contraction, z0, T=1000, tol=1e-4, record=(0, 1, 5, 1000))
    assert run.converged.all()
    assert run.steps.tolist() == reference_steps(z0, 1000, 1e-4)
    # stopped at |step| < tol |z|: |z - a_k| = |step| lambda / (1 - lambda) < 1e-4 * 4 * 4
    assert ((run.z - ANCHORS[cell]).norm(dim=1) < 1.6e-3).all()
    assert torch.equal(run.snapshots[0], z0)
    assert torch.allclose(run.snapshots[1], contraction(z0))
    assert torch.equal(run.snapshots[1000], run.z)  # every trial stopped: its final state


def test_a_trial_that_never_settles_runs_to_T():
    def swap(z):  # a 2-cycle: z -> -z
        return -z

    run = long_rollout(swap, torch.ones(4, 3), T=25, tol=1e-4)
    assert not run.converged.any() and (run.steps == 25).all()
    assert torch.equal(run.z, -torch.ones(4, 3))  # 25 steps: odd


def test_spectral_radius_of_known_jacobians():
    rho = spectral_radius(contraction, ANCHORS + 0.01)
    assert np.allclose(rho, RATES.numpy(), atol=1e-6)
    rotation = 1.2 * torch.tensor([[0.6, -0.8], [0.8, 0.6]])  # eigenvalues 1.2 e^(+-i theta)
    assert spectral_radius(lambda z: z @ rotation.T, torch.zeros(2, 2)) == pytest.approx(1.2)
    layer = torch.nn.Linear(2, 2)  # a map with parameters that require grad, as a VAE's
    with torch.no_grad():
        layer.weight.copy_(rotation)
    assert spectral_radius(layer, torch.zeros(3, 2)) == pytest.approx([1.2] * 3)


def test_census_counts_the_fixed_points_and_their_basins():
    z0, cell = starts(50)
    run = long_rollout(contraction, z0, T=1000, tol=1e-6)
    attractor = census(run.z, spacing=0.5)
    assert len(np.unique(attractor)) == 3
    # one attractor per cell, and the basin of each is its cell
    assert all(len(np.unique(attractor[cell == k])) == 1 for k in range(3))
    assert np.bincount(attractor).tolist() == np.bincount(cell).tolist()
    assert len(np.unique(census(run.z, spacing=1e-9))) > 3  # below the states' own scatter


def test_attractor_and_trial_tables():
    z0, cell = starts(40)
    source = cell.copy()
    source[:4] = 1  # four trials of anchor 0's cell carry label 1
    run = long_rollout(contraction, z0, T=1000, tol=1e-6)
    attractor = census(run.z, spacing=0.5)
    # memories: the anchors (label k) plus one off-anchor memory of label 0
    memories = torch.cat([ANCHORS, torch.tensor([[9.0, 9, 9]])])
    memory_labels = torch.tensor([0, 1, 2, 0])

    def classify(x):
        return torch.cdist(x, ANCHORS).argmin(1)

    table, points = attractor_table(
        contraction, lambda z: z, classify, run.z, attractor, source,
        run.converged.numpy(), memories, memory_labels,
    )  # fmt: skip
    table = table.set_index(np.asarray(torch.cdist(points, ANCHORS).argmin(1)))
    assert table.loc[0, "basin"] == (cell == 0).sum() and table.loc[0, "majority_label"] == 0
    assert table.loc[0, "purity"] == pytest.approx(1 - 4 / (cell == 0).sum())
    assert table.loc[1, "purity"] == 1.0 and table.loc[1, "source_labels"] == "1:40"
    assert table["nearest_index"].tolist() == [0, 1, 2] and (table["d_nearest"] < 1e-4).all()
    assert table["classified"].tolist() == [0, 1, 2]
    assert np.allclose(table["rho"], RATES.numpy(), atol=1e-5) and table["stable"].all()

    concepts = ANCHORS + torch.tensor([0.0, 0, 3])  # each label's concept 3 off its anchor
    spacing = {0: 0.1, 1: 1e-9, 2: 0.1}
    trials = trial_table(run, source, memories, memory_labels, concepts, spacing, attractor)
    assert trials["converged"].all() and (trials["nearest_label"] == cell).all()
    assert not trials["nearer_concept"].any()
    assert trials.loc[trials["label"] == 2, "at_memory"].all()
    assert not trials.loc[trials["label"] == 1, "at_memory"].any()  # spacing below tol
    summary = trial_summary(trials.assign(nz=3, p=0.2), keys=("nz", "p", "label"))
    row = summary.set_index("label").loc[1]
    assert row["n"] == 44 and row["n_attractors"] == 2
    assert row["top_attractor"] == pytest.approx(40 / 44)
