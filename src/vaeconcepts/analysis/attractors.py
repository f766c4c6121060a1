"""Attractors of the latent map f(z) = mu(sigmoid(decoder(z))), one step of eqs. (6)-(7)
(issue 37, item 2): long rollouts, the census of their final states, each attractor's basin.

Functions take the map `f`, the decoder `decode` (z -> image) and the classifier `classify`
(images -> labels) as callables over batches, so they work with any model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
import torch
from sklearn.cluster import DBSCAN

from vaeconcepts.analysis.nearest import nearest_memory

Map = Callable[[torch.Tensor], torch.Tensor]


class LongRollout(NamedTuple):
    z: torch.Tensor  # (n, N_z): the final state, z(steps)
    converged: torch.Tensor  # (n,) bool
    steps: torch.Tensor  # (n,) the t at which the trial stopped (T when it did not converge)
    snapshots: dict[int, torch.Tensor]  # t -> z(t) (n, N_z); a stopped trial keeps its final z


@torch.no_grad()
def long_rollout(
    f: Map, z0: torch.Tensor, T: int = 1000, tol: float = 1e-4, record: Sequence[int] = ()
) -> LongRollout:
    """Iterate z(t+1) = f(z(t)) from z0 (n, N_z), all trials as one batch; a trial stops once
    |z(t+1) - z(t)| / |z(t)| < tol. `record`: the t whose z(t) are kept."""
    z, n = z0.clone(), len(z0)
    converged = torch.zeros(n, dtype=torch.bool, device=z0.device)
    steps = torch.full((n,), T, dtype=torch.long, device=z0.device)
    active = torch.arange(n, device=z0.device)
    snapshots = {0: z0.clone()} if 0 in record else {}
    for t in range(T):
        step = f(z[active])
        scale = z[active].norm(dim=1).clamp_min(torch.finfo(z.dtype).tiny)
        change = (step - z[active]).norm(dim=1) / scale
        z[active] = step
        done = change < tol
        converged[active[done]], steps[active[done]] = True, t + 1
        active = active[~done]
        if t + 1 in record:
            snapshots[t + 1] = z.clone()
        if len(active) == 0:
            break
    snapshots |= {s: z.clone() for s in record if s not in snapshots}
    return LongRollout(z, converged, steps, snapshots)


def census(final: torch.Tensor, spacing: float) -> np.ndarray:
    """The attractor of each final state (n, N_z): states are merged when a chain of states
    each within `spacing` of the next joins them (single linkage; DBSCAN, min_samples 1)."""
    return DBSCAN(eps=spacing, min_samples=1).fit_predict(final.double().cpu().numpy())


def spectral_radius(f: Map, points: torch.Tensor, chunk: int = 64) -> np.ndarray:
    """max |eigenvalue| of the Jacobian of f (N_z x N_z, torch.func.jacrev) at each point;
    a fixed point with rho < 1 is stable."""
    jac = torch.func.vmap(torch.func.jacrev(lambda z: f(z[None])[0]))
    rho = [
        torch.linalg.eigvals(jac(points[s : s + chunk])).abs().amax(1).detach().cpu()
        for s in range(0, len(points), chunk)
    ]
    return torch.cat(rho).numpy() if rho else np.empty(0)


def _representatives(final: torch.Tensor, attractor: np.ndarray) -> torch.Tensor:
    """Per attractor: its member nearest to the members' mean (a final state itself)."""
    reps = []
    for a in range(attractor.max() + 1):
        members = final[torch.as_tensor(attractor == a)]
        reps.append(members[(members - members.mean(0)).norm(dim=1).argmin()])
    return torch.stack(reps)


def attractor_table(
    f: Map,
    decode: Map,
    classify: Map,
    final: torch.Tensor,
    attractor: np.ndarray,
    source: np.ndarray,
    converged: np.ndarray,
    memories: torch.Tensor,
    memory_labels: torch.Tensor,
) -> tuple[pd.DataFrame, torch.Tensor]:
    """One row per attractor: basin size, source labels and purity (the majority label's
    fraction), converged fraction, nearest memory and its distance, the classifier's label of
    its decoded image, rho (spectral_radius); and the attractors' points (n_attractors, N_z)."""
    points = _representatives(final, attractor)
    d, index = nearest_memory(points, memories)
    with torch.no_grad():
        predicted = classify(decode(points))
    rows = []
    for a in range(len(points)):
        member = attractor == a
        labels, counts = np.unique(source[member], return_counts=True)
        rows.append(
            dict(
                attractor=a,
                basin=int(member.sum()),
                majority_label=int(labels[counts.argmax()]),
                purity=float(counts.max() / member.sum()),
                source_labels=" ".join(f"{k}:{c}" for k, c in zip(labels, counts, strict=True)),
                converged=float(converged[member].mean()),
            )
        )
    table = pd.DataFrame(rows).assign(
        nearest_index=index.cpu().numpy(),
        nearest_label=memory_labels[index].cpu().numpy(),
        d_nearest=d.cpu().numpy(),
        classified=np.asarray(torch.as_tensor(predicted).cpu()),
        rho=spectral_radius(f, points),
    )
    return table.assign(stable=table["rho"] < 1), points


def trial_table(
    run: LongRollout,
    source: np.ndarray,
    memories: torch.Tensor,
    memory_labels: torch.Tensor,
    concepts: torch.Tensor,
    spacing: dict[int, float],
    attractor: np.ndarray,
) -> pd.DataFrame:
    """One row per trial: converged, steps, its final state's nearest memory (distance, label),
    distance to its source label's concept, `at_memory` (within the label's memory spacing of
    a memory), `nearer_concept` (nearer its concept than any memory) and its attractor."""
    d, index = nearest_memory(run.z, memories)
    d_concept = (run.z - concepts[torch.as_tensor(source)]).norm(dim=1)
    own_spacing = np.array([spacing[int(k)] for k in source])
    d, d_concept = d.cpu().numpy(), d_concept.cpu().numpy()
    return pd.DataFrame(
        dict(
            trial=np.arange(len(source)),
            label=source,
            converged=run.converged.cpu().numpy(),
            steps=run.steps.cpu().numpy(),
            d_nearest=d,
            nearest_index=index.cpu().numpy(),
            nearest_label=memory_labels[index].cpu().numpy(),
            d_concept=d_concept,
            at_memory=d <= own_spacing,
            nearer_concept=d_concept < d,
            attractor=attractor,
        )
    )


def trial_summary(trials: pd.DataFrame, keys: Sequence[str] = ("nz", "p", "label")) -> pd.DataFrame:
    """Per `keys`: trials, the fractions converged, at a memory and nearer the concept, the
    median steps, the attractors reached and the share of the largest of them."""
    g = trials.groupby(list(keys))
    return pd.DataFrame(
        dict(
            n=g.size(),
            converged=g["converged"].mean(),
            median_steps=g["steps"].median(),
            at_memory=g["at_memory"].mean(),
            nearer_concept=g["nearer_concept"].mean(),
            n_attractors=g["attractor"].nunique(),
            top_attractor=g["attractor"].agg(lambda a: a.value_counts().iloc[0] / len(a)),
        )
    ).reset_index()
