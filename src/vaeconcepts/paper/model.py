"""The paper's VAE: pixels-1024-N_z MLP encoder and mirror decoder, tanh, Bernoulli output;
and the readings of it the paper leaves open (hidden layers, the scale of the objective)."""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from vaeconcepts.infra.errors import InputError
from vaeconcepts.infra.torchio import load_torch, save_torch

INITS = ("keras", "torch")
# elbo: eq. (5), log p(x|z) summed over pixels, KL summed over latent units.
# keras-mean: both averaged instead (pixels; latent units), the loss of the Keras blog's
# VAE (2016) and of Keras 1.0.3-1.0.6's examples/variational_autoencoder.py.
OBJECTIVES = ("elbo", "keras-mean")
# of the training step (training/precision.py): fp32 (the paper's) or bf16 under autocast
PRECISIONS = ("fp32", "bf16")
MNIST_PIXELS = 28 * 28  # the paper's images


def keras_init_(layer: nn.Linear) -> None:
    """Keras 2.0.2 `Dense` defaults (the paper's toolkit): Glorot-uniform weights, zero biases."""
    nn.init.xavier_uniform_(layer.weight)  # U(-a, a), a = sqrt(6 / (fan_in + fan_out))
    nn.init.zeros_(layer.bias)


class VAE(nn.Module):
    """Gaussian encoder q(z|x) and Bernoulli decoder p(x|z), `layers` tanh hidden layers each.

    `layers`: 1 (pixels-hidden-N_z, the three-layer network read as input, hidden, output) or
    more (extra hidden-hidden layers `enc_extra`, `dec_extra`). `init`: 'keras' (Glorot-uniform,
    zero biases, as the paper's Keras) or 'torch' (`nn.Linear`'s own default); both draw from
    torch's global generator. `beta` weights the KL term of the training objective (a beta-VAE,
    Higgins et al. 2017; 1: eq. 5); `objective` is one of OBJECTIVES (`training_objective`).
    `precision`: of the training step (training/precision.py; one of PRECISIONS).
    """

    def __init__(
        self,
        nz: int,
        hidden: int = 1024,
        n_samples: int = 2,
        init: str = "keras",
        beta: float = 1.0,
        n_pixels: int = MNIST_PIXELS,
        layers: int = 1,
        objective: str = "elbo",
        precision: str = "fp32",
    ):
        super().__init__()
        if init not in INITS:
            raise ValueError(f"model init {init!r}: expected one of {INITS}")
        if objective not in OBJECTIVES:
            raise ValueError(f"model objective {objective!r}: expected one of {OBJECTIVES}")
        if precision not in PRECISIONS:
            raise ValueError(f"model precision {precision!r}: expected one of {PRECISIONS}")
        if layers < 1:
            raise ValueError(f"model layers {layers}: expected at least 1")
        self.nz, self.hidden, self.n_samples, self.init = nz, hidden, n_samples, init
        self.beta, self.n_pixels, self.layers, self.objective = beta, n_pixels, layers, objective
        self.precision = precision
        self.enc = nn.Linear(n_pixels, hidden)
        self.enc_extra = nn.ModuleList(nn.Linear(hidden, hidden) for _ in range(layers - 1))
        self.enc_mu = nn.Linear(hidden, nz)
        self.enc_logvar = nn.Linear(hidden, nz)
        self.dec = nn.Linear(nz, hidden)
        self.dec_extra = nn.ModuleList(nn.Linear(hidden, hidden) for _ in range(layers - 1))
        self.dec_out = nn.Linear(hidden, n_pixels)
        if init == "keras":
            for layer in self.modules():
                if isinstance(layer, nn.Linear):
                    keras_init_(layer)

    # the layers whose input or output is the latent code (StackedVAE pads them to one N_z)
    LATENT_IN, LATENT_OUT = ("dec",), ("enc_mu", "enc_logvar")

    def linear(self, name: str, x: torch.Tensor) -> torch.Tensor:
        """x through the linear layer `name` ('enc', 'enc_extra.0', ...; batched.StackedVAE
        runs the same forward pass through its stacked layers of these names)."""
        return self.get_submodule(name)(x)

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Mean and log-variance of q(z|x)."""
        h = torch.tanh(self.linear("enc", x))
        for i in range(self.layers - 1):
            h = torch.tanh(self.linear(f"enc_extra.{i}", h))
        return self.linear("enc_mu", h), self.linear("enc_logvar", h)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Logits of the Bernoulli p(x|z)."""
        h = torch.tanh(self.linear("dec", z))
        for i in range(self.layers - 1):
            h = torch.tanh(self.linear(f"dec_extra.{i}", h))
        return self.linear("dec_out", h)

    def noise(self, mu: torch.Tensor, generator: torch.Generator | None) -> torch.Tensor:
        """Reparameterisation noise of eq. (4) for L samples: (L, *mu.shape)."""
        shape = (self.n_samples, *mu.shape)
        return torch.randn(shape, generator=generator, device=mu.device, dtype=mu.dtype)

    def recognise(self, x: torch.Tensor) -> torch.Tensor:
        """z = E_q[z|x] = mu(x), eq. (7)."""
        return self.encode(x)[0]

    def generate(self, z: torch.Tensor) -> torch.Tensor:
        """x = E_p[x|z] = sigmoid(decoder(z)), eq. (6)."""
        return torch.sigmoid(self.decode(z))

    def hparams(self) -> dict[str, int | str]:
        return {
            "nz": self.nz,
            "hidden": self.hidden,
            "n_samples": self.n_samples,
            "beta": self.beta,
            "n_pixels": self.n_pixels,
            "init": self.init,
            "layers": self.layers,
            "objective": self.objective,
            "precision": self.precision,
        }


def full(t: torch.Tensor) -> torch.Tensor:
    """`t` in fp32 if it is in a narrower float type (the bf16 output of an autocast layer);
    fp32 and float64 tensors as they are."""
    return t.to(torch.promote_types(t.dtype, torch.float32))


def elbo_terms(model, x: torch.Tensor, generator=None) -> tuple[torch.Tensor, torch.Tensor]:
    """Per image, the two terms of eq. (5): the mean of L reparameterised log p(x|z), and the
    analytic KL(q(z|x) || N(0, I)); in fp32 also where the layers ran in bf16 (autocast).

    `model`: a VAE (x: (n, pixels), `generator` one) or K of them stacked
    (batched.StackedVAE: x (K, n, pixels), `generator` one per model; terms (K, n))."""
    mu, logvar = (full(t) for t in model.encode(x))
    kl = -0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum(-1)
    z = mu + (0.5 * logvar).exp() * model.noise(mu, generator)  # eq. (4), (L, *mu.shape)
    logits = full(model.decode(z))
    log_px = -F.binary_cross_entropy_with_logits(
        logits, x.expand(*logits.shape), reduction="none"
    ).sum(-1)
    return log_px.mean(0), kl


def training_objective(
    log_px: torch.Tensor,
    kl: torch.Tensor,
    objective: str,
    beta: float,
    n_pixels: int,
    nz: int | torch.Tensor,
) -> torch.Tensor:
    """Per image, what training maximises: 'elbo', log p(x|z) - beta KL (eq. 5); 'keras-mean',
    log p(x|z) / n_pixels - beta KL / N_z, the per-pixel and per-unit means of both terms."""
    if objective == "keras-mean":
        return log_px / n_pixels - beta * kl / nz
    return log_px - beta * kl


def seeded_vae(nz: int, n_pixels: int, model: dict, seed: int, device) -> VAE:
    """A new VAE(nz, **model) on `device` whose initial weights come from `seed`."""
    torch.manual_seed(seed)
    return VAE(nz, n_pixels=n_pixels, **model).to(device)


def model_record(model: VAE, extra: dict | None = None) -> dict:
    """What a model file holds: weights plus hyper-parameters (and any provenance in `extra`)."""
    return {"state_dict": model.state_dict(), "hparams": model.hparams(), **(extra or {})}


def save_model(path: str | Path, model: VAE, extra: dict | None = None) -> None:
    """`model_record`, written atomically."""
    save_torch(path, model_record(model, extra))


def load_model(
    path: str | Path, expected_nz: int | None = None, device: str | torch.device = "cpu"
) -> VAE:
    """Rebuild a saved VAE in eval mode; fail naming the file if it is not what is expected."""
    saved = load_torch(path, "model", device)
    try:
        model = VAE(**saved["hparams"])
        model.load_state_dict(saved["state_dict"])
    except Exception as exc:
        raise InputError(f"{path}: not a model of this project ({exc})") from None
    bad = [name for name, t in model.state_dict().items() if not torch.isfinite(t).all()]
    if bad:
        raise InputError(
            f"{path}: weights {', '.join(bad[:3])} hold NaN or infinite values: the training "
            "that made it (rule train_vae or train_batch) diverged; delete it and retrain with "
            "a smaller learning rate"
        )
    if expected_nz is not None and model.nz != expected_nz:
        raise InputError(f"{path}: model has N_z = {model.nz}, expected N_z = {expected_nz}")
    return model.to(device).eval()
