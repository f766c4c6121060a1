"""C12-C19: each verdict rule at its boundaries, and each value from synthetic tables whose
answer is known by construction (a curve that dips, then nears a memory; fixed fractions)."""

import numpy as np
import pandas as pd
import pytest

from vaeconcepts.scorecard.dynamics_claims import BY_ID, CLAIMS, evaluate, knee, paired_fall

CFG = dict(main_nz=100, concept_curves={"p": 0.2}, min_distance={"label": 6})
FIG6 = (2, 5, 10, 20, 100)
DIP = [10, 6, 4, 5, 6, 7]  # clear dip at t = 2 (SEM 0.1)


@pytest.mark.parametrize(
    "claim, value, expected",
    [
        ("C12", 10, "reproduced"), ("C12", 9, "partly"), ("C12", 7, "partly"),
        ("C12", 6, "not reproduced"),
        ("C13", 10, "reproduced"), ("C13", 7, "partly"), ("C13", 6, "not reproduced"),
        ("C14", 1.0, "reproduced"), ("C14", 0.9, "reproduced"), ("C14", 0.899, "partly"),
        ("C14", 0.5, "partly"), ("C14", 0.499, "not reproduced"),
        ("C15", 1.0, "reproduced"), ("C15", 0.99, "partly"), ("C15", 0.8, "partly"),
        ("C15", 0.79, "not reproduced"),
        ("C16", 5, "reproduced"), ("C16", 4, "partly"), ("C16", 3, "not reproduced"),
        ("C17", 6, "reproduced"), ("C17", 5, "partly"), ("C17", 10, "partly"),
        ("C17", 4, "not reproduced"), ("C17", 20, "not reproduced"),
        ("C18", 0, "reproduced"), ("C18", 3, "reproduced"), ("C18", 4, "partly"),
        ("C18", 6, "partly"), ("C18", 7, "not reproduced"),
        ("C19", -1.0, "reproduced"), ("C19", -0.9, "reproduced"), ("C19", -0.89, "partly"),
        ("C19", -0.01, "partly"), ("C19", 0.0, "not reproduced"),
        ("C19", None, "not run"), ("C14", float("nan"), "not run"),
    ],
)  # fmt: skip
def test_verdict_rules_at_their_boundaries(claim, value, expected):
    assert BY_ID[claim].verdict([value]) == expected
    assert [c.id for c in CLAIMS] == [f"C{i}" for i in range(12, 20)]


def curve(label, means, sem=0.1, nz=100, p=0.2):
    return pd.DataFrame(dict(nz=nz, p=p, label=label, t=range(len(means)), mean=means, sem=sem,
                             n=300))  # fmt: skip


def nearest(label, d_tmin, d_T, t_min=2, T=5):
    """Per-trial distances to the nearest memory: d_tmin at t_min, d_T at T, 9 elsewhere."""
    rows = []
    for trial, (a, b) in enumerate(zip(d_tmin, d_T, strict=True)):
        for t in range(T + 1):
            d = a if t == t_min else b if t == T else 9.0
            rows.append(dict(nz=100, p=0.2, label=label, trial=trial, t=t, d_nearest=d))
    return pd.DataFrame(rows)


def test_paired_fall_needs_more_than_2_sem():
    # diffs (-1 - x, -1 + x): mean -1, SEM x
    assert paired_fall([0, 0], [-1.45, -0.55]) and not paired_fall([0, 0], [-1.55, -0.45])
    assert not paired_fall([0], [-5])  # one trial: no SEM


def test_c12_a_dip_then_a_memory():
    falls, rises = nearest(0, [3, 3.1, 2.9], [1, 1.2, 0.9]), nearest(0, [1, 1.2], [3, 3.1])
    curves = pd.concat([curve(k, DIP) for k in range(10)])
    near = pd.concat([falls.assign(label=k) for k in range(8)]
                     + [rises.assign(label=k) for k in (8, 9)])  # fmt: skip
    out = evaluate(dict(curves=curves, nearest_trials=near), CFG)["C12"]
    assert out[0] == [8] and out[1] == "partly" and out[3] == "no: 8, 9"
    near = pd.concat([falls.assign(label=k) for k in range(10)])
    assert evaluate(dict(curves=curves, nearest_trials=near), CFG)["C12"][:2] == (
        [10],
        "reproduced",
    )
    flat = pd.concat([curve(k, DIP if k else [10, 9, 8, 7, 6, 5]) for k in range(10)])
    assert evaluate(dict(curves=flat, nearest_trials=near), CFG)["C12"][0] == [9]  # no dip: no
    assert evaluate(dict(curves=curves, nearest_trials=None), CFG)["C12"][1] == "not run"
    assert (
        evaluate(dict(curves=curves, nearest_trials=near[near["label"] < 9]), CFG)["C12"][1]
        == "not run"
    )


def test_c13_fast_approach_then_slow_leave():
    fast, slow = [10, 2, 2.5, 3, 3.5, 4], [10, 9, 8, 7, 6, 1, 9]  # speeds 8 vs 0.5; 1.8 vs 8
    curves = pd.concat([curve(k, fast) for k in range(7)] + [curve(7, slow), curve(8, DIP),
                        curve(9, [10, 9, 8, 7])])  # fmt: skip
    values, verdict, ours, note = evaluate(dict(curves=curves), CFG)["C13"]
    assert values == [8] and verdict == "partly" and note == "no: 7, 9"  # DIP: 3 > 0.67
    assert evaluate(dict(curves=None), CFG)["C13"][1] == "not run"


def trials(at_memory, nz=100, label=6, p=0.2):
    n = len(at_memory)
    return pd.DataFrame(dict(nz=nz, p=p, label=label, trial=range(n), at_memory=at_memory,
                             nearer_concept=~np.asarray(at_memory)))  # fmt: skip


def test_c14_the_fraction_at_a_memory():
    def c14(table):
        return evaluate(dict(attractor_trials=table), CFG)["C14"][:2]

    others = pd.concat([trials([False] * 5, label=5), trials([False] * 5, p=0.3),
                        trials([False] * 5, nz=10)])  # fmt: skip
    nine = pd.concat([trials([True] * 9 + [False]), others])
    assert c14(nine) == ([0.9], "reproduced")
    assert c14(trials([True] * 8 + [False] * 2)) == ([0.8], "partly")
    assert c14(trials([True] * 4 + [False] * 6))[1] == "not reproduced"
    assert c14(None)[1] == "not run" and c14(others)[1] == "not run"


def test_c15_recall_against_the_stages():
    stages = pd.DataFrame(dict(p=[0.0, 0.1, 0.2, 0.3, 0.4], stage=["I", "I", "II", "II", "III"]))
    recall = pd.DataFrame(dict(p=stages["p"], recalled=[0.9, 0.8, 0.6, 0.5, 0.2]))

    def c15(s, r):
        return evaluate(dict(stages=s, recall=r), CFG)["C15"][:2]

    assert c15(stages, recall) == ([1.0], "reproduced")
    assert c15(stages, recall.assign(recalled=[0.9, 0.8, 0.6, 0.5, 0.5])) == ([0.8], "partly")
    assert c15(stages, recall.assign(recalled=[0.9, 0.8, 0.4, 0.5, 0.5]))[1] == "not reproduced"
    assert c15(stages.assign(stage=["I"] * 3 + ["II"] * 2), recall)[1] == "not applicable"
    assert c15(stages, None)[1] == "not run" and c15(stages, recall[:4])[1] == "not run"


def test_c16_stage_ii_only_for_large_nz():
    def stages(with_ii):
        return pd.DataFrame([dict(nz=nz, p=p, stage="II" if nz in with_ii and p == 0.2 else "I")
                             for nz in FIG6 for p in (0.0, 0.2)])  # fmt: skip

    def c16(table):
        return evaluate(dict(stages_nz=table), CFG)["C16"][:2]

    assert c16(stages((10, 20, 100))) == ([5], "reproduced")
    assert c16(stages((5, 10, 20, 100))) == ([4], "partly")
    assert c16(stages(()))[0] == [2] and c16(stages(FIG6))[0] == [3]
    assert c16(stages(FIG6).query("nz != 5"))[1] == "not run"


def test_c17_the_onset_of_a_clear_approach():
    nzs = [2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 100]

    def c17(clear_from, extra=()):
        onset = pd.DataFrame(dict(nz=nzs, clear=[nz >= clear_from or nz in extra for nz in nzs]))
        return evaluate(dict(onset=onset.sample(frac=1, random_state=0)), CFG)["C17"][:2]

    assert c17(6) == ([6], "reproduced") and c17(5) == ([5], "partly")
    assert c17(7, extra=(3,)) == ([7], "partly") and c17(20)[1] == "not reproduced"
    assert c17(1000) == ([None], "not reproduced")
    assert evaluate(dict(onset=None), CFG)["C17"][1] == "not run"
    # a list above the paper's onset (presets/main-nz.yaml: N_z = 100 alone) cannot show it
    for listed in ([100], [10, 20, 100]):
        onset = pd.DataFrame(dict(nz=listed, clear=True))
        assert evaluate(dict(onset=onset), CFG)["C17"][1] == "not run"


def test_c18_the_knee_against_the_active_units():
    nz = [2, 4, 8, 14, 20, 100]
    elbo = [-130, -110, -100, -96.9, -95, -95.5]  # best -95: within 2 nats from N_z = 14
    gen = pd.DataFrame(dict(nz=nz * 2, test_elbo=elbo + [-200] * 6, best=[True] * 6 + [False] * 6))
    assert knee(gen[gen["best"]]) == 14

    def c18(active, summary_nz=100):
        summary = pd.DataFrame(dict(nz=[summary_nz], n_active=[active]))
        return evaluate(dict(generalization=gen, summary=summary), CFG)["C18"][:2]

    assert c18(14) == ([0], "reproduced") and c18(11) == ([3], "reproduced")
    assert c18(18) == ([4], "partly") and c18(21) == ([7], "not reproduced")
    assert c18(14, summary_nz=50)[1] == "not run"
    assert evaluate(dict(generalization=None), CFG)["C18"][1] == "not run"


def test_c19_concepts_only_at_small_nz():
    def c19(fractions, nzs=FIG6):
        table = pd.concat(
            [trials([True] * round(10 * (1 - f)) + [False] * round(10 * f), nz=nz)
             for nz, f in zip(nzs, fractions, strict=True)])  # fmt: skip
        return evaluate(dict(attractor_trials=table), CFG)["C19"][:2]

    values, verdict = c19([1.0, 0.8, 0.5, 0.2, 0.0])
    assert values == [pytest.approx(-1.0)] and verdict == "reproduced"
    values, verdict = c19([0.5, 1.0, 0.8, 0.2, 0.0])  # rank differences 2, 3, 1, 2, 4
    assert values == [pytest.approx(-0.7)] and verdict == "partly"
    assert c19([0.0, 0.2, 0.5, 0.8, 1.0])[1] == "not reproduced"
    assert c19([0.5] * 5) == ([None], "not reproduced")
    assert c19([1.0, 0.8, 0.5, 0.2], nzs=FIG6[:4])[1] == "not run"
