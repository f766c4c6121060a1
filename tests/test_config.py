"""The config schema: the shipped configs pass; each kind of bad value fails naming the key."""

import copy

import pytest
import yaml
from conftest import REPO, run_snakemake

from vaeconcepts.config import ConfigError, load_config, train_settings, validate_config


@pytest.fixture
def config():
    return yaml.safe_load((REPO / "config.yaml").read_text())


def test_shipped_configs_are_valid():
    load_config(REPO / "config.yaml")
    load_config(REPO / "config.yaml", REPO / "presets" / "quick.yaml")
    load_config(REPO / "config.yaml", REPO / "presets" / "cpu.yaml")


@pytest.mark.parametrize(
    "edit, key",
    [
        (lambda c: c.update(unknown_key=1), "unknown_key"),
        (lambda c: c["train"].update(epochz=3), "train.epochz"),
        (lambda c: c.update(nz=[2, 0]), "nz[1]"),
        (lambda c: c["train"]["schedule"][1].update(lr=-1e-4), "train.schedule[1].lr"),
        (lambda c: c["sweep"].update(lr=[0.01, 0]), "sweep.lr[1]"),
        (lambda c: c.update(data_dir="/no/such/dir"), "data_dir"),
        (lambda c: c["noise"].update(mode="salt"), "noise.mode"),
        (lambda c: c["min_distance"].update(p=[0.2, 1.5]), "min_distance.p[1]"),
        (lambda c: c["concept_curves"].update(n_trials=10_000), "concept_curves.n_trials"),
        (
            lambda c: c["train"]["per_nz"].update({100: {"batch_size": 0}}),
            "train.per_nz.100.batch_size",
        ),
        (lambda c: c.pop("seed"), "seed"),
    ],
)
def test_bad_values_name_the_key(config, edit, key):
    bad = copy.deepcopy(config)
    edit(bad)
    with pytest.raises(ConfigError) as err:
        validate_config(bad)
    assert f"config key '{key}'" in str(err.value)


def test_per_nz_override(config):
    config["train"]["per_nz"] = {100: {"batch_size": 50}}
    config = validate_config(config)
    assert train_settings(config, 100)["batch_size"] == 50
    assert train_settings(config, 20)["batch_size"] == config["train"]["batch_size"]


def test_workflow_stops_before_any_job_on_bad_config(tmp_path, tiny_mnist):
    from conftest import tiny_config

    config = tiny_config(tiny_mnist)
    config["nz"] = [0]
    proc = run_snakemake(tmp_path, "-n", config=config, check=False)
    assert proc.returncode != 0
    assert "config key 'nz[0]'" in proc.stdout + proc.stderr
    assert not (tmp_path / "results").exists()
