"""The paper's VAE and the ELBO of eq. (5)."""

import math

import pytest
import torch

from vaeconcepts.infra.errors import InputError
from vaeconcepts.paper.model import VAE, elbo_terms, load_model, save_model, training_objective


def elbo(model, x, generator):
    """Per image, eq. (5): log p(x|z) - KL."""
    log_px, kl = elbo_terms(model, x, generator)
    return log_px - kl


@pytest.mark.parametrize("nz", [1, 2, 10, 100])
def test_encoder_decoder_shapes(nz):
    model = VAE(nz, hidden=1024)
    x = torch.rand(3, 784)
    mu, logvar = model.encode(x)
    assert mu.shape == logvar.shape == (3, nz)
    assert model.decode(mu).shape == (3, 784)
    assert model.enc.weight.shape == (1024, 784) and model.dec_out.weight.shape == (784, 1024)
    out = model.generate(mu)
    assert out.min() >= 0 and out.max() <= 1


def test_elbo_matches_hand_computation():
    """One image of two pixels, N_z = 1, L = 2, with weights set by hand."""
    model = VAE(nz=1, hidden=1)
    with torch.no_grad():
        for p in model.parameters():
            p.zero_()
        model.enc_mu.bias.fill_(0.5)  # mu = 0.5
        model.enc_logvar.bias.fill_(math.log(0.25))  # sigma = 0.5
        model.dec.weight.fill_(1.0)  # h = tanh(z)
        model.dec_out.weight.fill_(2.0)  # logits = 2 tanh(z) for every pixel
    x = torch.zeros(1, 784)
    x[0, :392] = 1.0
    g = torch.Generator().manual_seed(0)
    value = elbo(model, x, g).item()

    eps = torch.randn((2, 1, 1), generator=torch.Generator().manual_seed(0))
    z = 0.5 + 0.5 * eps.flatten()
    neg_kl = 0.5 * (1 + math.log(0.25) - 0.25 - 0.25)
    log_px = []
    for zl in z.tolist():
        q = 1 / (1 + math.exp(-2 * math.tanh(zl)))  # Bernoulli mean of every pixel
        log_px.append(392 * math.log(q) + 392 * math.log(1 - q))
    assert value == pytest.approx(neg_kl + sum(log_px) / 2, rel=1e-5)


def test_elbo_of_grey_values_uses_them_as_bernoulli_means():
    model = VAE(nz=2, hidden=8)
    x = torch.full((4, 784), 0.3)
    assert torch.isfinite(elbo(model, x, torch.Generator().manual_seed(1))).all()


def test_save_load_roundtrip_and_wrong_nz(tmp_path):
    model = VAE(nz=3, hidden=16)
    save_model(tmp_path / "m.pt", model)
    back = load_model(tmp_path / "m.pt", expected_nz=3)
    x = torch.rand(2, 784)
    assert torch.equal(back.recognise(x), model.eval().recognise(x))
    with pytest.raises(InputError, match=r"m\.pt.*N_z = 3, expected N_z = 5"):
        load_model(tmp_path / "m.pt", expected_nz=5)
    (tmp_path / "bad.pt").write_bytes(b"not a model")
    with pytest.raises(InputError, match="bad.pt"):
        load_model(tmp_path / "bad.pt")


def test_keras_init_is_glorot_uniform_with_zero_biases():
    """The paper's Keras 2.0.2 Dense defaults: U(-a, a), a = sqrt(6 / (fan_in + fan_out))."""
    torch.manual_seed(0)
    model = VAE(nz=100, hidden=1024, init="keras")
    for layer in (model.enc, model.enc_mu, model.enc_logvar, model.dec, model.dec_out):
        fan_out, fan_in = layer.weight.shape
        bound = math.sqrt(6 / (fan_in + fan_out))
        w = layer.weight
        assert w.abs().max() <= bound
        assert w.abs().max() > 0.98 * bound  # fills the interval, not a narrower one
        assert w.var().item() == pytest.approx(bound**2 / 3, rel=0.05)  # uniform's variance
        assert torch.count_nonzero(layer.bias) == 0


def test_torch_init_is_nn_linear_default_and_differs_from_keras():
    torch.manual_seed(0)
    model = VAE(nz=100, hidden=1024, init="torch")
    bound = 1 / math.sqrt(784)  # nn.Linear: weights and biases U(-1/sqrt(fan_in), ...)
    assert model.enc.weight.abs().max() <= bound and model.enc.bias.abs().max() > 0
    assert model.enc.weight.abs().max() < math.sqrt(6 / (784 + 1024)) * 0.8
    assert model.hparams()["init"] == "torch"
    with pytest.raises(ValueError, match="init 'glorot'"):
        VAE(nz=2, init="glorot")


class _Foreign:
    """Not a tensor: torch.load(weights_only=True) refuses it."""


@pytest.mark.parametrize(
    "content",
    [b"not a model", "truncated", "pickled object"],
)
def test_an_unreadable_model_names_the_file_and_the_rebuild_command(tmp_path, content):
    path = tmp_path / "results" / "model.pt"
    path.parent.mkdir()
    if content == "truncated":
        save_model(path, VAE(nz=2, hidden=8))
        path.write_bytes(path.read_bytes()[:300])
    elif content == "pickled object":
        torch.save({"state_dict": _Foreign()}, path)
    else:
        path.write_bytes(content)
    with pytest.raises(InputError) as err:
        load_model(path)
    message = str(err.value)
    assert message.startswith(f"{path}: cannot read this model file")
    assert f"`rm {path} && snakemake {path}`" in message
    assert "weights_only" not in message  # never the advice to unpickle arbitrary code


def test_beta_weights_the_kl_term_and_beta_one_is_the_elbo():
    torch.manual_seed(0)
    model = VAE(nz=3, hidden=16)
    x = torch.rand(5, 784)
    log_px, kl = elbo_terms(model, x, torch.Generator().manual_seed(2))
    assert (kl >= 0).all()
    plain = training_objective(log_px, kl, "elbo", 1.0, 784, 3)
    assert torch.equal(plain, log_px - kl)  # beta = 1: eq. (5) exactly
    weighted = training_objective(log_px, kl, "elbo", 4.0, 784, 3)
    assert torch.allclose(weighted, log_px - 4 * kl)
    assert VAE(nz=2, beta=0.5).hparams()["beta"] == 0.5


def test_a_two_layer_model_has_two_hidden_layers_each_way_and_trains(tmp_path):
    torch.manual_seed(0)
    model = VAE(nz=10, hidden=1024, layers=2)
    linear = [(784, 1024), (1024, 1024), (1024, 10), (1024, 10), (10, 1024), (1024, 1024),
              (1024, 784)]  # fmt: skip
    assert sum(p.numel() for p in model.parameters()) == sum(i * o + o for i, o in linear)
    assert all((m.bias == 0).all() for m in model.modules() if isinstance(m, torch.nn.Linear))
    one = VAE(nz=10, hidden=1024)
    assert sum(p.numel() for p in one.parameters()) == sum(
        i * o + o for i, o in [linear[0], *linear[2:5], linear[6]]
    )
    save_model(tmp_path / "m.pt", model)
    back = load_model(tmp_path / "m.pt")
    assert back.hparams()["layers"] == 2
    x = torch.rand(4, 784)
    torch.testing.assert_close(back.encode(x)[0], model.eval().encode(x)[0])

    from vaeconcepts.training.job import one_vae
    from vaeconcepts.training.train import evaluate_elbo, train_vae

    g = torch.Generator().manual_seed(1)
    images = (torch.rand(400, 784, generator=g) < 0.3).float()
    small = VAE(nz=4, hidden=32, layers=2)
    untrained = evaluate_elbo(small, images[:100], seed=1)  # about -784 log 2
    history = train_vae(
        small,
        images,
        images[:100],
        one_vae([{"lr": 1e-2, "epochs": 4}], 50, seed=0, log=lambda s: None),
    )
    assert history[-1]["test_elbo"] > untrained + 30  # optimum: -784 H(0.3), about -479


@pytest.mark.parametrize("objective", ["elbo", "keras-mean"])
def test_the_training_objective_on_a_batch_computed_by_hand(objective):
    """Four pixels, N_z = 2, logits that do not depend on z: 'keras-mean' is the Keras 1.0
    example's loss, mean binary cross-entropy over pixels plus KL averaged over latent units."""
    from vaeconcepts.training.step import train_step

    model = VAE(nz=2, hidden=1, n_pixels=4, objective=objective, beta=1.5)
    mu, logvar, logits = [0.5, -1.0], [math.log(0.25), 0.0], [1.0, -1.0, 2.0, 0.0]
    with torch.no_grad():
        for p in model.parameters():
            p.zero_()
        model.enc_mu.bias.copy_(torch.tensor(mu))
        model.enc_logvar.bias.copy_(torch.tensor(logvar))
        model.dec_out.bias.copy_(torch.tensor(logits))
    x = torch.tensor([[1.0, 0.0, 1.0, 1.0], [0.0, 0.0, 1.0, 0.5]])

    def bce(t, s):  # binary cross-entropy of target t and logit s
        q = 1 / (1 + math.exp(-s))
        return -(t * math.log(q) + (1 - t) * math.log(1 - q))

    kl_units = [-0.5 * (1 + v - m * m - math.exp(v)) for m, v in zip(mu, logvar, strict=True)]
    expected_elbo, expected_objective = 0.0, 0.0
    for row in x.tolist():
        xent = [bce(t, s) for t, s in zip(row, logits, strict=True)]
        expected_elbo += -sum(xent) - sum(kl_units)
        if objective == "keras-mean":
            expected_objective += -sum(xent) / 4 - 1.5 * sum(kl_units) / 2
        else:
            expected_objective += -sum(xent) - 1.5 * sum(kl_units)
    sums = torch.zeros(2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.0)
    train_step(model, optimizer, x, torch.Generator().manual_seed(0), sums)
    assert sums[0].item() == pytest.approx(expected_elbo, rel=1e-5)
    assert sums[1].item() == pytest.approx(expected_objective, rel=1e-5)


def test_model_settings_outside_their_choices_are_refused():
    with pytest.raises(ValueError, match="objective 'mean'"):
        VAE(nz=2, objective="mean")
    with pytest.raises(ValueError, match="layers 0"):
        VAE(nz=2, layers=0)


def test_a_model_with_non_finite_weights_is_refused_naming_the_file(tmp_path):
    model = VAE(nz=2, hidden=8)
    with torch.no_grad():
        model.enc.weight[0, 0] = float("nan")
    save_model(tmp_path / "model.pt", model)
    with pytest.raises(InputError, match=r"model.pt: weights enc.weight hold NaN .*diverged"):
        load_model(tmp_path / "model.pt")
