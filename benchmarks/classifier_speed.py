"""Time of one epoch of the Appendix B classifier on the MNIST training set.

Usage: python benchmarks/classifier_speed.py [--data-dir DIR] [--batches N] [--device auto]
Trains the CNN with Adam at batch size 128 on whole-dataset tensors (as rule
train_classifier does) for N batches (default: one full epoch) and prints the time per
batch and the time of a full epoch extrapolated from it.
"""

from __future__ import annotations

import argparse
import math
import time

import torch
import torch.nn.functional as F

from vaeconcepts.data.loading import read_dir
from vaeconcepts.infra.devices import pick_device
from vaeconcepts.training.classifier import Classifier


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default="../shared/data/mnist")
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--batches", type=int, default=None, help="default: one epoch")
    parser.add_argument("--device", default="auto")
    args = parser.parse_args()

    device = pick_device(args.device)
    arrays, _ = read_dir(args.data_dir)
    x = torch.from_numpy(arrays["train/images"]).to(device=device, dtype=torch.float32) / 255
    y = torch.from_numpy(arrays["train/labels"]).to(device=device, dtype=torch.int64)
    per_epoch = math.ceil(len(x) / args.batch_size)
    n = min(args.batches or per_epoch, per_epoch)
    torch.manual_seed(0)
    model = Classifier().to(device).train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    batches = torch.randperm(len(x), device=device).split(args.batch_size)[:n]
    start = time.perf_counter()
    for idx in batches:
        loss = F.cross_entropy(model(x[idx]), y[idx])
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
    if device.type == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    print(f"device {device}, torch threads {torch.get_num_threads()}, batch {args.batch_size}: "
          f"{n} batches in {seconds:.1f} s, {1000 * seconds / n:.0f} ms per batch, "
          f"{seconds / n * per_epoch:.0f} s per epoch of {len(x)} images")  # fmt: skip


if __name__ == "__main__":
    main()
