"""The dynamics figure (issue 37): which attractors it shows, and that it draws every panel."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from vaeconcepts.figures import dynamics


def _tables(n_labels=3, n_trials=20):
    """Label k's trials end in attractor k (three quarters) or attractor n_labels (the rest)."""
    rows = [dict(label=k, attractor=k if i % 4 else n_labels)
            for k in range(n_labels) for i in range(n_trials)]  # fmt: skip
    trials = pd.DataFrame(rows)
    n_att = n_labels + 1
    attractors = pd.DataFrame(dict(attractor=range(n_att), basin=trials["attractor"].value_counts()
                                   .sort_index().to_numpy(), classified=range(n_att),
                                   rho=np.linspace(0.5, 1.2, n_att), nearest_label=range(n_att),
                                   d_nearest=np.ones(n_att)))  # fmt: skip
    t = np.arange(11)
    targets = ("nearest_memory", "own_memory")
    nearest = pd.concat(
        pd.DataFrame(dict(label=k, t=t, target=g, mean=3 - t / 10, sem=0.1, n=n_trials))
        for k in range(n_labels)
        for g in targets
    )
    kmeans = [dict(t=s, method="kmeans", nmi=0.5, ari=0.4) for s in (0, 1, 2, 5, 10)]
    clustering = pd.DataFrame([*kmeans, dict(t=10, method="attractor", nmi=0.9, ari=0.8)])
    return trials, attractors, nearest, clustering


def test_largest_gives_each_labels_biggest_basins_first():
    trials, *_ = _tables()
    shown = dynamics.largest(trials, [0, 1, 2])
    assert [a for a, _ in shown[1]] == [1, 3]
    assert np.isclose(shown[1][0][1], 0.75) and np.isclose(shown[1][1][1], 0.25)


def test_plot_draws_panels_and_one_image_pair_per_shown_attractor():
    trials, attractors, nearest, clustering = _tables()
    images = {a: (np.zeros((4, 4)), np.ones((4, 4))) for a in range(4)}
    fig = dynamics.plot(nearest, trials, attractors, clustering, images, [0, 1, 2])
    with_images = [ax for ax in fig.axes if ax.images]
    assert len(with_images) == 2 * 2 * 3  # two attractors per label, each above its memory
    titles = " ".join(ax.get_title() for ax in with_images)
    assert "75%" in titles and "25%" in titles
    plt.close(fig)
