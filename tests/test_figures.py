"""Each figure function on small synthetic inputs: a Figure with the panels of the paper."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from vaeconcepts.figures import fig1, fig2, fig3, fig4, figA1, style

rng = np.random.default_rng(0)


def test_fig1_has_one_frame_per_step_and_the_concept():
    fig = fig1.plot(rng.random((81, 784)), rng.random(784), label=6, p=0.2)
    assert len([ax for ax in fig.axes if ax.images]) == 82
    plt.close(fig)


def test_fig2_has_ten_panels():
    t = np.arange(11)
    curves = pd.concat(
        pd.DataFrame({"label": k, "t": t, "mean": 3 - np.exp(-t), "sem": 0.1}) for k in range(10)
    )
    fig = fig2.plot(curves, list(range(10)))
    assert len([ax for ax in fig.axes if ax.lines]) == 10
    assert fig.axes[6].get_title() == r"'6': $\|z(t)-\bar\xi_{6}\|_2$"
    assert [bool(ax.get_ylabel()) for ax in fig.axes] == [True] + [False] * 4 + [True] + [False] * 4
    plt.close(fig)


def test_fig3_fig4_figA1(tmp_path):
    ratios = np.sort(rng.random(100))[::-1]
    fig = fig3.plot(rng.normal(size=(10, 100)), ratios / ratios.sum(), np.eye(10), [0.7, 0.99])
    assert len(fig.axes) == 5  # three panels and two colour bars
    style.save(fig, tmp_path / "fig3.png", tmp_path / "fig3.pdf", prov='{"params": {}}')
    assert (tmp_path / "fig3.png").stat().st_size > 0 and (tmp_path / "fig3.pdf").stat().st_size > 0

    p = [0.0, 0.1, 0.2]
    md = pd.DataFrame(
        [
            {"p": q, "target": t, "mean": m + q, "sem": 0.1}
            for q in p
            for t, m in (("memory", 0), ("concept", 1), ("abstract_concept", 2))
        ]
    )
    stages = pd.DataFrame({"p": p, "stage": ["I", "I", "II"]})
    fig = fig4.plot(md, stages, label=6)
    assert len(fig.axes[0].containers) == 3  # three error-bar series
    plt.close(fig)

    labels = rng.integers(0, 10, 500)
    fig = figA1.plot(rng.normal(size=(500, 5)) + labels[:, None], labels, [0, 1, 6])
    assert len(fig.axes) == 2
    plt.close(fig)


def test_claims_figure_has_a_panel_per_quantity_with_the_paper_value():
    from test_claims import CFG, EPOCHS, synthetic_tables

    from vaeconcepts.claims import scorecard, study
    from vaeconcepts.figures import claims

    cards = [scorecard(synthetic_tables(with_sweep=False), {**CFG, "seed": s}, f"s{s}", EPOCHS)
             for s in (0, 1)]  # fmt: skip
    fig = claims.plot(study(pd.concat(cards), {"s0": ["s0", "s1"]}))
    panels = [ax for ax in fig.axes if ax.get_title()]
    assert len(panels) == 12  # C1..C11, C3 with two quantities
    assert [t.get_text() for t in panels[1].get_xticklabels()] == ["s0", "s1", "s0 + s1"]
    assert any(line.get_linestyle() == "--" for line in panels[1].lines)  # the paper's value
    plt.close(fig)
