"""The whole paper on one device: how fast are its pieces, and what does the paper cost?

Usage (needs nothing but PyTorch and NumPy; run from the repository root):
    python benchmarks/gpu.py [--data-dir ../shared/data/mnist] [--device auto]
    python benchmarks/gpu.py --small            # a CPU-sized version: a data subset, fewer models

Prints one table, each row a ratio measured in this process (best of --repeats):
  1. the project's epoch (whole-dataset tensors, fused Adam) vs the DataLoader loop of
     benchmarks/train_speed.py;
  2. the batched trainer (src/vaeconcepts/training/stacked/batched.py) with K = 9 and K = 39
     models vs the same K models trained one after another, per model-epoch; on CUDA also its step
     replayed as a CUDA graph vs its eager step;
     and the 11 VAEs of the N_z study as one batch (train.batched) vs one model's epoch;
  3. one rollout of 5,000 trials x 80 steps (eqs. 6-7);
  4. on CUDA, the epoch with its step replayed as a CUDA graph (src/vaeconcepts/training/graphed.py)
     vs the eager epoch, and how far one epoch of each moves apart from the same start;
and an estimate of the whole paper's device time from these (the models of Figs. 1-6 at
200 epochs, one job each or as one batch, whichever is faster; the Fig. 7 sweep batched;
the classifier; the rollouts), with how it is derived.
On an H100 it takes a few minutes; it must stay under 8.
"""

from __future__ import annotations

import argparse
import copy
import math
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_speed import reference_epoch  # noqa: E402

from vaeconcepts.data.loading import read_dir  # noqa: E402
from vaeconcepts.infra.devices import pick_device  # noqa: E402
from vaeconcepts.infra.seeds import generator  # noqa: E402
from vaeconcepts.paper.inference import rollout  # noqa: E402
from vaeconcepts.paper.model import VAE  # noqa: E402
from vaeconcepts.training.classifier import Classifier  # noqa: E402
from vaeconcepts.training.graphed import GraphedEpochs  # noqa: E402
from vaeconcepts.training.stacked.batched import StackedEpochs, StackedVAE  # noqa: E402
from vaeconcepts.training.stacked.stacked_adam import StackedAdam  # noqa: E402
from vaeconcepts.training.step import make_optimizer  # noqa: E402
from vaeconcepts.training.train import train_epoch  # noqa: E402

SWEEP_NZ = [2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 30, 50, 100]  # config.yaml's sweep
SWEEP_LR = [0.01, 0.001, 0.0001]
SWEEP_BS = [50, 100, 200]
STUDY_NZ = [2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 100]  # config.yaml's nz and onset.nz


def sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def best_times(fns, device, repeats: int) -> list[float]:
    """The shortest of `repeats` timings of each fn() (after one warm-up call each), the
    functions taking turns, so that a machine that speeds up or slows down biases no ratio."""
    for fn in fns:
        fn()
    times = [[] for _ in fns]
    for _ in range(repeats):
        for fn, mine in zip(fns, times, strict=True):
            sync(device)
            start = time.perf_counter()
            fn()
            sync(device)
            mine.append(time.perf_counter() - start)
    return [min(mine) for mine in times]


def best_time(fn, device, repeats: int) -> float:
    return best_times([fn], device, repeats)[0]


def progress(text: str) -> None:
    """A line on stderr as each measure ends, so that a run cut short still tells something."""
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def graph_check(model: VAE, x: torch.Tensor, repeats: int) -> tuple[float, float, float, float]:
    """(graphed epoch s, eager epoch s, max |weight difference| and |ELBO difference| after
    one epoch of each from the same weights, optimiser state and generator seed)."""
    device = x.device
    eager_model, graph_model = copy.deepcopy(model), copy.deepcopy(model)
    eager_opt = make_optimizer(eager_model, 5e-4)
    graph_opt = make_optimizer(graph_model, 5e-4, capturable=True)
    eager_elbo, _ = train_epoch(eager_model, eager_opt, x, 100, generator(1, device))
    graphed = GraphedEpochs(graph_model, graph_opt, len(x), 100, generator(1, device))
    graph_elbo, _ = graphed.epoch(x)
    diff = max((a - b).abs().max().item() for a, b in
               zip(eager_model.parameters(), graph_model.parameters(), strict=True))  # fmt: skip
    t_graph, t_eager = best_times(
        [lambda: graphed.epoch(x),
         lambda: train_epoch(eager_model, eager_opt, x, 100, generator(2, device))],
        device, repeats,
    )  # fmt: skip
    return t_graph, t_eager, diff, abs(graph_elbo - eager_elbo)


def sweep_models(k: int, device) -> tuple[list[VAE], list[float]]:
    """The first k (N_z, lr) of the sweep grid, cycled: VAEs and learning rates."""
    grid = [(nz, lr) for nz in SWEEP_NZ for lr in SWEEP_LR]
    chosen = [grid[i % len(grid)] for i in range(k)]
    vaes = []
    for i, (nz, _) in enumerate(chosen):
        torch.manual_seed(i)
        vaes.append(VAE(nz).to(device))
    return vaes, [lr for _, lr in chosen]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default="../shared/data/mnist")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument(
        "--small", action="store_true", help="CPU-sized: 3,000 images, K = 3 and 9, 500 trials"
    )
    args = parser.parse_args()
    device = pick_device(args.device)
    arrays, _ = read_dir(args.data_dir)
    n_images = 3000 if args.small else len(arrays["train/images"])
    x = torch.from_numpy(arrays["train/images"][:n_images]).to(device).float().div_(255)
    ks = (3, 9) if args.small else (9, 39)
    n_trials = 500 if args.small else 5000
    rows, t = [], {}

    # 1. one model: the project's epoch vs the DataLoader loop
    torch.manual_seed(0)
    model = VAE(100).to(device)
    opt = make_optimizer(model, 5e-4)
    ref_opt = torch.optim.Adam(model.parameters(), lr=5e-4)
    t["epoch"], t["ref"] = best_times(
        [lambda: train_epoch(model, opt, x, 100, generator(0, device)),
         lambda: reference_epoch(model, ref_opt, x, 100)],
        device, args.repeats,
    )  # fmt: skip
    rows.append(("project epoch / DataLoader epoch (N_z 100, batch 100)", t["epoch"], t["ref"]))
    progress(f"epoch {t['epoch']:.3f} s, DataLoader epoch {t['ref']:.3f} s")

    # 4. (CUDA) the step as a CUDA graph vs eager, from the same start
    graph = None
    if device.type == "cuda":
        torch.manual_seed(0)
        graph = graph_check(VAE(100).to(device), x, args.repeats)
        rows.append(("CUDA-graph epoch / eager epoch (N_z 100, batch 100)", *graph[:2]))
        progress(f"graphed {graph[0]:.3f} s, eager {graph[1]:.3f} s, after one epoch "
                 f"max |weight diff| {graph[2]:.2e}, |ELBO diff| {graph[3]:.2e}")  # fmt: skip

    # 2. K models batched vs the same K one after another, per model-epoch
    for k in ks:
        vaes, lrs = sweep_models(k, device)
        stacked = StackedVAE(vaes)
        s_opt = StackedAdam(stacked.parameters(), lrs)
        loop = StackedEpochs(stacked, s_opt, [generator(i, device) for i in range(k)], 100)
        opts = [make_optimizer(v, lr) for v, lr in zip(vaes, lrs, strict=True)]

        def sequential(vaes=vaes, opts=opts):
            for v, o in zip(vaes, opts, strict=True):
                train_epoch(v, o, x, 100, generator(0, device))

        both = best_times([lambda loop=loop: loop.epoch(x), sequential], device, args.repeats)
        batched, seq = both[0] / k, both[1] / k
        t[f"batched{k}"] = batched
        rows.append((f"batched / sequential, K = {k}, per model-epoch", batched, seq))
        progress(f"K = {k}: batched {batched:.3f} s, sequential {seq:.3f} s per model-epoch")
        if device.type == "cuda":  # the batched step as a CUDA graph, from the same weights
            stacked = StackedVAE(vaes)
            s_opt = StackedAdam(stacked.parameters(), lrs)
            gens = [generator(i, device) for i in range(k)]
            loop = StackedEpochs(stacked, s_opt, gens, 100, cuda_graph=True)
            graphed = best_time(lambda loop=loop: loop.epoch(x), device, args.repeats) / k
            t[f"batched{k}"] = min(batched, graphed)
            rows.append((f"batched CUDA graph / batched eager, K = {k}", graphed, batched))
            progress(f"K = {k}: graphed batched {graphed:.3f} s per model-epoch")

    # 2b. the N_z study's VAEs as one batch (train.batched) vs one model's epoch, as run now
    vaes = []
    for i, nz in enumerate(STUDY_NZ):
        torch.manual_seed(i)
        vaes.append(VAE(nz).to(device))
    stacked = StackedVAE(vaes)
    s_opt = StackedAdam(stacked.parameters(), [5e-4] * len(vaes))
    gens = [generator(i, device) for i in range(len(vaes))]
    loop = StackedEpochs(stacked, s_opt, gens, 100, cuda_graph=device.type == "cuda")
    t["study"] = best_time(lambda: loop.epoch(x), device, args.repeats) / len(vaes)
    one_epoch = min(t["epoch"], graph[0]) if graph else t["epoch"]  # with cuda_graph if faster
    kind = "graphed" if graph and graph[0] < t["epoch"] else "eager"
    batch_kind = "graphed" if device.type == "cuda" else "eager"
    rows.append((f"{len(vaes)} N_z-study VAEs as one ({batch_kind}) / one {kind} N_z 100",
                 t["study"], one_epoch))  # fmt: skip
    progress(f"N_z study batched: {t['study']:.3f} s per model-epoch")

    # 3. a rollout of n_trials x 80 steps
    x0 = x[torch.arange(n_trials, device=device) % len(x)]
    t["rollout"] = best_time(lambda: rollout(model, x0, 80, 4), device, args.repeats)
    progress(f"rollout {t['rollout']:.3f} s")

    # the classifier: a few batches, extrapolated to an epoch
    clf = Classifier().to(device)
    c_opt = torch.optim.Adam(clf.parameters(), lr=1e-3)
    y = torch.from_numpy(arrays["train/labels"][:n_images].astype("int64")).to(device)
    n_batches = 20

    def clf_batches():
        for idx in torch.arange(n_batches * 128, device=device).remainder(len(x)).split(128):
            loss = F.cross_entropy(clf(x[idx]), y[idx])
            c_opt.zero_grad()
            loss.backward()
            c_opt.step()

    t["clf_epoch"] = best_time(clf_batches, device, args.repeats) / n_batches * (60000 / 128)

    full = 60000 / n_images  # scale data-subset timings to the full training set
    epoch_full, batched_full = one_epoch * full, t[f"batched{ks[-1]}"] * full
    mains = 11 * 200 * epoch_full  # N_z of Figs. 1-6 and the onset table, 200 epochs each
    mains_batched = 11 * 200 * t["study"] * full  # the same as one batch (train.batched)
    sweep = sum(100 * len(SWEEP_NZ) * len(SWEEP_LR) * batched_full * 100 / bs for bs in SWEEP_BS)
    clf_time = 10 * t["clf_epoch"]
    roll = 32 * t["rollout"] * 500 / n_trials  # 10 + 11 + 11 files of 500 trials
    total = min(mains, mains_batched) + sweep + clf_time + roll

    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "CPU"
    print(f"device {device} ({name}), torch {torch.__version__}, {n_images} training images, "
          f"threads {torch.get_num_threads()}")  # fmt: skip
    print(f"{'measure':58} {'this':>10} {'against':>10} {'ratio':>7}")
    for name, a, b in rows:
        print(f"{name:58} {a:9.3f}s {b:9.3f}s {a / b:7.3f}")
    print(f"{f'rollout, {n_trials} trials x 80 steps (N_z 100)':58} {t['rollout']:9.3f}s")
    print(f"{'classifier epoch (extrapolated from 20 batches)':58} {t['clf_epoch']:9.3f}s")
    if graph:
        print(f"CUDA graph vs eager after one epoch from the same start: max |weight diff| "
              f"{graph[2]:.2e}, |train ELBO diff| {graph[3]:.2e} nats")  # fmt: skip
    print("estimate of the whole paper on this device (minutes):")
    print(f"  11 VAEs x 200 epochs, one job each:        {mains / 60:8.1f}"
          f"  (11 x 200 x {epoch_full:.2f} s per {kind} epoch)")  # fmt: skip
    print(f"  the same 11 as one batch (train.batched):   {mains_batched / 60:8.1f}"
          f"  (per model-epoch {t['study'] * full:.3f} s, {batch_kind})")  # fmt: skip
    print(
        f"  Fig. 7 sweep, 117 VAEs x 100 epochs, batched: {sweep / 60:8.1f}"
        f"  (per model-epoch {batched_full:.3f} s at batch 100, K = {ks[-1]}, x 100/bs;"
        " graphed if faster)"
    )
    print(f"  classifier, 10 epochs:                      {clf_time / 60:8.1f}")
    print(f"  rollouts, 32 files x 500 trials:            {roll / 60:8.1f}")
    print(f"  total:                                      {total / 60:8.1f}"
          "  (besides: data, latents, statistics, figures: CPU, about a minute)")  # fmt: skip
    if args.small:
        print(f"  (--small: timings of {n_images} images scaled by {full:.0f} to 60,000)")
    assert math.isfinite(total)


if __name__ == "__main__":
    main()
