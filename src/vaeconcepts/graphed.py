"""The training step as a CUDA graph (config `cuda_graph`): on a GPU a step of this small
model costs kernel launches, not arithmetic; replaying a captured graph launches them at once.

`GraphedEpochs` runs the epochs of `train.train_epoch` with the same data order, noise draws
and objective: the order is drawn from the loop's generator outside the graph, the noise
from the same generator inside it (registered with the graph, so each replay advances it
as the eager step would). The optimiser must be capturable (`make_optimizer(...,
capturable=True)`: its learning rate lives in a tensor that `train.set_lr` fills in place).
"""

from __future__ import annotations

import torch

from .model import VAE
from .train import train_step

WARMUP_STEPS = 3  # eager steps on a side stream before the capture (PyTorch's advice)


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
        if g.device.type != "cuda":
            raise ValueError("CUDA graphs need a CUDA device; the CPU uses train.train_epoch")
        self.model, self.optimizer, self.batch_size, self.g = model, optimizer, batch_size, g
        device = g.device
        self.x = torch.empty(n_images, model.n_pixels, device=device)  # the epoch's images
        self.idx = torch.zeros(batch_size, dtype=torch.long, device=device)  # the batch's rows
        self.sums = torch.zeros(2, device=device)  # sum of ELBO and of objective
        self.graph: torch.cuda.CUDAGraph | None = None
        self.warm = 0

    def _step(self, idx: torch.Tensor) -> None:
        train_step(self.model, self.optimizer, self.x[idx], self.g, self.sums)

    def _eager(self, idx: torch.Tensor) -> None:
        # after the capture, the graph owns the gradient buffers: zero them, do not drop them
        self.optimizer.zero_grad(set_to_none=self.graph is None)
        self._step(idx)

    def _warmup(self, idx: torch.Tensor) -> None:
        stream = torch.cuda.Stream(self.g.device)
        stream.wait_stream(torch.cuda.current_stream(self.g.device))
        with torch.cuda.stream(stream):
            self._eager(idx)
        torch.cuda.current_stream(self.g.device).wait_stream(stream)
        self.warm += 1

    def _capture(self) -> None:
        torch.cuda.synchronize(self.g.device)
        self.optimizer.zero_grad(set_to_none=True)
        graph = torch.cuda.CUDAGraph()
        graph.register_generator_state(self.g)
        with torch.cuda.graph(graph):
            self._step(self.idx)
        self.graph = graph

    def epoch(self, x: torch.Tensor) -> tuple[float, float]:
        """One pass over `x` (same length every epoch); the mean ELBO and mean objective."""
        self.model.train()
        self.x.copy_(x)
        self.sums.zero_()
        order = torch.randperm(len(x), generator=self.g, device=x.device)
        for idx in order.split(self.batch_size):
            if len(idx) < self.batch_size:
                self._eager(idx)
            elif self.graph is None and self.warm < WARMUP_STEPS:
                self._warmup(idx)
            else:
                self.idx.copy_(idx)
                if self.graph is None:
                    self._capture()  # records the step without running it
                self.graph.replay()
        elbo_mean, objective_mean = (self.sums / len(x)).tolist()
        return elbo_mean, objective_mean
