"""One training epoch per precision, against the matrix-product rate of the same process.

Usage: python benchmarks/train_speed.py [--data-dir DIR] [--nz 100] [--repeats 2]
           [--precisions fp32 bf16] [--threads 1] [--jobs]

For each precision (model.precision): the project's epoch (train.train_epoch, batch 100,
the MNIST training set), the rate of the step's own matrix products timed alone in this
process (the shapes of one step's forward and backward, in that precision), and the
epoch's fraction of it: (the step's multiply-adds x 2 x steps) / rate / epoch time. Also
the pytorch/examples DataLoader loop in fp32. `--jobs`: per precision, one job of two
threads against two one-thread jobs side by side, in seconds per model-epoch.
Best of `repeats`, timed in turns.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

import torch
from torch.utils.data import DataLoader, TensorDataset

from vaeconcepts.data.loading import read_dir
from vaeconcepts.infra.devices import pick_device
from vaeconcepts.infra.seeds import generator
from vaeconcepts.paper.model import VAE, elbo_terms
from vaeconcepts.training.precision import PRECISIONS, bf16_unsupported
from vaeconcepts.training.step import make_optimizer
from vaeconcepts.training.train import train_epoch


def reference_epoch(model: VAE, optimizer, x: torch.Tensor, batch_size: int) -> None:
    """The pytorch/examples VAE loop: TensorDataset + DataLoader(shuffle=True)."""
    loader = DataLoader(TensorDataset(x.cpu()), batch_size=batch_size, shuffle=True)
    model.train()
    for (data,) in loader:
        data = data.to(x.device)
        optimizer.zero_grad()
        log_px, kl = elbo_terms(model, data)
        loss = -(log_px - kl).sum()
        (loss / len(data)).backward()
        optimizer.step()


def sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def step_products(batch: int, pixels: int, hidden: int, nz: int, L: int) -> list[tuple]:
    """(m, k, n, transposed operand) of one step's matrix products, one hidden layer:
    forward, input gradients (none for the images) and weight gradients."""
    layers = [(batch, pixels, hidden), (batch, hidden, nz), (batch, hidden, nz),
              (L * batch, nz, hidden), (L * batch, hidden, pixels)]  # fmt: skip
    out = []
    for i, (m, k, n) in enumerate(layers):
        out.append((m, k, n, False))  # forward x @ W.T
        if i > 0:
            out.append((m, n, k, False))  # input gradient g @ W
        out.append((n, m, k, True))  # weight gradient g.T @ x
    return out


def product_rate(products, dtype, device, repeats: int = 30) -> tuple[float, float]:
    """(GFLOP/s, FLOPs of one set) of the products, timed alone at `dtype`."""
    mats = []
    for m, k, n, transposed in products:
        shape = (k, m) if transposed else (m, k)
        a = torch.rand(shape, dtype=dtype, device=device)
        mats.append((a.T if transposed else a, torch.rand(n, k, dtype=dtype, device=device).T))
    flops = sum(2 * m * k * n for m, k, n, _ in products)
    best = float("inf")
    for _ in range(3):
        sync(device)
        start = time.perf_counter()
        for _ in range(repeats):
            for a, b in mats:
                a @ b
        sync(device)
        best = min(best, (time.perf_counter() - start) / repeats)
    return flops / best / 1e9, flops


def project_epoch(x, nz: int, batch_size: int, precision: str, device) -> float:
    torch.manual_seed(0)
    model = VAE(nz, precision=precision).to(device)
    optimizer = make_optimizer(model, 5e-4)
    sync(device)
    start = time.perf_counter()
    train_epoch(model, optimizer, x, batch_size, generator(0, device))
    sync(device)
    return time.perf_counter() - start


def jobs(args, precision: str) -> tuple[float, float, float]:
    """Seconds per model-epoch: one 2-thread job's epoch, and the epoch of two 1-thread jobs
    side by side, halved, and of two 2-thread jobs (4 threads on 2 cores), halved; each job
    prints its epoch time (loading the data is not timed)."""
    cmd = [sys.executable, __file__, "--data-dir", args.data_dir, "--nz", str(args.nz),
           "--repeats", "1", "--precisions", precision, "--epoch-only"]  # fmt: skip

    def run(threads: int, n: int) -> float:
        procs = [subprocess.Popen([*cmd, "--threads", str(threads)], stdout=subprocess.PIPE,
                                  text=True) for _ in range(n)]  # fmt: skip
        outs = [p.communicate()[0] for p in procs]
        if any(p.returncode for p in procs):
            raise RuntimeError("a benchmark job failed")
        return max(float(out.split()[-1]) for out in outs) / n

    return run(2, 1), run(1, 2), run(2, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default="../shared/data/mnist")
    parser.add_argument("--nz", type=int, default=100)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--precisions", nargs="+", default=list(PRECISIONS))
    parser.add_argument("--jobs", action="store_true", help="also 2 threads vs 2 jobs")
    parser.add_argument("--epoch-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    device = pick_device(args.device)
    images = read_dir(args.data_dir)[0]["train/images"]
    x = torch.from_numpy(images).to(device=device, dtype=torch.float32) / 255
    x = x.reshape(len(x), -1)
    precisions = [p for p in args.precisions if p == "fp32" or not bf16_unsupported(device.type)]
    if args.epoch_only:  # a job of --jobs
        for precision in precisions:
            print(project_epoch(x, args.nz, args.batch_size, precision, device))
        return
    steps = -(-len(x) // args.batch_size)
    products = step_products(args.batch_size, x.shape[1], 1024, args.nz, 2)
    times = {p: [] for p in precisions}
    times["DataLoader fp32"] = []
    for _ in range(args.repeats):
        for precision in precisions:
            times[precision].append(project_epoch(x, args.nz, args.batch_size, precision, device))
        torch.manual_seed(0)
        model = VAE(args.nz).to(device)
        optimizer = torch.optim.Adam(model.parameters(), lr=5e-4)
        sync(device)
        start = time.perf_counter()
        reference_epoch(model, optimizer, x, args.batch_size)
        sync(device)
        times["DataLoader fp32"].append(time.perf_counter() - start)
    print(f"device {device}, N_z {args.nz}, batch {args.batch_size}, {len(x)} images, "
          f"torch threads {torch.get_num_threads()}")  # fmt: skip
    skipped = sorted(set(args.precisions) - set(precisions))
    if skipped:
        print(f"skipped {skipped}: {bf16_unsupported(device.type)}")
    print("| loop | epoch (s) | matrix products alone (GFLOP/s) | epoch at that rate (s) | "
          "fraction of the rate |\n|---|---|---|---|---|")  # fmt: skip
    rates = {p: product_rate(products, torch.bfloat16 if p == "bf16" else torch.float32, device)
             for p in {*precisions, "fp32"}}  # fmt: skip
    for name, t in times.items():
        rate, flops = rates[name if name in PRECISIONS else "fp32"]
        ideal = flops * steps / rate / 1e9
        print(f"| {name} | {min(t):.2f} (all: {', '.join(f'{s:.2f}' for s in t)}) | "
              f"{rate:.0f} | {ideal:.2f} | {ideal / min(t):.2f} |")  # fmt: skip
    if args.jobs:
        print("\nseconds per model-epoch (a job's epoch / jobs side by side):\n"
              "| precision | one 2-thread job | two 1-thread jobs | two 2-thread jobs |\n"
              "|---|---|---|---|")  # fmt: skip
        for precision in precisions:
            cells = " | ".join(f"{s:.2f}" for s in jobs(args, precision))
            print(f"| {precision} | {cells} |")


if __name__ == "__main__":
    main()
