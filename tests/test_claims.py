"""The scorecard: each verdict rule at its boundaries, values from tables, `not run`, study."""

import numpy as np
import pandas as pd
import pytest

from vaeconcepts.scorecard import study as card_module
from vaeconcepts.scorecard.claims import (
    BY_ID,
    CLAIMS,
    generalization_conditions,
    stages_in_order,
)
from vaeconcepts.scorecard.study import scorecard, study


def verdict(claim_id, *values):
    return BY_ID[claim_id].verdict(values)


@pytest.mark.parametrize(
    "claim, values, expected",
    [
        ("C1", (10,), "reproduced"), ("C1", (9,), "partly"), ("C1", (7,), "partly"),
        ("C1", (6,), "not reproduced"),
        ("C2", (10,), "reproduced"), ("C2", (18,), "reproduced"), ("C2", (9,), "partly"),
        ("C2", (19,), "partly"), ("C2", (4,), "partly"), ("C2", (24,), "partly"),
        ("C2", (3,), "not reproduced"), ("C2", (25,), "not reproduced"),
        ("C3", (7, 11), "reproduced"), ("C3", (11, 17), "reproduced"),
        ("C3", (6, 14), "partly"), ("C3", (9, 18), "partly"), ("C3", (5, 8), "partly"),
        ("C3", (14, 22), "partly"), ("C3", (4, 14), "not reproduced"),
        ("C3", (9, 23), "not reproduced"), ("C3", (15, 14), "not reproduced"),
        ("C4", (0.10,), "reproduced"), ("C4", (0.1001,), "partly"), ("C4", (0.20,), "partly"),
        ("C4", (0.2001,), "not reproduced"),
        ("C5", (3,), "reproduced"), ("C5", (2,), "partly"), ("C5", (1,), "not reproduced"),
        ("C5", (0,), "not reproduced"),
        ("C6", (5,), "reproduced"), ("C6", (4,), "partly"), ("C6", (3,), "not reproduced"),
        ("C7", (-0.9,), "reproduced"), ("C7", (-1.0,), "reproduced"),
        ("C7", (-0.8999,), "partly"), ("C7", (-0.0001,), "partly"),
        ("C7", (0.0,), "not reproduced"), ("C7", (0.5,), "not reproduced"),
        ("C8", (2,), "reproduced"), ("C8", (1,), "partly"), ("C8", (0,), "not reproduced"),
        ("C9", (99.0,), "reproduced"), ("C9", (98.99,), "partly"), ("C9", (98.5,), "partly"),
        ("C9", (98.49,), "not reproduced"),
        ("C10", (163,), "reproduced"), ("C10", (223,), "reproduced"), ("C10", (162,), "partly"),
        ("C10", (224,), "partly"), ("C10", (133,), "partly"), ("C10", (253,), "partly"),
        ("C10", (132,), "not reproduced"), ("C10", (254,), "not reproduced"),
        ("C11", (1,), "reproduced"), ("C11", (0,), "not reproduced"),
    ],
)  # fmt: skip
def test_verdict_rules_at_their_boundaries(claim, values, expected):
    assert verdict(claim, *values) == expected


def test_a_missing_value_is_not_run():
    assert verdict("C8", None) == "not run" and verdict("C4", float("nan")) == "not run"
    assert verdict("C3", 9, None) == "not run"
    assert [c.id for c in CLAIMS] == [f"C{i}" for i in range(1, 12)]


def test_stages_in_order():
    assert stages_in_order(["I", "I", "II", "II", "III"]) == 3
    assert stages_in_order(["I", "III", "III"]) == 2
    assert stages_in_order(["II", "III"]) == 2
    assert stages_in_order(["I", "I"]) == 1
    assert stages_in_order(["I", "II", "I", "III"]) == 0  # goes back
    assert stages_in_order(["III", "II"]) == 0


def test_generalization_conditions():
    best = pd.DataFrame({"nz": [2, 8, 14, 20, 100], "test_elbo": [-120, -102, -99, -98, -97.5]})
    assert generalization_conditions(best) == (True, True)  # max after 14 is 1.5 above
    best.loc[4, "test_elbo"] = -96.9  # 2.1 above E(14)
    assert generalization_conditions(best) == (False, True)
    best.loc[1, "test_elbo"] = -97.01  # N_z = 8 within 2 nats of E(14)
    assert generalization_conditions(best) == (False, False)
    assert generalization_conditions(best[best.nz != 14]) is None


def curve(nz, label, means, sem=0.05, p=0.2, group=None):
    rows = [dict(nz=nz, p=p, label=label, t=t, mean=m, sem=sem, n=300) for t, m in enumerate(means)]
    return [dict(r, group=group) for r in rows] if group else rows


def synthetic_tables(with_sweep: bool) -> dict:
    dip, flat = [3.0, 2.0, 1.0, 1.5, 2.5], [3.0, 3.1, 3.2, 3.3, 3.4]
    curves = [r for k in range(10) for r in curve(100, k, dip if k < 8 else flat)]
    curves += [r for nz in (2, 5, 10, 20) for r in curve(nz, 6, dip if nz >= 10 else flat)]
    summary = pd.DataFrame(
        dict(nz=[2, 5, 10, 20, 100], n_active=[2, 5, 9, 12, 16], n_active_kl=[2, 5, 9, 13, 18],
             n_active_concept=[2, 5, 9, 14, 20], pca_70=[1, 3, 5, 7, 10], pca_99=[2, 5, 9, 12, 15],
             mean_abs_offdiag_cosine=[0.9, 0.6, 0.4, 0.3, 0.12])
    )  # fmt: skip
    onset = pd.DataFrame(dict(nz=[2, 5, 10, 20, 100], clear=[False, True, True, True, True]))
    stages = pd.DataFrame(dict(p=[0.0, 0.1, 0.2, 0.3], stage=["I", "I", "III", "III"]))
    gen = pd.DataFrame(dict(nz=[2, 8, 14, 100], test_elbo=[-130.0, -105, -100, -99],
                            best=True))  # fmt: skip
    return dict(
        curves=pd.DataFrame(curves), summary=summary, stages=stages, onset=onset,
        generalization=gen if with_sweep else None,
        accuracy=pd.DataFrame(dict(test_accuracy=[0.9916])),
        final_summary=pd.DataFrame(dict(n=[300], n_stay=[115])),
        final_distance=pd.DataFrame(
            curve(100, 6, dip, group="stays") + curve(100, 6, dip, group="all")
        ),
    )  # fmt: skip


CFG = dict(
    main_nz=100, seed=0, binarize="none", model=dict(init="keras", n_samples=2),
    noise=dict(mode="permute"), concept_curves=dict(p=0.2), sweep=dict(epochs=100),
    classifier=dict(epochs=10, n_trials=300), inference=dict(T=80),
    onset=dict(label=6, nz=[2, 5, 10, 20, 100]), min_distance=dict(label=6),
)  # fmt: skip
EPOCHS = {2: 20, 5: 20, 10: 20, 20: 20, 100: 200}


def test_scorecard_from_tables():
    card = scorecard(synthetic_tables(with_sweep=True), CFG, "paper", EPOCHS).set_index("claim")
    assert list(card.index) == [f"C{i}" for i in range(1, 20)]
    assert card.loc["C1", ["value", "verdict"]].tolist() == [8, "partly"]
    assert card.loc["C1", "note"] == "not clear: 8, 9"
    assert card.loc["C2", "value"] == 16 and card.loc["C2", "verdict"] == "reproduced"
    assert "mean KL > 0.01 nats 18" in card.loc["C2", "note"]
    assert card.loc["C3", ["value", "value_b", "verdict"]].tolist() == [10, 15, "reproduced"]
    assert card.loc["C4", "verdict"] == "partly"
    assert card.loc["C5", ["value", "verdict", "ours"]].tolist() == [2, "partly", "I, I, III, III"]
    assert card.loc["C6", ["value", "verdict"]].tolist() == [4, "partly"]  # clear at N_z = 5
    assert (
        card.loc["C7", "value"] == pytest.approx(-1) and card.loc["C7", "verdict"] == "reproduced"
    )
    assert card.loc["C8", ["value", "verdict"]].tolist() == [2, "reproduced"]
    assert card.loc["C8", "note"].startswith("best over ")
    assert " of the paper's 9 conditions" in card.loc["C8", "note"]
    assert (
        card.loc["C9", "value"] == pytest.approx(99.16)
        and card.loc["C9", "verdict"] == "reproduced"
    )
    assert card.loc["C10", ["value", "verdict", "ours"]].tolist() == [
        115,
        "not reproduced",
        "115 / 300",
    ]
    assert card.loc["C11", "verdict"] == "reproduced"
    assert card.loc["C2", ["nz", "epochs", "init", "seed"]].tolist() == ["100", "200", "keras", 0]
    assert card.loc["C6", "epochs"] == "20/200"


def test_the_dynamics_claims_are_scored_beside_the_others_and_not_run_without_their_tables():
    card = scorecard(synthetic_tables(with_sweep=True), CFG, "paper", EPOCHS).set_index("claim")
    assert [c.id for c in card_module.CLAIMS] == list(card.index)
    for claim in ("C12", "C14", "C15", "C16", "C19"):  # their tables are not given
        assert card.loc[claim, "verdict"] == "not run" and pd.isna(card.loc[claim, "value"])
    assert card.loc["C13", "ours"] == "8 of 10 labels"  # from the concept curves
    assert card.loc["C17", ["value", "verdict"]].tolist() == [5, "partly"]  # clear from 5 on
    assert card.loc["C18", "ours"] == "knee 14, active units 16"
    assert card.loc["C16", ["nz", "epochs"]].tolist() == ["2,5,10,20,100", "20/200"]
    assert card.loc["C17", "nz"] == "2,5,10,20,100"
    assert card.loc["C18", ["nz", "epochs"]].tolist() == ["sweep,100", "100/200"]


def test_the_sweep_claim_is_not_run_without_the_sweep():
    card = scorecard(synthetic_tables(with_sweep=False), CFG, "paper", EPOCHS).set_index("claim")
    assert card.loc["C8", "verdict"] == "not run" and np.isnan(card.loc["C8", "value"])
    assert "snakemake fig7" in card.loc["C8", "note"]


def test_claims_that_need_missing_models_are_not_run():
    tables = synthetic_tables(with_sweep=True)
    tables["onset"] = tables["onset"][tables["onset"].nz != 5]
    tables["summary"] = tables["summary"][tables["summary"].nz != 2]
    card = scorecard(tables, CFG, "paper", EPOCHS).set_index("claim")
    assert card.loc["C6", "verdict"] == "not run" and "[5]" in card.loc["C6", "note"]
    assert card.loc["C7", "verdict"] == "not run" and "[2]" in card.loc["C7", "note"]


def test_study_aggregates_runs_that_differ_only_in_seed():
    tables = synthetic_tables(with_sweep=False)
    cards = []
    for run, seed, n_stay in (("paper", 0, 115), ("seed1", 1, 170), ("flip", 0, 30)):
        tables["final_summary"] = pd.DataFrame(dict(n=[300], n_stay=[n_stay]))
        cards.append(scorecard(tables, {**CFG, "seed": seed}, run, EPOCHS))
    table = study(pd.concat(cards), {"paper": ["paper", "seed1"]})
    assert (table["kind"] == "run").sum() == 57 and (table["kind"] == "seeds").sum() == 19
    c10 = table[(table["kind"] == "seeds") & (table["claim"] == "C10")].iloc[0]
    assert c10["run"] == "paper + seed1" and c10["n_runs"] == 2 and c10["seed"] == "0,1"
    assert c10["value"] == pytest.approx(142.5)
    assert c10["value_sd"] == pytest.approx(np.std([115, 170], ddof=1))
    assert c10["verdict"] == "reproduced 1, not reproduced 1"
    assert c10["ours"] == "142.5 ± 39 (mean ± sd)"  # four significant digits, not 143
    three = study(pd.concat(cards), {"all": ["paper", "seed1", "flip"]})
    c9 = three[(three["kind"] == "seeds") & (three["claim"] == "C9")].iloc[0]
    assert 0 < c9["value_sd"] < 1e-12  # three equal 99.16s: the sd of float rounding
    assert c9["ours"] == "99.16 ± 0 (mean ± sd)"  # ... reads 0, not 1.7e-14
    c3 = table[(table["kind"] == "seeds") & (table["claim"] == "C3")].iloc[0]
    assert c3["ours"] == "10 ± 0 and 15 ± 0 (mean ± sd)"  # both of C3's quantities
    c8 = table[(table["kind"] == "seeds") & (table["claim"] == "C8")].iloc[0]
    assert c8["verdict"] == "not run 2" and pd.isna(c8["value"])


def test_claims_on_another_dataset_are_not_applicable():
    cfg = {**CFG, "dataset": "fashion-mnist"}
    card = scorecard(synthetic_tables(with_sweep=True), cfg, "fashion", EPOCHS)
    assert set(card["verdict"]) == {"not applicable"}
    assert card.set_index("claim").loc["C2", "value"] == 16  # measured all the same
    assert set(card["dataset"]) == {"fashion-mnist"}


@pytest.mark.parametrize("n_stay, ours", [(0, "0 trials stay"), (1, "1 trial stays")])
def test_c11_is_not_applicable_when_fewer_than_two_trials_stay(n_stay, ours):
    tables = synthetic_tables(with_sweep=True)
    dist = tables["final_distance"]
    stays = dist["group"] == "stays"
    dist.loc[stays, "n"] = n_stay
    dist.loc[stays, "sem"] = np.nan  # as measures.mean_sem gives one or no trial
    if n_stay == 0:
        dist.loc[stays, "mean"] = np.nan
    tables["final_summary"] = pd.DataFrame(dict(n=[300], n_stay=[n_stay]))
    card = scorecard(tables, CFG, "paper", EPOCHS).set_index("claim")
    assert card.loc["C11", ["verdict", "ours"]].tolist() == ["not applicable", ours]
    assert pd.isna(card.loc["C11", "value"])  # nothing measured, nothing to plot
    table = study(pd.concat([card.reset_index()] * 2), {"two": ["paper", "paper"]})
    assert table[table["claim"] == "C11"]["verdict"].tolist()[-1] == "not applicable 2"


def test_claim_texts_show_the_runs_settings():
    paper = scorecard(synthetic_tables(with_sweep=True), CFG, "paper", EPOCHS)
    paper = paper.set_index("claim")["text"]
    assert paper["C1"].startswith("at p = 0.2, N_z = 100,")
    assert paper["C10"] == "final states of '6' (p = 0.2, T = 80, 300 trials) classified '6'"
    cfg = {**CFG, "concept_curves": dict(p=0.3), "inference": dict(T=20),
           "classifier": dict(epochs=1, n_trials=30)}  # fmt: skip
    tables = synthetic_tables(with_sweep=True)
    tables["curves"] = tables["curves"].assign(p=0.3)
    quick = scorecard(tables, cfg, "quick", EPOCHS).set_index("claim")["text"]
    assert quick["C1"].startswith("at p = 0.3, N_z = 100,")
    assert quick["C10"] == "final states of '6' (p = 0.3, T = 20, 30 trials) classified '6'"
    main20 = scorecard(synthetic_tables(with_sweep=True), {**CFG, "main_nz": 20}, "nz20",
                       EPOCHS).set_index("claim")["text"]  # fmt: skip
    assert main20["C1"].startswith("at p = 0.2, N_z = 20,") and main20["C4"].endswith("N_z = 20")
