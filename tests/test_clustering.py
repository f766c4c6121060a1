"""Clustering by repeated inference: NMI and ARI of k-means on z(t) and of the attractors."""

import numpy as np
import pytest

from vaeconcepts.analysis.clustering import clustering_table, scores, times


def test_times_are_1_2_5_steps_up_to_T():
    assert times(80) == [0, 1, 2, 5, 10, 20, 50, 80]
    assert times(1000) == [0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
    assert times(0) == [0] and times(3) == [0, 1, 2, 3]


def test_a_relabelled_assignment_scores_one_and_a_random_one_near_zero():
    labels = np.repeat(np.arange(4), 50)
    assert scores(labels, (labels + 1) % 4) == pytest.approx(dict(nmi=1.0, ari=1.0))
    shuffled = np.random.default_rng(0).permutation(labels)
    assert scores(labels, shuffled)["ari"] == pytest.approx(0, abs=0.05)


def test_structure_that_appears_over_t():
    """z(0): noise alone; z(10): three separated clusters, one per label."""
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(3), 40)
    centres = 10 * np.eye(3)[labels]
    snapshots = {0: rng.normal(size=(120, 3)), 10: centres + 0.1 * rng.normal(size=(120, 3))}
    attractor = np.where(labels == 2, 1, labels)  # two attractors: labels 1 and 2 merged
    table = clustering_table(snapshots, labels, attractor).set_index(["method", "t"])
    assert table.loc[("kmeans", 10), "nmi"] == pytest.approx(1.0)
    assert table.loc[("kmeans", 10), "ari"] == pytest.approx(1.0)
    assert table.loc[("kmeans", 0), "ari"] < 0.1
    merged = table.loc[("attractor", 10)]
    assert 0.5 < merged["ari"] < 1 and 0.5 < merged["nmi"] < 1
