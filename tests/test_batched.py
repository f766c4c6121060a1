"""The batched trainer: each of K models trains as today's trainer trains it alone, a padded
model is the smaller one, each model keeps its learning rate and schedule."""

import pytest
import torch
import torch.nn.functional as F

from vaeconcepts.paper.model import VAE, elbo_terms
from vaeconcepts.training.epochs import lr_at
from vaeconcepts.training.job import one_vae, side_by_side
from vaeconcepts.training.stacked.batched import PerModelLinear, StackedVAE
from vaeconcepts.training.stacked.batched_training import train_stacked
from vaeconcepts.training.stacked.stacked_adam import StackedAdam
from vaeconcepts.training.train import evaluate_elbo, train_vae


def vae(nz, seed, hidden=32, **model):
    torch.manual_seed(seed)
    return VAE(nz, hidden=hidden, **model)


def constant(lr, epochs):
    return [{"lr": lr, "epochs": epochs}]


def data(n=300, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.rand(n, 784, generator=g), torch.rand(60, 784, generator=g)


def test_the_cpu_layer_is_the_batched_product_with_its_gradients():
    g = torch.Generator().manual_seed(0)
    x, w, b = (torch.randn(*shape, generator=g, dtype=torch.double).requires_grad_()
               for shape in ((3, 5, 4), (3, 4, 6), (3, 1, 6)))  # fmt: skip
    torch.testing.assert_close(PerModelLinear.apply(x, w, b), torch.baddbmm(b, x, w))
    assert torch.autograd.gradcheck(PerModelLinear.apply, (x, w, b))
    images = x.detach()  # an input that needs no gradient (the first layer's) gets none
    PerModelLinear.apply(images, w, b).square().sum().backward()
    mine = w.grad.clone()
    w.grad = None
    torch.baddbmm(b, images, w).square().sum().backward()
    torch.testing.assert_close(mine, w.grad)
    assert images.grad is None


@pytest.mark.parametrize("dynamic", [False, True])
def test_each_stacked_model_trains_as_the_plain_trainer_alone(dynamic):
    # three models of different N_z (two padded), seeds and schedules: each one's weights
    # and history are those train_vae gives it alone (its own order, noise, binarisation)
    x, xt = data()
    nzs, seeds = (2, 5, 3), (7, 8, 9)
    schedules = [[{"lr": 1e-3, "epochs": 1}, {"lr": 1e-4, "epochs": 1}], constant(1e-3, 2),
                 constant(3e-3, 2)]  # fmt: skip
    stacked, rows = train_stacked(
        [vae(nz, k) for k, nz in enumerate(nzs)],
        x,
        xt,
        side_by_side(
            schedules, 50, seeds, binarize="dynamic" if dynamic else "none", log=lambda s: None
        ),
    )
    for k, nz in enumerate(nzs):
        plain = vae(nz, k)
        history = train_vae(
            plain,
            x,
            xt,
            one_vae(
                schedules[k],
                50,
                seeds[k],
                binarize="dynamic" if dynamic else "none",
                log=lambda s: None,
            ),
        )
        for a, b in zip(plain.state_dict().values(), stacked[k].state_dict().values(), strict=True):
            torch.testing.assert_close(b, a, rtol=1e-4, atol=1e-5)
        for r, s in zip(history, rows[k], strict=True):
            for key in ("epoch", "lr", "active_units"):
                assert s[key] == r[key]
            for key in ("train_elbo", "train_objective", "test_elbo"):
                assert s[key] == pytest.approx(r[key], abs=1e-3)


@pytest.mark.parametrize(
    "model",
    [
        dict(objective="keras-mean"),
        dict(layers=2),
        dict(layers=3, objective="keras-mean", beta=1.5),
    ],
    ids=["keras-mean", "two-layers", "three-layers-keras-mean-beta1.5"],
)
def test_stacked_models_of_every_setting_train_as_the_plain_trainer(model):
    # in float64, so that float32 rounding (which Adam magnifies: keras-mean's gradients
    # are about 1/784 of eq. 5's) does not hide a wrong scale: a padded model divided by the
    # padded N_z would differ by far more than 1e-10
    x, xt = (t.double() for t in data())
    nzs, seeds, schedules = (2, 5), (7, 8), [constant(1e-3, 2), constant(3e-3, 2)]
    torch.set_default_dtype(torch.float64)
    try:
        stacked, _ = train_stacked(
            [vae(nz, k, **model) for k, nz in enumerate(nzs)],
            x,
            xt,
            side_by_side(schedules, 50, seeds, log=lambda s: None),
        )
        for k, nz in enumerate(nzs):
            plain = vae(nz, k, **model)
            train_vae(plain, x, xt, one_vae(schedules[k], 50, seeds[k], log=lambda s: None))
            assert stacked[k].hparams() == plain.hparams()
            for a, b in zip(plain.state_dict().values(), stacked[k].state_dict().values(),
                            strict=True):  # fmt: skip
                torch.testing.assert_close(b, a, rtol=0, atol=1e-10)
    finally:
        torch.set_default_dtype(torch.float32)


class SoftplusVAE(VAE):
    """A model variant that changes the forward pass, written once, here: softplus hidden
    units and a skip around the extra layers."""

    def encode(self, x):
        h = F.softplus(self.linear("enc", x))
        for i in range(self.layers - 1):
            h = h + F.softplus(self.linear(f"enc_extra.{i}", h))
        return self.linear("enc_mu", h), self.linear("enc_logvar", h)

    def decode(self, z):
        h = F.softplus(self.linear("dec", z))
        for i in range(self.layers - 1):
            h = h + F.softplus(self.linear(f"dec_extra.{i}", h))
        return self.linear("dec_out", h)


def test_a_model_variant_written_in_its_vae_class_trains_batched_as_alone():
    # the stacked model runs the VAE class's own forward pass: nothing in batched.py
    x, xt = (t.double() for t in data())
    torch.set_default_dtype(torch.float64)
    try:

        def variant(nz, seed):
            torch.manual_seed(seed)
            return SoftplusVAE(nz, hidden=32, layers=2)

        stacked, _ = train_stacked(
            [variant(2, 0), variant(5, 1)],
            x,
            xt,
            side_by_side([constant(1e-3, 2)] * 2, 50, [7, 8], log=lambda s: None),
        )
        for k, nz in enumerate((2, 5)):
            plain = variant(nz, k)
            train_vae(plain, x, xt, one_vae(constant(1e-3, 2), 50, 7 + k, log=lambda s: None))
            assert type(stacked[k]) is SoftplusVAE
            for a, b in zip(plain.state_dict().values(), stacked[k].state_dict().values(),
                            strict=True):  # fmt: skip
                torch.testing.assert_close(b, a, rtol=0, atol=1e-10)
        tanh = vae(2, 0, layers=2).double()  # and it is not the plain VAE's
        tanh.load_state_dict(variant(2, 0).state_dict())
        assert not torch.allclose(tanh.encode(xt)[0], variant(2, 0).encode(xt)[0])
    finally:
        torch.set_default_dtype(torch.float32)


def test_a_padded_model_is_exactly_the_smaller_one():
    small, big = vae(3, 1), vae(6, 2)
    stacked = StackedVAE([small, big])
    x = torch.rand(20, 784)
    mu, logvar = stacked.encode(x.expand(2, *x.shape))
    ref_mu, ref_logvar = small.encode(x)
    torch.testing.assert_close(mu[0, :, :3], ref_mu)
    torch.testing.assert_close(logvar[0, :, :3], ref_logvar)
    assert (mu[0, :, 3:] == 0).all() and (logvar[0, :, 3:] == 0).all()
    # the same ELBO for the same parameters and noise (the padded noise is multiplied away)
    g = torch.Generator().manual_seed(3)
    log_px, kl = elbo_terms(stacked, x.expand(2, *x.shape), [g, g])
    assert torch.isfinite(log_px).all()
    e_small, e_big = evaluate_elbo(stacked, x, [11, 12])
    assert abs(e_small - evaluate_elbo(small, x, 11)) < 1e-3
    assert abs(e_big - evaluate_elbo(big, x, 12)) < 1e-3
    # padded weights get no gradient and never change in training
    before = {n: p.detach().clone() for n, p in stacked.named_parameters()}
    optimizer = StackedAdam(stacked.parameters(), [1e-2, 1e-2])
    (log_px - kl).sum().neg().backward()
    assert (stacked.enc_mu_w.grad[0, :, 3:] == 0).all()
    assert (stacked.dec_w.grad[0, 3:, :] == 0).all()
    optimizer.step()
    assert torch.equal(stacked.enc_mu_w[0, :, 3:], before["enc_mu_w"][0, :, 3:])
    assert torch.equal(stacked.enc_logvar_b[0, :, 3:], before["enc_logvar_b"][0, :, 3:])
    assert torch.equal(stacked.dec_w[0, 3:], before["dec_w"][0, 3:])
    assert not torch.equal(stacked.enc_mu_w[0, :, :3], before["enc_mu_w"][0, :, :3])
    [back, _] = stacked.to_vaes([small, big])
    torch.testing.assert_close(
        back.encode(x)[0], stacked.encode(x.expand(2, *x.shape))[0][0, :, :3]
    )


def test_each_model_keeps_its_learning_rate():
    x, xt = data()
    models = [vae(4, 1), vae(4, 1), vae(4, 1)]
    schedules = [constant(lr, 1) for lr in (1e-3, 0.0, 1e-4)]
    trained, histories = train_stacked(
        models, x, xt, side_by_side(schedules, 50, [5, 5, 5], log=lambda s: None)
    )
    start = list(vae(4, 1).state_dict().values())

    def moved(m):
        return sum((a - b).abs().sum() for a, b in zip(start, m.state_dict().values(), strict=True))

    moved = [moved(m) for m in trained]
    assert moved[1] == 0  # learning rate 0: unchanged
    assert moved[0] > moved[2] > 0
    assert [h[0]["lr"] for h in histories] == [1e-3, 0.0, 1e-4]


def test_a_stopped_batched_run_resumes_where_it_stopped(tmp_path):
    from vaeconcepts.training.checkpoint import Checkpoint

    x, xt = data()
    schedules = [[{"lr": 1e-3, "epochs": 2}, {"lr": 1e-4, "epochs": 1}], constant(1e-4, 3)]
    quiet = {"log": lambda s: None}
    whole, _ = train_stacked(
        [vae(2, 1), vae(4, 2)], x, xt, side_by_side(schedules, 50, [3, 4], **quiet)
    )
    ckpt = Checkpoint(tmp_path / "c.pt", {"k": 1}, every=1, log=lambda s: None)
    cut = [[{"lr": 1e-3, "epochs": 2}], constant(1e-4, 2)]  # stopped after epoch 2
    train_stacked(
        [vae(2, 1), vae(4, 2)], x, xt, side_by_side(cut, 50, [3, 4], checkpoint=ckpt, **quiet)
    )
    resumed, histories = train_stacked(
        [vae(2, 9), vae(4, 9)], x, xt, side_by_side(schedules, 50, [3, 4], checkpoint=ckpt, **quiet)
    )
    assert [row["epoch"] for row in histories[1]] == [1, 2, 3]
    for a, b in zip(whole, resumed, strict=True):
        for p, q in zip(a.state_dict().values(), b.state_dict().values(), strict=True):
            assert torch.equal(p, q)


def test_stacked_models_follow_their_own_schedules():
    x, xt = data()
    schedule = [{"lr": 1e-3, "epochs": 2}, {"lr": 1e-4, "epochs": 1}]
    _, rows = train_stacked(
        [vae(2, 1), vae(5, 2)],
        x,
        xt,
        side_by_side([schedule, constant(1e-2, 3)], 50, [7, 8], log=lambda s: None),
    )
    assert [r["lr"] for r in rows[0]] == [1e-3, 1e-3, 1e-4]
    assert [r["lr"] for r in rows[1]] == [1e-2] * 3


def test_schedules_shared_learning_rates_and_model_settings_are_checked():
    assert [lr_at([{"lr": 1.0, "epochs": 2}, {"lr": 0.5, "epochs": 1}], e) for e in (1, 2, 3)] == [
        1.0, 1.0, 0.5]  # fmt: skip
    x, xt = data(100)
    with pytest.raises(ValueError, match="equal total epochs"):
        train_stacked(
            [vae(2, 1), vae(2, 2)],
            x,
            xt,
            side_by_side([constant(1e-3, 2), constant(1e-3, 3)], 50, [1, 2], log=lambda s: None),
        )
    stacked = StackedVAE([vae(2, 1), vae(2, 2)])
    optimizer = StackedAdam(stacked.parameters(), [1e-3, 1e-3], groups=[[0, 1]])
    variant = vae(2, 3)  # a parameter outside the linear layers is not stacked
    variant.prior_scale = torch.nn.Parameter(torch.ones(2))
    with pytest.raises(ValueError, match=r"linear layers only, not \['prior_scale'\]"):
        StackedVAE([variant])
    with pytest.raises(ValueError, match="one class"):
        StackedVAE([vae(2, 1), SoftplusVAE(2, hidden=32)])
    with pytest.raises(ValueError, match="must share .*layers"):
        StackedVAE([vae(2, 1), vae(2, 2, layers=2)])
    with pytest.raises(ValueError, match="must share .*objective"):
        StackedVAE([vae(2, 1), vae(2, 2, objective="keras-mean")])
    with pytest.raises(ValueError, match="share a learning rate"):
        optimizer.set_lrs([1e-3, 1e-4])


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_graphed_stacked_training_follows_the_eager_one_on_cuda(tmp_path):
    from vaeconcepts.training.checkpoint import Checkpoint

    g = torch.Generator().manual_seed(0)
    x, xt = torch.rand(1000, 784, generator=g).cuda(), torch.rand(200, 784, generator=g).cuda()
    schedules = [[{"lr": 1e-3, "epochs": 2}, {"lr": 1e-4, "epochs": 1}], constant(1e-3, 3)]

    def run(schedules, graph, checkpoint=None):
        models = [vae(3, 1).cuda(), vae(6, 2).cuda()]
        return train_stacked(
            models,
            x,
            xt,
            side_by_side(
                schedules, 100, [4, 5], log=lambda s: None, checkpoint=checkpoint, cuda_graph=graph
            ),
        )

    def assert_same(a_models, b_models):
        for a, b in zip(a_models, b_models, strict=True):
            for p, q in zip(a.state_dict().values(), b.state_dict().values(), strict=True):
                torch.testing.assert_close(q, p, atol=1e-5, rtol=1e-4)

    (eager, eager_rows), (graphed, graph_rows) = run(schedules, False), run(schedules, True)
    assert_same(eager, graphed)
    for r, s in zip(eager_rows[1], graph_rows[1], strict=True):
        assert s["train_elbo"] == pytest.approx(r["train_elbo"], abs=1e-3)
    # stopped after epoch 2, resumed to the end: Adam's step counts survive the graph
    ckpt = Checkpoint(tmp_path / "c.pt", {"k": 1}, every=1, log=lambda s: None)
    run([[{"lr": 1e-3, "epochs": 2}], constant(1e-3, 2)], True, ckpt)
    resumed, _ = run(schedules, True, ckpt)
    assert_same(graphed, resumed)


def test_a_diverging_stacked_model_fails_naming_it_or_ends_only_its_own_history():
    from vaeconcepts.training.epochs import TrainingDiverged

    x, xt = data(200)
    schedules = [constant(1e-3, 3), constant(1e5, 3)]  # the second diverges
    with pytest.raises(TrainingDiverged, match=r"training diverged: run b, N_z 5, epoch 1"):
        train_stacked(
            [vae(2, 1), vae(5, 2)],
            x,
            xt,
            side_by_side(
                schedules, 50, [7, 8], log=lambda s: None, names=["run a, N_z 2", "run b, N_z 5"]
            ),
        )
    models, rows = train_stacked(
        [vae(2, 1), vae(5, 2)],
        x,
        xt,
        side_by_side(schedules, 50, [7, 8], log=lambda s: None, on_divergence="record"),
    )
    assert [r["epoch"] for r in rows[0]] == [1, 2, 3] and [r["epoch"] for r in rows[1]] == [1]
    plain = vae(2, 1)  # the finite model trained on as it would alone
    train_vae(plain, x, xt, one_vae(constant(1e-3, 3), 50, 7, log=lambda s: None))
    for a, b in zip(plain.state_dict().values(), models[0].state_dict().values(), strict=True):
        torch.testing.assert_close(b, a, rtol=1e-4, atol=1e-5)
