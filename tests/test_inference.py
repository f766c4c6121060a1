"""Repeated inference, eqs. (6)-(7), on a tiny untrained VAE."""

import pytest
import torch

from vaeconcepts.paper.inference import rollout
from vaeconcepts.paper.model import VAE


@pytest.fixture
def model():
    torch.manual_seed(0)
    return VAE(nz=3, hidden=16).eval()


@pytest.fixture
def x0():
    return torch.rand((6, 784), generator=torch.Generator().manual_seed(1))


def test_shapes(model, x0):
    traj = rollout(model, x0, T=5, n_frames=2)
    assert traj.z.shape == (6, 6, 3)
    assert traj.x.shape == (2, 6, 784) and traj.x_final.shape == (6, 784)


def test_deterministic(model, x0):
    a, b = rollout(model, x0, T=5, n_frames=2), rollout(model, x0, T=5, n_frames=2)
    assert all(torch.equal(u, v) for u, v in zip(a, b, strict=True))


def test_the_two_equations(model, x0):
    T = 4
    traj = rollout(model, x0, T=T, n_frames=len(x0))
    with torch.no_grad():
        assert torch.equal(traj.z[:, 0], model.encode(x0)[0])  # z(0) = mu(x(0))
        assert torch.equal(traj.x[:, 0], x0)
        for t in range(T):
            x_next = torch.sigmoid(model.decode(traj.z[:, t]))  # x(t+1) = E_p[x | z(t)], eq. (6)
            torch.testing.assert_close(traj.x[:, t + 1], x_next, rtol=0, atol=0)
            z_next = model.encode(traj.x[:, t + 1])[0]  # z(t+1) = E_q[z | x(t+1)], eq. (7)
            torch.testing.assert_close(traj.z[:, t + 1], z_next, rtol=0, atol=0)
    assert torch.equal(traj.x_final, traj.x[:, T])
