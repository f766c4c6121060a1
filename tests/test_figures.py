"""Each figure function on small synthetic inputs: a Figure with the panels of the paper,
and no title or text drawn over another."""

import itertools

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from vaeconcepts.figures import fig1, fig2, fig3, fig4, fig6, fig7, figA1, figB2, style

rng = np.random.default_rng(0)


def overlapping_texts(fig: plt.Figure) -> list[tuple[str, str]]:
    """Pairs of non-empty titles, suptitles and texts of `fig` whose drawn boxes overlap."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = [*fig.texts] + ([fig._suptitle] if fig._suptitle else [])
    for ax in fig.axes:
        texts += [ax.title, ax._left_title, ax._right_title, *ax.texts]
    texts = [t for t in {id(t): t for t in texts}.values() if t.get_visible() and t.get_text()]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    return [(a, b) for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2)
            if box_a.overlaps(box_b)]  # fmt: skip


def check_and_close(fig: plt.Figure) -> None:
    assert overlapping_texts(fig) == []
    plt.close(fig)


def test_fig1_has_one_frame_per_step_and_the_concept():
    fig = fig1.plot(rng.random((81, 784)), rng.random(784), label=6, p=0.2)
    assert len([ax for ax in fig.axes if ax.images]) == 82
    check_and_close(fig)


def test_fig2_has_ten_panels():
    t = np.arange(11)
    curves = pd.concat(
        pd.DataFrame({"label": k, "t": t, "mean": 3 - np.exp(-t), "sem": 0.1}) for k in range(10)
    )
    curves = curves.assign(nz=20, p=0.2, n=30)
    fig = fig2.plot(curves, list(range(10)))
    assert len([ax for ax in fig.axes if ax.lines]) == 10
    assert fig.axes[6].get_title() == "'6'"
    assert [bool(ax.get_ylabel()) for ax in fig.axes] == [True] + [False] * 4 + [True] + [False] * 4
    assert [t.get_text() for t in fig.texts] == [
        "N_z = 20, p = 0.2: lines, mean over trials; shades, ± 1 SEM over 30 trials"
    ]
    check_and_close(fig)


FASHION = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]  # fmt: skip


def test_fig2_titles_of_fashion_mnist_fit_their_panels():
    t = np.arange(11)
    curves = pd.concat(
        pd.DataFrame({"label": k, "t": t, "mean": 3 - np.exp(-t), "sem": 0.1, "nz": 100,
                      "p": 0.2, "n": 300}) for k in range(10)
    )  # fmt: skip
    fig = fig2.plot(curves, list(range(10)), names=FASHION)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        title, panel = ax.title.get_window_extent(renderer), ax.get_window_extent(renderer)
        assert panel.x0 <= title.x0 and title.x1 <= panel.x1, ax.get_title()
    assert fig.axes[9].get_title() == "'Ankle boot'"
    check_and_close(fig)


def test_a_figure_not_at_the_papers_scale_is_stamped(tmp_path):
    fig, ax = plt.subplots(figsize=(3.5, 2))
    ax.set_title("a panel")
    stamp = "smoke test: 5 epochs, 3,000 training images, N_z = 20: not a reproduction"
    style.stamp(fig, stamp)
    (text,) = fig.texts
    assert text.get_text().replace("\n", " ") == stamp  # wrapped to the figure's width
    fig.canvas.draw()
    box, title = text.get_window_extent(), ax.title.get_window_extent()
    assert box.y0 >= title.y1  # above everything else
    check_and_close(fig)


def test_fig3_fig4_figA1(tmp_path):
    ratios = np.sort(rng.random(100))[::-1]
    fig = fig3.plot(rng.normal(size=(10, 100)), ratios / ratios.sum(), np.eye(10), [0.7, 0.99])
    assert len(fig.axes) == 5  # three panels and two colour bars
    assert overlapping_texts(fig) == []
    style.save(fig, tmp_path / "fig3.png", tmp_path / "fig3.pdf", prov='{"params": {}}')
    assert (tmp_path / "fig3.png").stat().st_size > 0 and (tmp_path / "fig3.pdf").stat().st_size > 0

    p = [0.0, 0.1, 0.2]
    md = pd.DataFrame(
        [
            {"p": q, "target": t, "mean": m + q, "sem": 0.1, "nz": 100, "n": 500}
            for q in p
            for t, m in (("memory", 0), ("concept", 1), ("abstract_concept", 2))
        ]
    )
    stages = pd.DataFrame({"p": p, "stage": ["I", "I", "II"]})
    fig = fig4.plot(md, stages, label=6)
    assert len(fig.axes[0].containers) == 3  # three error-bar series
    legend = fig.axes[0].get_legend().get_title().get_text()
    assert legend == "N_z = 100; mean ± 1 SEM over 500 trials per p"
    shades = [patch.get_facecolor()[0] for patch in fig.axes[0].patches]
    assert len(shades) == 2 and max(shades) <= 0.95  # stage shading visible on white
    check_and_close(fig)
    md["changed_pixels"] = md["p"] * 0.35  # permute changes fewer pixels than it selects
    fig = fig4.plot(md, stages, label=6)
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert ticks == ["0\n0%", "0.2\n7%"] and "pixels changed" in fig.axes[0].get_xlabel()
    check_and_close(fig)

    labels = rng.integers(0, 10, 500)
    fig = figA1.plot(rng.normal(size=(500, 5)) + labels[:, None], labels, [0, 1, 6])
    assert len(fig.axes) == 2
    check_and_close(fig)


@pytest.mark.parametrize("nzs, name", [((2, 5, 10, 20, 100), "6"), ((2, 5, 20), "Shirt")])
def test_fig6_has_one_readable_title_per_panel(nzs, name):
    t = np.arange(21)
    curves = pd.concat(
        pd.DataFrame({"nz": nz, "t": t, "mean": 3 - np.exp(-t), "sem": 0.1}) for nz in nzs
    )
    fig = fig6.plot(curves, {nz: rng.uniform(-1, 1, (10, 10)) for nz in nzs}, 6, name)
    panels = [ax for ax in fig.axes if ax.lines or ax.images]
    titles = [[t.get_text() for t in (ax.title, ax._left_title, ax._right_title) if t.get_text()]
              for ax in panels]  # fmt: skip
    letters = "abcdefghij"
    assert titles == [[f"({letters[i]}) $N_z = {nz}$"] for i, nz in enumerate(nzs + nzs)]
    assert f"'{name}'" in fig.get_suptitle()
    check_and_close(fig)


def test_fig7_figB2():
    elbo = [-130, -105, -100, -99]
    best = pd.DataFrame({"nz": [2, 8, 14, 100], "test_elbo": elbo, "epochs": 100})
    fig = fig7.plot(best)
    assert len(fig.axes[0].lines[0].get_xdata()) == 4
    check_and_close(fig)

    t = np.arange(11)
    curves = pd.concat(
        pd.DataFrame({"group": g, "t": t, "mean": 3 - np.exp(-t), "sem": 0.1, "n": 5})
        for g in ("all", "stays")
    )
    fig = figB2.plot(rng.dirichlet(np.ones(10), 300), curves, 6, T=80)
    assert len(fig.axes[1].lines) == 2  # all trials and those that stay '6'
    check_and_close(fig)


def test_claims_figure_has_a_panel_per_quantity_with_the_paper_value():
    from test_claims import CFG, EPOCHS, synthetic_tables

    from vaeconcepts.figures import claims
    from vaeconcepts.scorecard.study import scorecard, study

    cards = []
    for seed, n_stay in ((0, 115), (1, 1)):  # seed 1: one trial stays '6', C11 not applicable
        tables = synthetic_tables(with_sweep=False)  # C8 not run
        tables["final_summary"] = pd.DataFrame(dict(n=[300], n_stay=[n_stay]))
        tables["final_distance"].loc[tables["final_distance"]["group"] == "stays", "n"] = n_stay
        cards.append(scorecard(tables, {**CFG, "seed": seed}, f"s{seed}", EPOCHS))
    fig = claims.plot(study(pd.concat(cards), {"s0": ["s0", "s1"]}))
    panels = [ax for ax in fig.axes if ax.get_title()]
    assert len(panels) == 20  # C1..C19, C3 with two quantities
    assert [t.get_text() for t in panels[1].get_xticklabels()] == ["s0", "s1", "s0 × 2 seeds"]
    assert any(line.get_linestyle() == "--" for line in panels[1].lines)  # the paper's value

    def markers(ax):  # the points drawn: every line with a marker
        return [line.get_ydata() for line in ax.lines if line.get_marker() not in ("None", "")]

    c8, c11 = panels[8], panels[11]
    assert markers(c8) == []  # not run: nothing at the paper's value, or at any value
    assert [t.get_text() for t in c8.texts] == ["not run"] * 3
    assert len(markers(c11)) == 2  # s0 and the mean over seeds, which only s0 has
    assert [(t.get_position()[0], t.get_text()) for t in c11.texts] == [(1, "not applicable")]
    check_and_close(fig)


def test_claims_figure_legend_c10_label_and_run_order():
    """The legend shows only the markers drawn; C10's label says its value is scaled from
    fewer trials; the runs keep the order of the study (the sheet's, paper first)."""
    from test_claims import CFG, EPOCHS, synthetic_tables

    from vaeconcepts.figures import claims
    from vaeconcepts.scorecard.study import scorecard, study

    tables = synthetic_tables(with_sweep=False)
    cards = [scorecard(tables, CFG, run, EPOCHS) for run in ("paper", "beta2", "alpha")]
    table = study(pd.concat(cards), {})
    assert list(dict.fromkeys(table["run"])) == ["paper", "beta2", "alpha"]
    fig = claims.plot(table, c10_trials=[30])
    panels = [ax for ax in fig.axes if ax.get_title()]
    assert [t.get_text() for t in panels[0].get_xticklabels()] == ["paper", "beta2", "alpha"]
    c10 = next(ax for ax in panels if ax.get_title().startswith("C10"))
    assert c10.get_title().endswith("stay '6' (per 300; scaled from 30 trials)")
    (legend,) = fig.legends
    shown = [t.get_text() for t in legend.get_texts()]
    verdict_of = {colour: verdict for verdict, colour in claims.COLOURS.items()}
    drawn = {verdict_of[line.get_color()] for ax in panels for line in ax.lines
             if line.get_marker() == "o"}  # fmt: skip
    assert shown == [v for v in claims.COLOURS if v in drawn] + ["paper"]
    assert "not applicable" not in shown and "mean ± sd over seeds" not in shown
    plt.close(fig)
    fig = claims.plot(table)  # the paper's 300 trials: the label as the paper's
    c10 = next(ax for ax in fig.axes if ax.get_title().startswith("C10"))
    assert c10.get_title().endswith("stay '6' (per 300)")
    plt.close(fig)


def test_every_figure_script_stamps_the_runs_scale():
    """A run not at the paper's scale says so on every figure (issue 38): each plot script
    hands the rule's `scale` to style.save."""
    from pathlib import Path

    scripts = Path(__file__).parents[1] / "workflow" / "scripts"
    saving = [p for p in scripts.glob("*.py") if "style.save(" in p.read_text()]
    assert len(saving) >= 9
    assert [p.name for p in saving if "params.scale)" not in p.read_text()] == []
