"""One training epoch: the project's trainer vs a PyTorch-examples DataLoader loop.

Usage: python benchmarks/train_speed.py [--data-dir DIR] [--nz 100] [--repeats 2] [--device auto]
Both loops train the same VAE (784-1024-N_z, L = 2) with Adam at batch size 100 on the
MNIST training set, in one process; each is timed `repeats` times, alternating, and the
best time of each is compared.
"""

from __future__ import annotations

import argparse
import time

import torch
from torch.utils.data import DataLoader, TensorDataset

from vaeconcepts.datasets import read_dir
from vaeconcepts.devices import pick_device
from vaeconcepts.model import VAE, elbo
from vaeconcepts.seeds import generator
from vaeconcepts.step import make_optimizer
from vaeconcepts.train import train_epoch


def reference_epoch(model: VAE, optimizer, x: torch.Tensor, batch_size: int) -> None:
    """The pytorch/examples VAE loop: TensorDataset + DataLoader(shuffle=True)."""
    loader = DataLoader(TensorDataset(x.cpu()), batch_size=batch_size, shuffle=True)
    model.train()
    for (data,) in loader:
        data = data.to(x.device)
        optimizer.zero_grad()
        loss = -elbo(model, data).sum()
        (loss / len(data)).backward()
        optimizer.step()


def sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default="../shared/data/mnist")
    parser.add_argument("--nz", type=int, default=100)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--device", default="auto")
    args = parser.parse_args()

    device = pick_device(args.device)
    images = read_dir(args.data_dir)[0]["train/images"]
    x = torch.from_numpy(images).to(device=device, dtype=torch.float32) / 255
    times = {"project": [], "reference": []}
    for _ in range(args.repeats):
        for name in times:
            torch.manual_seed(0)
            model = VAE(args.nz).to(device)
            if name == "project":
                optimizer = make_optimizer(model, 5e-4)
            else:
                optimizer = torch.optim.Adam(model.parameters(), lr=5e-4)
            sync(device)
            start = time.perf_counter()
            if name == "project":
                train_epoch(model, optimizer, x, args.batch_size, generator(0, device))
            else:
                reference_epoch(model, optimizer, x, args.batch_size)
            sync(device)
            times[name].append(time.perf_counter() - start)
    best = {name: min(t) for name, t in times.items()}
    print(
        f"device {device}, N_z {args.nz}, batch {args.batch_size}, {len(x)} images, "
        f"torch threads {torch.get_num_threads()}"
    )
    for name, t in times.items():
        runs = ", ".join(f"{s:.2f}" for s in t)
        print(f"{name:>9}: best {best[name]:.2f} s per epoch  (all: {runs})")
    print(
        f"ratio project / reference = {best['project'] / best['reference']:.3f} "
        f"(below 1: the project's epoch is faster)"
    )


if __name__ == "__main__":
    main()
