"""Training steps as a CUDA graph (config `cuda_graph`): on a GPU a step of this small model
costs kernel launches, not arithmetic; replaying a captured graph launches them at once.

`GraphedStep` replays any step `step(idx)` whose inputs are the rows `idx` of a fixed tensor:
the order is drawn outside the graph, the noise from the loop's generators inside it
(registered with the graph, so each replay advances them as the eager step would). The
optimiser must be graph-safe: torch's fused Adam with its learning rate in a device tensor
(`step.make_optimizer(..., capturable=True)`, `stacked_adam.StackedAdam` on CUDA), filled in
place when the learning rate changes. `GraphedEpochs` runs the epochs of `train.train_epoch`
with it; `batched_training.train_stacked` the epochs of K stacked models.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch

from vaeconcepts.paper.model import VAE
from vaeconcepts.training.step import train_step

WARMUP_STEPS = 3  # eager steps on a side stream before the capture (PyTorch's advice)


class GraphedStep:
    """`step(idx)` for index tensors of one shape, replayed as one CUDA graph after a few
    eager warm-up steps; other shapes (an epoch's last, smaller batch) run eagerly.
    `zero_grad(set_to_none)` clears the gradients before each eager step."""

    def __init__(
        self,
        step: Callable[[torch.Tensor], None],
        zero_grad: Callable[[bool], None],
        idx_shape: tuple[int, ...],
        gens: Sequence[torch.Generator],
    ):
        self.device = gens[0].device
        if self.device.type != "cuda":
            raise ValueError("CUDA graphs need a CUDA device; the CPU keeps the eager step")
        self.step, self.zero_grad, self.gens = step, zero_grad, list(gens)
        self.idx = torch.zeros(idx_shape, dtype=torch.long, device=self.device)  # static rows
        self.graph: torch.cuda.CUDAGraph | None = None
        self.warm = 0

    def _eager(self, idx: torch.Tensor) -> None:
        # after the capture, the graph owns the gradient buffers: zero them, do not drop them
        self.zero_grad(self.graph is None)
        self.step(idx)

    def _warmup(self, idx: torch.Tensor) -> None:
        stream = torch.cuda.Stream(self.device)
        stream.wait_stream(torch.cuda.current_stream(self.device))
        with torch.cuda.stream(stream):
            self._eager(idx)
        torch.cuda.current_stream(self.device).wait_stream(stream)
        self.warm += 1

    def _capture(self) -> None:
        torch.cuda.synchronize(self.device)
        self.zero_grad(True)
        graph = torch.cuda.CUDAGraph()
        for g in self.gens:
            graph.register_generator_state(g)
        with torch.cuda.graph(graph):
            self.step(self.idx)
        self.graph = graph

    def __call__(self, idx: torch.Tensor) -> None:
        if idx.shape != self.idx.shape:
            self._eager(idx)
        elif self.graph is None and self.warm < WARMUP_STEPS:
            self._warmup(idx)
        else:
            self.idx.copy_(idx)
            if self.graph is None:
                self._capture()  # records the step without running it
            self.graph.replay()


class GraphedEpochs:
    """Epochs of `train.train_epoch` whose full batches replay one captured training step."""

    def __init__(
        self,
        model: VAE,
        optimizer: torch.optim.Optimizer,
        n_images: int,
        batch_size: int,
        g: torch.Generator,
    ):
        self.model, self.batch_size, self.g = model, batch_size, g
        self.x = torch.empty(n_images, model.n_pixels, device=g.device)  # the epoch's images
        self.sums = torch.zeros(2, device=g.device)  # sum of ELBO and of objective

        def step(idx: torch.Tensor) -> None:
            train_step(model, optimizer, self.x[idx], g, self.sums)

        self.steps = GraphedStep(step, lambda none: optimizer.zero_grad(set_to_none=none),
                                 (batch_size,), [g])  # fmt: skip

    @property
    def graph(self) -> torch.cuda.CUDAGraph | None:
        return self.steps.graph

    def epoch(self, x: torch.Tensor) -> tuple[float, float]:
        """One pass over `x` (same length every epoch); the mean ELBO and mean objective."""
        self.model.train()
        self.x.copy_(x)
        self.sums.zero_()
        order = torch.randperm(len(x), generator=self.g, device=x.device)
        for idx in order.split(self.batch_size):
            self.steps(idx)
        elbo_mean, objective_mean = (self.sums / len(x)).tolist()
        return elbo_mean, objective_mean
