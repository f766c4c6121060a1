"""The runs sheet: merged settings, which runs share models and sweeps, seed groups."""

import pytest
import yaml
from conftest import REPO

from vaeconcepts.config.runs import (
    model_owner,
    run_config,
    run_names,
    seed_groups,
    sweep_owner,
)
from vaeconcepts.config.validation import validate_config


@pytest.fixture
def config():
    config = yaml.safe_load((REPO / "config.yaml").read_text())
    config["runs"] = {
        "paper": {},
        "flip": {"noise": {"mode": "flip"}},
        "seed1": {"seed": 1},
        "torch": {"model": {"init": "torch"}},
        "nz5": {"train": {"per_nz": {5: {"batch_size": 50}}}},
        "seed1-flip": {"seed": 1, "noise": {"mode": "flip"}},
    }
    return validate_config(config)


def test_run_config_merges_overrides_over_the_top_level(config):
    cfg = run_config(config, "torch")
    assert cfg["model"] == {**config["model"], "init": "torch"}
    assert "runs" not in cfg and cfg["seed"] == config["seed"]
    assert run_config(config, "nz5")["train"]["schedule"] == config["train"]["schedule"]
    assert config["runs"]["torch"] == {"model": {"init": "torch"}}  # not changed


def test_runs_with_equal_training_settings_share_the_model(config):
    assert model_owner(config, "flip", 100) == "paper"  # noise only: trains nothing
    assert model_owner(config, "seed1", 100) == "seed1"
    assert model_owner(config, "seed1-flip", 100) == "seed1"
    assert model_owner(config, "torch", 100) == "torch"
    assert model_owner(config, "nz5", 100) == "paper"  # only its N_z = 5 differs
    assert model_owner(config, "nz5", 5) == "nz5"


def test_the_sweep_is_shared_unless_seed_model_or_data_differ(config):
    assert sweep_owner(config, "flip") == "paper"
    assert sweep_owner(config, "nz5") == "paper"  # the sweep has its own schedule
    assert sweep_owner(config, "seed1-flip") == "seed1"
    assert sweep_owner(config, "torch") == "torch"


def test_seed_groups_are_runs_that_differ_only_in_seed(config):
    assert seed_groups(config) == {"paper": ["paper", "seed1"], "flip": ["flip", "seed1-flip"]}


def test_the_owner_does_not_depend_on_the_order_of_the_sheet(config):
    config["runs"] = dict(reversed(config["runs"].items()))
    assert model_owner(config, "paper", 100) == "paper"  # no overrides: it holds the models
    assert model_owner(config, "seed1", 100) == "seed1"  # one override, before seed1-flip's two
    config["runs"] = {"b": {"seed": 3}, "a": {"seed": 3}}
    assert model_owner(config, "b", 100) == "a"  # then by name


def test_runs_keep_the_sheet_order_with_paper_first():
    """Never by name: a sheet listing beta2 before paper gives paper, beta2, alpha."""
    config = yaml.safe_load((REPO / "config.yaml").read_text())
    config["runs"] = {"beta2": {"model": {"beta": 2}}, "paper": {}, "alpha": {"seed": 1}}
    assert run_names(validate_config(config)) == ["paper", "beta2", "alpha"]
