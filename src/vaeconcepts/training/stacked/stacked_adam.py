"""Adam on K stacked models at once, one learning rate per model (the batched trainer's)."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch.optim.adam import adam


class StackedAdam:
    """Adam (Kingma & Ba; torch's defaults) on stacked parameters, one learning rate per model:
    torch's fused Adam kernel, called once per group of models on their slices. `groups`
    (lists of model indices; by default the models of equal learning rate) share a learning
    rate, set with `set_lrs`; on CUDA it lives in a device tensor, so a CUDA graph may
    capture the step (graphed.py)."""

    def __init__(self, params, lrs: Sequence[float], groups=None, betas=(0.9, 0.999), eps=1e-8):
        self.params = list(params)
        self.betas, self.eps = betas, eps
        device = self.params[0].device
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]
        # fused Adam counts steps in one tensor per parameter it updates: per slice here
        self.steps = torch.zeros(len(lrs), len(self.params), device=device)
        if groups is None:
            by_lr: dict[float, list[int]] = {}
            for k, lr in enumerate(lrs):
                by_lr.setdefault(lr, []).append(k)
            groups = list(by_lr.values())
        self.groups = [list(ks) for ks in groups]
        self.lrs: list[float | torch.Tensor] = [
            torch.tensor(float(lrs[ks[0]]), device=device) if device.type == "cuda"
            else float(lrs[ks[0]]) for ks in self.groups
        ]  # fmt: skip
        self.set_lrs(lrs)
        # per group, its (model, parameter) slices: fixed views, built once
        self.slices = [[(k, i) for k in ks for i in range(len(self.params))] for ks in self.groups]
        self.state_views = [
            ([self.params[i][k] for k, i in sl], [self.m[i][k] for k, i in sl],
             [self.v[i][k] for k, i in sl], [self.steps[k, i] for k, i in sl])
            for sl in self.slices
        ]  # fmt: skip

    def set_lrs(self, lrs: Sequence[float]) -> None:
        """Learning rate of every model (equal within a group); a device tensor is filled in
        place, so that a captured graph reads the new value."""
        for j, ks in enumerate(self.groups):
            if len({lrs[k] for k in ks}) != 1:
                raise ValueError(f"models {ks} share a learning rate, got {[lrs[k] for k in ks]}")
            if isinstance(self.lrs[j], torch.Tensor):
                self.lrs[j].fill_(lrs[ks[0]])
            else:
                self.lrs[j] = float(lrs[ks[0]])

    @torch.no_grad()
    def step(self) -> None:
        b1, b2 = self.betas
        for lr, slices, (params, m, v, steps) in zip(
            self.lrs, self.slices, self.state_views, strict=True
        ):
            grads = [self.params[i].grad[k] for k, i in slices]  # new tensors every step
            adam(params, grads, m, v, [], steps, fused=True, amsgrad=False, beta1=b1, beta2=b2,
                 lr=lr, weight_decay=0.0, eps=self.eps, maximize=False)  # fmt: skip

    def zero_grad(self, set_to_none: bool = True) -> None:
        for p in self.params:
            if set_to_none:
                p.grad = None
            elif p.grad is not None:
                p.grad.zero_()

    def state_dict(self) -> dict:
        # the step counts as fused Adam keeps them, on the device: a replayed graph
        # advances them there without any Python running
        return {"steps": self.steps, "m": self.m, "v": self.v}

    def load_state_dict(self, state: dict) -> None:
        mine_all = [self.steps, *self.m, *self.v]
        for mine, saved in zip(mine_all, [state["steps"], *state["m"], *state["v"]], strict=True):
            mine.copy_(saved)
