"""Measures of trajectories and latent spaces (eqs. 10, 11, 13; active units; PCA)."""

from __future__ import annotations

import numpy as np

TARGETS = ("memory", "concept", "abstract_concept")
STAGES = {"memory": "I", "concept": "II", "abstract_concept": "III"}


def distance(z: np.ndarray, target: np.ndarray) -> np.ndarray:
    """||z(t) - target|| for trajectories z (n, T+1, N_z); target (N_z,) or one per trial (n, N_z).

    Eq. (10) with a concept as target.
    """
    target = np.asarray(target, dtype=np.float64)
    if target.ndim == 2:
        target = target[:, None, :]
    return np.linalg.norm(np.asarray(z, dtype=np.float64) - target, axis=-1)


def min_distance(z: np.ndarray, target: np.ndarray) -> np.ndarray:
    """min_t ||z(t) - target|| per trial, eq. (13)."""
    return distance(z, target).min(axis=1)


def mean_sem(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Mean, standard error of the mean (ddof = 1) and count over the first axis (trials);
    no trials give a NaN mean (an empty cell of the table) and one trial a NaN SEM."""
    values = np.asarray(values, dtype=np.float64)
    n = len(values)
    sem = values.std(axis=0, ddof=1) / np.sqrt(n) if n > 1 else np.full(values.shape[1:], np.nan)
    mean = values.mean(axis=0) if n > 0 else np.full(values.shape[1:], np.nan)
    return mean, sem, n


def cosine_matrix(concepts: np.ndarray) -> np.ndarray:
    """C_ij = xi_i . xi_j / (||xi_i|| ||xi_j||) between concepts, eq. (11)."""
    c = np.asarray(concepts, dtype=np.float64)
    unit = c / np.linalg.norm(c, axis=1, keepdims=True)
    return unit @ unit.T


def mean_abs_offdiagonal(matrix: np.ndarray) -> float:
    """Mean absolute value of the off-diagonal entries of a square matrix."""
    m = np.asarray(matrix)
    return float(np.abs(m[~np.eye(len(m), dtype=bool)]).mean())


def unit_variances(memories: np.ndarray) -> np.ndarray:
    """Var_x(mu_j(x)) of every latent unit j over the memories (N, N_z)."""
    return np.asarray(memories, dtype=np.float64).var(axis=0)


def active_units(memories: np.ndarray, threshold: float = 0.01) -> np.ndarray:
    """Boolean mask of active units: Var_x(mu_j(x)) > threshold (Burda et al. 2015)."""
    return unit_variances(memories) > threshold


def active_units_kl(unit_kl: np.ndarray, threshold: float = 0.01) -> np.ndarray:
    """Active by another definition in use: the unit's mean KL above `threshold` nats."""
    return np.asarray(unit_kl) > threshold


def active_units_concept(concepts: np.ndarray, threshold: float = 0.1) -> np.ndarray:
    """Active by another definition in use: max over labels of |concept_kj| above `threshold`."""
    return np.abs(np.asarray(concepts)).max(axis=0) > threshold


def pca(memories: np.ndarray, n_components: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Explained-variance ratios (descending) and the projection on the first components."""
    x = np.asarray(memories, dtype=np.float64)
    x = x - x.mean(axis=0)
    _, s, vt = np.linalg.svd(x, full_matrices=False)
    ratios = s**2 / np.sum(s**2)
    k = len(s) if n_components is None else n_components
    return ratios, x @ vt[:k].T


def components_for(ratios: np.ndarray, level: float) -> int:
    """Smallest number of principal components whose cumulative ratio reaches `level`."""
    return int(np.searchsorted(np.cumsum(ratios), level - 1e-12) + 1)


def dip(curve: np.ndarray, sem: np.ndarray | None = None) -> dict[str, float]:
    """Shape of a mean distance curve d(t): when it is lowest and how far it rises afterwards.

    approach = d(0) - d_min, rise = max_{t >= t_min} d(t) - d_min; depth = min of the two,
    positive only when the trajectory first approaches the target and then moves away.
    With the curve's standard errors `sem`: `clear` when depth > 2 SEM at t_min.
    """
    d = np.asarray(curve, dtype=np.float64)
    t_min = int(np.argmin(d))
    d_min = float(d[t_min])
    approach, rise = float(d[0] - d_min), float(d[t_min:].max() - d_min)
    out = dict(
        t_min=t_min,
        d0=float(d[0]),
        d_min=d_min,
        d_T=float(d[-1]),
        approach=approach,
        rise=rise,
        depth=min(approach, rise),
        rel_depth=min(approach, rise) / d_min if d_min > 0 else np.nan,
    )
    if sem is not None:
        sem_min = float(np.asarray(sem, dtype=np.float64)[t_min])
        out.update(sem_at_min=sem_min, clear=bool(min(approach, rise) > 2 * sem_min))
    return out


def stage(mean_min_distances: dict[str, float]) -> str:
    """The stage (I memory, II concept, III abstract concept) with the smallest mean distance."""
    return STAGES[min(TARGETS, key=lambda t: mean_min_distances[t])]
