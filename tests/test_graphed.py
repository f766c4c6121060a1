"""The training step as a CUDA graph (config `cuda_graph`): the CPU keeps the eager step
unchanged; on a CUDA device the graphed epochs follow the eager ones (these tests run
where a GPU is, e.g. `pytest tests/test_graphed.py` on the benchmark machine)."""

from __future__ import annotations

import copy

import pytest
import torch

from vaeconcepts.infra.seeds import generator
from vaeconcepts.paper.model import VAE
from vaeconcepts.training.checkpoint import Checkpoint
from vaeconcepts.training.graphed import GraphedEpochs
from vaeconcepts.training.job import one_vae
from vaeconcepts.training.step import make_optimizer, set_lr
from vaeconcepts.training.train import train_epoch, train_vae

cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")


def images(n: int, device="cpu", seed: int = 0) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    return torch.rand(n, 784, generator=g).to(device)


def weights(model: VAE) -> torch.Tensor:
    return torch.cat([p.detach().flatten() for p in model.parameters()])


def test_cuda_graph_setting_leaves_the_cpu_step_unchanged():
    x, x_test = images(300), images(100, seed=1)
    schedule = [{"lr": 1e-3, "epochs": 1}, {"lr": 1e-4, "epochs": 1}]
    runs = []
    for cuda_graph in (False, True):
        torch.manual_seed(0)
        model = VAE(4, hidden=32)
        history = train_vae(
            model,
            x,
            x_test,
            one_vae(schedule, 50, seed=3, log=lambda s: None, cuda_graph=cuda_graph),
        )
        runs.append((weights(model), [row["train_elbo"] for row in history]))
    assert torch.equal(runs[0][0], runs[1][0])
    assert runs[0][1] == runs[1][1]


def test_graphed_epochs_refuse_the_cpu():
    model = VAE(4, hidden=32)
    with pytest.raises(ValueError, match="CUDA"):
        GraphedEpochs(model, make_optimizer(model, 1e-3), 100, 50, generator(0))


def test_set_lr_fills_a_tensor_learning_rate_in_place():
    model = VAE(4, hidden=32)
    opt = torch.optim.Adam(model.parameters(), lr=torch.tensor(1e-3))
    lr = opt.param_groups[0]["lr"]
    set_lr(opt, 5e-5)
    assert opt.param_groups[0]["lr"] is lr and lr.item() == pytest.approx(5e-5)
    plain = make_optimizer(model, 1e-3)
    set_lr(plain, 2e-4)
    assert plain.param_groups[0]["lr"] == 2e-4


@cuda
def test_graphed_epoch_follows_the_eager_epoch_on_cuda():
    x = images(2000, "cuda")
    torch.manual_seed(0)
    start = VAE(10, hidden=64).cuda()
    eager, graphed = copy.deepcopy(start), copy.deepcopy(start)
    eager_opt = make_optimizer(eager, 5e-4)
    graph_opt = make_optimizer(graphed, 5e-4, capturable=True)
    epochs = GraphedEpochs(graphed, graph_opt, len(x), 100, generator(1, "cuda"))
    g = generator(1, "cuda")
    for _ in range(2):  # the second epoch replays the graph captured in the first
        eager_elbo, _ = train_epoch(eager, eager_opt, x, 100, g)
        graph_elbo, _ = epochs.epoch(x)
    assert epochs.graph is not None
    assert graph_elbo == pytest.approx(eager_elbo, abs=1e-3)
    torch.testing.assert_close(weights(graphed), weights(eager), atol=1e-5, rtol=1e-4)


@cuda
def test_graphed_training_changes_stage_and_resumes_on_cuda(tmp_path):
    x, x_test = images(1000, "cuda"), images(200, "cuda", seed=1)
    schedule = [{"lr": 1e-3, "epochs": 2}, {"lr": 1e-4, "epochs": 2}]

    def run(schedule, graph, checkpoint=None):
        torch.manual_seed(0)
        model = VAE(8, hidden=64).cuda()
        history = train_vae(
            model,
            x,
            x_test,
            one_vae(
                schedule, 100, seed=3, log=lambda s: None, checkpoint=checkpoint, cuda_graph=graph
            ),
        )
        return weights(model), history

    eager_w, eager_h = run(schedule, False)
    graph_w, graph_h = run(schedule, True)
    torch.testing.assert_close(graph_w, eager_w, atol=1e-5, rtol=1e-4)
    for a, b in zip(eager_h, graph_h, strict=True):
        assert b["train_elbo"] == pytest.approx(a["train_elbo"], abs=1e-3)
    # stopped after epoch 3 (a shorter schedule), then resumed to the end: the same weights
    ckpt = Checkpoint(tmp_path / "checkpoint.pt", meta={"graph": True}, every=1, log=print)
    run([schedule[0], {"lr": 1e-4, "epochs": 1}], True, ckpt)
    resumed_w, resumed_h = run(schedule, True, ckpt)
    assert len(resumed_h) == 4
    torch.testing.assert_close(resumed_w, graph_w, atol=1e-5, rtol=1e-4)
