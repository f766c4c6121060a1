"""The batched trainer: K = 1 is today's trainer, a padded model is the smaller one, each
model keeps its learning rate."""

import torch

from vaeconcepts.batched import PerModelLinear, StackedAdam, StackedVAE, evaluate, train_stacked
from vaeconcepts.model import VAE
from vaeconcepts.train import evaluate_elbo, train_vae


def vae(nz, seed, hidden=32):
    torch.manual_seed(seed)
    return VAE(nz, hidden=hidden)


def data(n=300, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.rand(n, 784, generator=g), torch.rand(60, 784, generator=g)


def test_the_cpu_layer_is_the_batched_product_with_its_gradients():
    g = torch.Generator().manual_seed(0)
    x, w, b = (torch.randn(*shape, generator=g, dtype=torch.double).requires_grad_()
               for shape in ((3, 5, 4), (3, 4, 6), (3, 1, 6)))  # fmt: skip
    torch.testing.assert_close(PerModelLinear.apply(x, w, b), torch.baddbmm(b, x, w))
    assert torch.autograd.gradcheck(PerModelLinear.apply, (x, w, b))


def test_one_stacked_model_trains_as_the_plain_trainer():
    x, xt = data()
    plain = vae(4, 1)
    history = train_vae(plain, x, xt, [{"lr": 1e-3, "epochs": 2}], 50, seed=7, log=lambda s: None)
    [stacked], [rows] = train_stacked([vae(4, 1)], [1e-3], [7], x, xt, 2, 50, log=lambda s: None)
    for a, b in zip(plain.state_dict().values(), stacked.state_dict().values(), strict=True):
        torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-5)
    for r, s in zip(history, rows, strict=True):
        assert abs(r["test_elbo"] - s["test_elbo"]) < 1e-3 and r["epoch"] == s["epoch"]
        assert abs(r["train_elbo"] - s["train_elbo"]) < 1e-3


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
    log_px, kl = stacked.elbo_terms(x.expand(2, *x.shape), g)
    assert torch.isfinite(log_px).all()
    e_small, e_big = evaluate(stacked, x, [11, 12])
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
    trained, histories = train_stacked(models, [1e-3, 0.0, 1e-4], [5, 5, 5], x, xt, 1, 50,
                                       log=lambda s: None)  # fmt: skip
    start = list(vae(4, 1).state_dict().values())

    def moved(m):
        return sum((a - b).abs().sum() for a, b in zip(start, m.state_dict().values(), strict=True))

    moved = [moved(m) for m in trained]
    assert moved[1] == 0  # learning rate 0: unchanged
    assert moved[0] > moved[2] > 0
    assert [h[0]["lr"] for h in histories] == [1e-3, 0.0, 1e-4]


def test_a_stopped_batched_run_resumes_where_it_stopped(tmp_path):
    from vaeconcepts.checkpoint import Checkpoint

    x, xt = data()
    args = ([1e-3, 1e-4], [3, 4], x, xt)
    whole, _ = train_stacked([vae(2, 1), vae(4, 2)], *args, 3, 50, log=lambda s: None)
    ckpt = Checkpoint(tmp_path / "c.pt", {"k": 1}, every=1, log=lambda s: None)
    train_stacked([vae(2, 1), vae(4, 2)], *args, 2, 50, log=lambda s: None, checkpoint=ckpt)
    resumed, histories = train_stacked([vae(2, 9), vae(4, 9)], *args, 3, 50, log=lambda s: None,
                                       checkpoint=ckpt)  # fmt: skip
    assert [row["epoch"] for row in histories[1]] == [1, 2, 3]
    for a, b in zip(whole, resumed, strict=True):
        for p, q in zip(a.state_dict().values(), b.state_dict().values(), strict=True):
            assert torch.equal(p, q)
