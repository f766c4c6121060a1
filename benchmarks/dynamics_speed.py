"""Time of the dynamics stages of issue 37 on one thread: (a) the nearest-memory tables of
one run (Fig. 2: 10 labels x 300 trials x 81 steps; Fig. 4: 11 p x 500 trials x 81 steps)
against 60,000 memories of N_z = 100; (b) the attractor stage of an N_z = 100 model (300
noisy trials per class, T up to 1000, early stopping). Targets: (a) <= 2 min, (b) <= 10 min.

Usage: OMP_NUM_THREADS=1 python benchmarks/dynamics_speed.py [--model PATH] [--data-dir DIR]
       [--tol 1e-4] [--skip-nearest]
--model: a trained N_z = 100 model.pt (e.g. results/runs/paper/models/nz100/model.pt); (a)
then searches its own trajectories (swap noise as in Figs. 2 and 4, 80 steps, rolled out
before the clock starts), which is what the search's first pass on the memories' principal
axes is made for. Without it: a random-init VAE of the paper's shape and random points (the
worst case for that pass). --tol 0: no trial stops early (the worst case of (b)).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import torch

from vaeconcepts.analysis.attractors import (
    attractor_table,
    census,
    long_rollout,
    trial_summary,
    trial_table,
)
from vaeconcepts.analysis.clustering import clustering_table, times
from vaeconcepts.analysis.nearest import memory_spacing, nearest_summary, trajectory_memories
from vaeconcepts.data.idx import read_idx
from vaeconcepts.paper.inference import rollout
from vaeconcepts.paper.model import VAE, load_model
from vaeconcepts.paper.noise import swap_noise


def mnist(data_dir: Path) -> tuple[torch.Tensor, torch.Tensor]:
    x = read_idx(data_dir / "train-images-idx3-ubyte.gz", ndim=3).reshape(-1, 784)
    y = read_idx(data_dir / "train-labels-idx1-ubyte.gz", ndim=1)
    return torch.from_numpy(x).float() / 255, torch.from_numpy(y.astype(np.int64))


GROUPS = [(0.2, 300)] * 10 + [(p / 10, 500) for p in range(11)]  # Fig. 2's labels, Fig. 4's p


def trajectories(model, x, y, trained: bool, g: torch.Generator) -> list[tuple]:
    """Per group of GROUPS: z (n, 81, N_z) and each trial's own memory index."""
    out = []
    for k, (p, n) in enumerate(GROUPS):
        own = torch.nonzero(y == k % 10)[:n, 0]
        if trained:
            z = rollout(model, swap_noise(x[own], p, "flip", g), T=80).z
        else:
            z = torch.randn(n, 81, model.nz, generator=g)
        out.append((z, own))
    return out


def nearest_stage(groups: list[tuple], memories: torch.Tensor, labels: torch.Tensor) -> float:
    start = time.perf_counter()
    for k, (z, own) in enumerate(groups):
        trials = trajectory_memories(z, memories, labels, own).assign(nz=100, p=0.2, label=k)
        nearest_summary(trials)
    return time.perf_counter() - start


def attractor_stage(model, x, y, memories, T: int, tol: float, g: torch.Generator) -> dict:
    def f(z):
        return model.recognise(model.generate(z))

    def classify(images):  # stands in for the Appendix B classifier: the nearest memory's label
        return y[torch.cdist(model.recognise(images), memories).argmin(1)]

    clock = {"start": time.perf_counter()}
    spacing = memory_spacing(memories, y)
    clock["spacing"] = time.perf_counter()
    pick = torch.cat([torch.nonzero(y == k)[:300, 0] for k in range(10)])
    noisy = x[pick].clone()
    flip = torch.rand(noisy.shape, generator=g) < 0.2
    noisy[flip] = 1 - noisy[flip]
    with torch.no_grad():
        z0 = model.recognise(noisy)
    run = long_rollout(f, z0, T=T, tol=tol, record=times(T))
    clock["rollout"] = time.perf_counter()
    source = y[pick].numpy()
    attractor = census(run.z, spacing[-1])
    table, _ = attractor_table(f, model.generate, classify, run.z, attractor, source,
                               run.converged.numpy(), memories, y)  # fmt: skip
    concepts = torch.stack([memories[y == k].mean(0) for k in range(10)])
    trials = trial_table(run, source, memories, y, concepts, spacing, attractor)
    trial_summary(trials.assign(nz=100, p=0.2))
    clock["census"] = time.perf_counter()
    clustering_table({t: s.numpy() for t, s in run.snapshots.items()}, source, attractor)
    clock["clustering"] = time.perf_counter()
    steps = run.steps.float()
    return dict(clock=clock, converged=float(run.converged.float().mean()),
                median_steps=float(steps.median()), max_steps=int(steps.max()),
                attractors=len(table))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="a trained N_z = 100 model.pt")
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/data/mnist"))
    parser.add_argument("--T", type=int, default=1000)
    parser.add_argument("--tol", type=float, default=1e-4)
    parser.add_argument("--skip-nearest", action="store_true", help="time (b) only")
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    model = load_model(args.model, 100) if args.model else VAE(100).eval()  # Keras init
    x, y = mnist(args.data_dir)
    with torch.no_grad():
        memories = torch.cat([model.recognise(b) for b in x.split(10000)])
    print(f"threads {torch.get_num_threads()}, memories {tuple(memories.shape)}, "
          f"model {args.model or 'random init'}")  # fmt: skip
    if not args.skip_nearest:
        groups = trajectories(model, x, y, args.model is not None, g)
        seconds = nearest_stage(groups, memories, y)
        print(f"(a) nearest-memory tables of one run, {sum(n for _, n in GROUPS)} trials x 81 "
              f"steps: {seconds:.1f} s")  # fmt: skip
    out = attractor_stage(model, x, y, memories, args.T, args.tol, g)
    c = out.pop("clock")
    parts = ("spacing", "rollout", "census", "clustering")
    split = ", ".join(
        f"{k} {c[k] - c[prev]:.1f} s" for prev, k in zip(("start", *parts), parts, strict=False)
    )
    print(f"(b) attractor stage, 3000 trials, T {args.T}, tol {args.tol:g}: "
          f"{c['clustering'] - c['start']:.1f} s ({split}); {out}")  # fmt: skip


if __name__ == "__main__":
    main()
