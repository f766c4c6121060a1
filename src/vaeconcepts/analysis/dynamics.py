"""The dynamics tables of one run from its files (issue 37): the nearest training memory along
the trajectories of Figs. 2 and 4, and the attractors of the latent map of one model."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
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
from vaeconcepts.infra import h5io

TRIAL_COLUMNS = ["nz", "p", "label", "trial", "t", "d_nearest"]  # what C12 reads


def nearest_memory_tables(
    files: Mapping[str, int], trial_files: Mapping[str, int], latents: str, log=print
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """nearest_summary of the first n trials of each trajectory file (path -> n), and the
    per-trial distances to the nearest memory of `trial_files` (path -> n) (TRIAL_COLUMNS)."""
    latent = h5io.read_h5(latents, ["train/mu", "train/labels"])
    memories = torch.from_numpy(latent["train/mu"])
    labels = torch.from_numpy(latent["train/labels"].astype(np.int64))
    summaries, kept = [], []
    for path, n in files.items():
        arrays, meta = h5io.read_trials(path, ["z", "source_index"], n)
        own = torch.from_numpy(arrays["source_index"].astype(np.int64))
        keys = dict(nz=int(meta["nz"]), p=float(meta["p"]), label=int(meta["label"]))
        trials = trajectory_memories(torch.from_numpy(arrays["z"]), memories, labels, own)
        trials = trials.assign(**keys)
        summaries.append(nearest_summary(trials))
        if path in trial_files:
            kept.append(trials.loc[trials["trial"] < trial_files[path], TRIAL_COLUMNS])
        last = trials[trials["t"] == trials["t"].max()]
        same = (last["nearest_label"] == keys["label"]).mean()
        log(f"{path}: {n} trials; at T the nearest memory has the source label in {same:.2f}")
    summary = pd.concat(summaries, ignore_index=True).sort_values(
        ["nz", "p", "label", "target", "t"]
    )
    trials = pd.concat(kept, ignore_index=True) if kept else pd.DataFrame(columns=TRIAL_COLUMNS)
    return summary.reset_index(drop=True), trials.sort_values(["nz", "p", "label", "trial", "t"])


def memory_sample(labels: np.ndarray, n: int) -> np.ndarray:
    """Indices of the first n training memories of every label (all of a label with fewer)."""
    return np.concatenate([np.flatnonzero(labels == k)[:n] for k in np.unique(labels)])


def attractor_study(
    model,
    classify: Callable[[torch.Tensor], torch.Tensor],
    noisy: Sequence[tuple[np.ndarray, np.ndarray, int, float]],
    memories: torch.Tensor,
    memory_labels: torch.Tensor,
    concepts: torch.Tensor,
    n_memories: int,
    T: int,
    tol: float,
    seed: int = 0,
) -> tuple[dict[str, pd.DataFrame], dict[str, np.ndarray]]:
    """Long rollouts of f(z) = mu(sigmoid(decoder(z))) from z(0) = mu(x(0)) of the noisy inputs
    (x0, source_index, label, p per file) and from `n_memories` clean memories per label; the
    census of their final states within the memories' pooled spacing; the tables per attractor,
    per trial, their summary per (p, label, start) and the clustering (NMI, ARI) per start.
    Returns the tables and the arrays 'final' (per trial) and 'points' (per attractor)."""

    def f(z):
        return model.recognise(model.generate(z))

    pick = memory_sample(memory_labels.numpy(), n_memories)
    with torch.no_grad():
        z0 = [model.recognise(torch.from_numpy(x0)) for x0, _, _, _ in noisy]
    z0 = torch.cat([*z0, memories[pick]])
    start = np.array(["noisy"] * (len(z0) - len(pick)) + ["memory"] * len(pick))
    source = np.concatenate(
        [np.full(len(x0), k) for x0, _, k, _ in noisy] + [memory_labels[pick].numpy()]
    )
    p = np.concatenate([np.full(len(x0), q) for x0, _, _, q in noisy] + [np.zeros(len(pick))])
    index = np.concatenate([i for _, i, _, _ in noisy] + [pick])
    spacing = memory_spacing(memories, memory_labels)
    run = long_rollout(f, z0, T=T, tol=tol, record=times(T))
    attractor = census(run.z, spacing[-1])
    attractors, points = attractor_table(
        f, model.generate, classify, run.z, attractor, source, run.converged.numpy(),
        memories, memory_labels,
    )  # fmt: skip
    trials = trial_table(run, source, memories, memory_labels, concepts, spacing, attractor)
    trials = trials.assign(p=p, start=start, source_index=index)
    summary = trial_summary(trials, ("p", "label", "start"))
    summary["spacing"] = summary["label"].map(spacing)
    snapshots = {t: z.numpy() for t, z in run.snapshots.items()}
    clustering = [
        clustering_table({t: z[start == s] for t, z in snapshots.items()},
                         source[start == s], attractor[start == s], seed).assign(start=s)
        for s in ("noisy", "memory")
    ]  # fmt: skip
    tables = dict(attractors=attractors.assign(spacing=spacing[-1]), trials=trials,
                  summary=summary, clustering=pd.concat(clustering, ignore_index=True))  # fmt: skip
    for table in tables.values():
        table.insert(0, "nz", memories.shape[1])
    return tables, dict(final=run.z.numpy(), points=points.detach().numpy())
