"""The fidelity rule: a candidate measurement of the same seeds changes no claim, or says
which quantity or verdict moved."""

import shutil

import pandas as pd
import pytest
from conftest import REPO

from vaeconcepts.scorecard import fidelity

FP32_SEEDS = REPO / "measurements" / "2026-11-29-paper-seeds"


@pytest.fixture
def candidate(tmp_path):
    """A copy of the fp32 seeds' measurement, to edit."""
    folder = tmp_path / "candidate"
    shutil.copytree(FP32_SEEDS, folder)
    return folder


def edit_claims(folder, run, claim, **values):
    path = folder / "study" / "claims.csv"
    table = pd.read_csv(path)
    rows = (table["kind"] == "run") & (table["run"] == run) & (table["claim"] == claim)
    for column, value in values.items():
        table.loc[rows, column] = value
    table.to_csv(path, index=False)


def rows_that_fail(folder):
    table, holds = fidelity.compare(fidelity.seed_values(FP32_SEEDS), fidelity.seed_values(folder))
    return holds, {(r.claim, r.quantity) for r in table.itertuples() if not r.holds}


def test_the_same_measurement_changes_no_claim(candidate):
    assert rows_that_fail(candidate) == (True, set())


def test_a_mean_moved_past_twice_the_sd_or_the_tolerance_fails(candidate):
    # C2's seeds are 27, 25, 24 (sd 1.53): allowed 3.06; 3 units on each seed fail it
    for run, units in (("paper", 30), ("seed1", 28), ("seed2", 28)):
        edit_claims(candidate, run, "C2", value=units)
    assert rows_that_fail(candidate) == (False, {("C2", "value")})
    for run, units in (("paper", 29), ("seed1", 27), ("seed2", 26)):  # + 2: within
        edit_claims(candidate, run, "C2", value=units)
    assert rows_that_fail(candidate) == (True, set())


def test_the_test_elbo_is_read_from_the_last_epoch(candidate):
    path = candidate / "runs" / "paper" / "models" / "nz100" / "history.csv"
    history = pd.read_csv(path)
    history.loc[history.index[-1], "test_elbo"] -= 3.0  # the mean moves 1 nat
    history.to_csv(path, index=False)
    assert rows_that_fail(candidate) == (False, {("test ELBO", "value")})


def test_verdicts_must_agree_in_two_of_three_seeds(candidate):
    edit_claims(candidate, "paper", "C9", verdict="not reproduced")
    assert rows_that_fail(candidate) == (True, set())  # 2 of 3 agree
    edit_claims(candidate, "seed1", "C9", verdict="partly")
    assert rows_that_fail(candidate) == (False, {("C9", "verdict")})
