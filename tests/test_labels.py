"""Label defaults per run: a dataset of one's own beside `paper` gets its own classes."""

from __future__ import annotations

import yaml
from conftest import (
    REPO,
    dry_run_jobs,
    run_snakemake,
    synthetic_mnist,
    tiny_config,
    write_mnist_dir,
)

from vaeconcepts.config.runs import run_config
from vaeconcepts.config.validation import validate_config

LABEL_KEYS = ("concept_curves", "min_distance", "image_strip", "onset", "classifier")


def three_classes(path):
    """A synthetic IDX dataset of the classes 0, 1, 2 only."""
    arrays = synthetic_mnist(300, 60)
    for split in ("train", "test"):
        keep = arrays[f"{split}/labels"] < 3
        for kind in ("images", "labels"):
            arrays[f"{split}/{kind}"] = arrays[f"{split}/{kind}"][keep]
    return write_mnist_dir(path, arrays)


def with_null_labels(config: dict) -> dict:
    for section in LABEL_KEYS:
        config.setdefault(section, {})["labels" if section == "concept_curves" else "label"] = None
    config["pca_labels"] = None
    return config


def test_a_run_of_its_own_dataset_gets_its_own_label_defaults(tmp_path, tiny_mnist):
    config = with_null_labels(yaml.safe_load((REPO / "config.yaml").read_text()))
    config.update(data_dir=str(tiny_mnist), data_dirs={"mine": str(three_classes(tmp_path))})
    config["runs"] = {"paper": {}, "mine": {"dataset": "mine"}}
    config = validate_config(config)
    mine, paper = run_config(config, "mine"), run_config(config, "paper")
    assert mine["concept_curves"]["labels"] == [0, 1, 2]
    assert paper["concept_curves"]["labels"] == list(range(10))
    for section in LABEL_KEYS[1:]:
        assert (mine[section]["label"], paper[section]["label"]) == (2, 6)
    assert (mine["pca_labels"], paper["pca_labels"]) == ([0, 1, 2], [0, 1, 6])


def test_a_label_set_by_hand_is_kept_for_every_run(tmp_path, tiny_mnist):
    config = with_null_labels(yaml.safe_load((REPO / "config.yaml").read_text()))
    config.update(data_dir=str(tiny_mnist), data_dirs={"mine": str(three_classes(tmp_path))})
    config["runs"] = {"paper": {}, "mine": {"dataset": "mine"}}
    config["min_distance"]["label"] = 1
    config = validate_config(config)
    assert run_config(config, "mine")["min_distance"]["label"] == 1
    assert run_config(config, "mine")["onset"]["label"] == 2


def test_the_workflow_plans_each_run_on_its_own_classes(tmp_path, tiny_mnist):
    config = with_null_labels(tiny_config(tiny_mnist))
    config["data_dirs"] = {"mine": str(three_classes(tmp_path / "mine"))}
    config["runs"] = {"paper": {}, "mine": {"dataset": "mine"}}
    out = run_snakemake(tmp_path / "work", "-n", "all", config=config).stdout
    labels = {"paper": set(), "mine": set()}
    for job in dry_run_jobs(out):
        if job["rule"] == "rollout":
            labels[job["wildcards"]["run"]].add(int(job["wildcards"]["label"]))
    assert labels == {"paper": set(range(10)), "mine": {0, 1, 2}}
