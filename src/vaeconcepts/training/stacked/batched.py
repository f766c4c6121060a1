"""Many VAEs trained as one: weights stacked along a model axis, batched matrix products.

K VAEs of one hidden size and batch size become one `StackedVAE`; models of different N_z
share it by padding the latent layer to the largest N_z with masked units (mu = 0,
log sigma^2 = 0, z = 0: no term of eq. (5), no gradient), so a padded model is exactly the
smaller one. Each model keeps its initial weights (built as a `VAE` with its own seed), its
generator (data order, reparameterisation noise and binarisation, drawn as `train.train_vae`
draws them), its test-ELBO seed and its learning-rate schedule: model k trains as
`train.train_vae` would train it alone, to float tolerance. On a GPU one step of K models
costs about one kernel launch sequence instead of K, and with `cuda_graph` one graph
replay (graphed.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from vaeconcepts.paper.model import VAE, elbo_terms, training_objective
from vaeconcepts.training.precision import autocast
from vaeconcepts.training.stacked.stacked_adam import StackedAdam


class PerModelLinear(torch.autograd.Function):
    """baddbmm(b, x, w) as K plain products, forward and backward, each written into its
    slice of the stacked result and gradients (no input gradient where none is needed):
    on CPU cores faster than batched products."""

    @staticmethod
    def forward(ctx, x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        ctx.save_for_backward(x, w)
        out = torch.empty(x.shape[0], x.shape[1], w.shape[2], dtype=x.dtype, device=x.device)
        for k in range(len(w)):
            torch.addmm(b[k, 0], x[k], w[k], out=out[k])
        return out

    @staticmethod
    def backward(ctx, grad: torch.Tensor):
        x, w = ctx.saved_tensors
        need_x = ctx.needs_input_grad[0]  # not for the images entering the first layer
        grad_x = torch.empty_like(x) if need_x else None
        grad_w = torch.empty_like(w)
        for k in range(len(w)):
            if need_x:
                torch.mm(grad[k], w[k].T, out=grad_x[k])
            torch.mm(x[k].T, grad[k], out=grad_w[k])
        return grad_x, grad_w, grad.sum(1, keepdim=True)


class StackedVAE(nn.Module):
    """K VAEs of one class and settings (any N_z) as stacked tensors: weight (K, in, out), bias
    (K, 1, out) per linear layer. The forward pass is the VAE class's own `encode` and
    `decode`, run through `linear` on the stacked layers: a model variant is written once."""

    def __init__(self, vaes: Sequence[VAE]):
        super().__init__()
        first = vaes[0]
        self.vae_class = type(first)
        shared = {k: v for k, v in first.hparams().items() if k not in ("nz", "init")}
        if any(type(v) is not self.vae_class or
               {k: v.hparams()[k] for k in shared} != shared for v in vaes):  # fmt: skip
            raise ValueError(f"stacked VAEs must share {', '.join(shared)} and be of one class")
        for key, value in shared.items():  # what the VAE's forward pass and objective read
            setattr(self, key, value)
        linears = {n: m for n, m in first.named_modules() if isinstance(m, nn.Linear)}
        others = [n for n, _ in first.named_parameters() if n.rsplit(".", 1)[0] not in linears]
        if others:
            raise ValueError(f"the batched trainer stacks linear layers only, not {others}: "
                             f"set sweep.batched and train.batched to false")  # fmt: skip
        self.layer_names = list(linears)  # 'enc', 'enc_extra.0', ..., 'dec_out'
        self.nzs, z = [v.nz for v in vaes], max(v.nz for v in vaes)
        mask = torch.zeros(len(vaes), 1, z)
        for k, nz in enumerate(self.nzs):
            mask[k, 0, :nz] = 1
        self.register_buffer("mask", mask.to(first.enc.weight.device))
        nz_col = torch.tensor(self.nzs, dtype=mask.dtype)[:, None]  # keras-mean's KL mean
        self.register_buffer("nz_col", nz_col.to(first.enc.weight.device))
        for name in self.layer_names:
            weights, biases = [], []
            for v in vaes:
                layer = v.get_submodule(name)
                w, b = layer.weight.detach().T, layer.bias.detach()  # (in, out), (out,)
                rows = z if name in VAE.LATENT_IN else w.shape[0]
                cols = z if name in VAE.LATENT_OUT else w.shape[1]
                weights.append(F.pad(w, (0, cols - w.shape[1], 0, rows - w.shape[0])))
                biases.append(F.pad(b, (0, cols - b.shape[0]))[None])
            setattr(self, f"{stacked_name(name)}_w", nn.Parameter(torch.stack(weights)))
            setattr(self, f"{stacked_name(name)}_b", nn.Parameter(torch.stack(biases)))

    def linear(self, name: str, x: torch.Tensor) -> torch.Tensor:
        """x (K, n, in) -> (K, n, out) through layer `name` of every model: one batched
        product on a GPU and in bf16; K plain ones on the CPU in fp32, about 1.5x faster."""
        w, b = getattr(self, f"{stacked_name(name)}_w"), getattr(self, f"{stacked_name(name)}_b")
        if x.device.type == "cpu" and self.precision == "fp32":  # autocast skips a Function
            return PerModelLinear.apply(x, w, b)
        return torch.baddbmm(b, x, w)

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Mean and log-variance of q(z|x) of every model, (K, n, Z); padded units 0."""
        mu, logvar = self.vae_class.encode(self, x)
        return mu * self.mask, logvar * self.mask

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Logits of p(x|z) of every model, z (..., K, n, Z) -> (..., K, n, pixels)."""
        lead, (K, n, Z) = z.shape[:-3], z.shape[-3:]
        logits = self.vae_class.decode(self, z.movedim(-3, 0).reshape(K, -1, Z))
        return logits.reshape(K, *lead, n, -1).movedim(0, -3)

    def noise(self, mu: torch.Tensor, gens: Sequence[torch.Generator]) -> torch.Tensor:
        """Reparameterisation noise (L, K, n, Z): model k's from gens[k], as `VAE.noise`
        draws it for one VAE of its N_z (padded units 0, so their z is 0)."""
        n, z, L = mu.shape[1], max(self.nzs), self.n_samples
        return torch.stack([
            F.pad(torch.randn((L, n, nz), generator=g, device=self.mask.device), (0, z - nz))
            for g, nz in zip(gens, self.nzs, strict=True)
        ], dim=1)  # fmt: skip

    def to_vaes(self, template: Sequence[VAE]) -> list[VAE]:
        """The K models as VAEs (copies of `template`'s hyper-parameters and new weights)."""
        out = []
        for k, (nz, v) in enumerate(zip(self.nzs, template, strict=True)):
            vae = self.vae_class(**v.hparams()).to(self.mask.device)
            for name in self.layer_names:
                w = getattr(self, f"{stacked_name(name)}_w")[k]
                b = getattr(self, f"{stacked_name(name)}_b")[k, 0]
                rows = nz if name in VAE.LATENT_IN else w.shape[0]
                cols = nz if name in VAE.LATENT_OUT else w.shape[1]
                layer = vae.get_submodule(name)
                with torch.no_grad():
                    layer.weight.copy_(w[:rows, :cols].T)
                    layer.bias.copy_(b[:cols])
            out.append(vae)
        return out


def stacked_name(layer: str) -> str:
    """The stacked parameters' prefix of a VAE layer: 'enc_extra.0' -> 'enc_extra0'."""
    return layer.replace(".", "")


def stacked_step(model: StackedVAE, optimizer: StackedAdam, xb: torch.Tensor, gens, sums) -> None:
    """One Adam step of every model on its batch xb (K, n, pixels), maximising the training
    objective (model.training_objective; gradients zeroed or dropped before), model k's noise
    from gens[k]; adds each model's summed ELBO (beta = 1) and objective to sums (K, 2). Per
    model, `step.train_step`, in the models' precision."""
    with autocast(model.precision, xb.device.type):
        log_px, kl = elbo_terms(model, xb, gens)
    m = model
    objective = training_objective(log_px, kl, m.objective, m.beta, m.n_pixels, m.nz_col).sum(1)
    (-objective / xb.shape[1]).sum().backward()
    optimizer.step()
    sums += torch.stack([(log_px - kl).sum(1), objective], 1).detach()


class StackedEpochs:
    """Epochs of K stacked models, model k in the data order and noise of gens[k]; with
    `cuda_graph` on a CUDA device, full batches replay one captured step."""

    def __init__(self, model: StackedVAE, optimizer: StackedAdam, gens, batch_size: int,
                 cuda_graph: bool = False):  # fmt: skip
        self.model, self.optimizer, self.gens, self.batch_size = model, optimizer, gens, batch_size
        device = gens[0].device
        self.sums = torch.zeros(len(gens), 2, device=device)
        self.rows = torch.arange(len(gens), device=device)[:, None]  # model k's images
        self.images: torch.Tensor | None = None  # the epoch's images
        self.steps = None
        if cuda_graph and device.type == "cuda":
            from vaeconcepts.training.graphed import GraphedStep  # it replays `stacked_step`

            self.steps = GraphedStep(self._step, optimizer.zero_grad,
                                     (len(gens), batch_size), gens)  # fmt: skip

    def _step(self, idx: torch.Tensor) -> None:
        images = self.images
        xb = images[idx] if images.dim() == 2 else images[self.rows, idx]
        stacked_step(self.model, self.optimizer, xb, self.gens, self.sums)

    def epoch(self, x: torch.Tensor) -> list[list[float]]:
        """One pass over `x`, the images of every model (N, pixels) or of each (K, N, pixels),
        of one shape every epoch: per model, [mean ELBO, mean objective]."""
        if self.steps is None:
            self.images = x
        else:  # a graph reads the images from one place
            if self.images is None:
                self.images = torch.empty_like(x)
            self.images.copy_(x)
        self.sums.zero_()
        n = x.shape[-2]
        orders = torch.stack([torch.randperm(n, generator=gk, device=x.device)
                              for gk in self.gens])  # fmt: skip
        for idx in orders.split(self.batch_size, dim=1):
            if self.steps is not None:
                self.steps(idx)
            else:
                self.optimizer.zero_grad()
                self._step(idx)
        return (self.sums / n).tolist()
