"""Clustering by repeated inference (issue 37, item 3): how well the attractors, and k-means
on z(t), recover the source labels (NMI and ARI, scikit-learn)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score


def times(T: int) -> list[int]:
    """t = 0, 1, 2, 5, 10, 20, 50, ... (1-2-5 steps) up to and including T."""
    out, scale = [0], 1
    while scale <= T:
        out += [s * scale for s in (1, 2, 5) if s * scale <= T]
        scale *= 10
    return out if out[-1] == T else [*out, T]


def scores(labels: np.ndarray, assignment: np.ndarray) -> dict[str, float]:
    """NMI and ARI of a cluster assignment against the source labels."""
    return dict(
        nmi=float(normalized_mutual_info_score(labels, assignment)),
        ari=float(adjusted_rand_score(labels, assignment)),
    )


def kmeans_scores(
    snapshots: Mapping[int, np.ndarray], labels: np.ndarray, seed: int = 0, n_init: int = 10
) -> pd.DataFrame:
    """Per t of `snapshots` (t -> z(t), (n, N_z)): NMI and ARI of k-means (k = classes)."""
    k = len(np.unique(labels))
    rows = []
    for t in sorted(snapshots):
        z = np.asarray(snapshots[t], dtype=np.float64)
        assignment = KMeans(n_clusters=k, n_init=n_init, random_state=seed).fit_predict(z)
        rows.append(dict(t=t, method="kmeans", **scores(labels, assignment)))
    return pd.DataFrame(rows)


def clustering_table(
    snapshots: Mapping[int, np.ndarray], labels: np.ndarray, attractor: np.ndarray, seed: int = 0
) -> pd.DataFrame:
    """k-means' NMI and ARI over t, and the attractor assignment's (method 'attractor', t the
    last of `snapshots`)."""
    last = max(snapshots)
    attractors = pd.DataFrame([dict(t=last, method="attractor", **scores(labels, attractor))])
    return pd.concat([kmeans_scores(snapshots, labels, seed), attractors], ignore_index=True)
