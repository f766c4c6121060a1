"""No silent wrong tables: a diverged training, a non-finite setting and degenerate data stop
the workflow where they start, naming the cause, before any table is written; a diverging
run of the Fig. 7 sweep is recorded and counted without failing the sweep."""

import numpy as np
import pandas as pd
import pytest
from conftest import REPO, run_snakemake, synthetic_mnist, tiny_config, write_mnist_dir

pytestmark = pytest.mark.e2e

DIVERGING = [{"lr": 10.0, "epochs": 2}, {"lr": 1.0e-4, "epochs": 1}]


# What docs/reliability.md promises for each case, as the tests below see it.
MESSAGES = [
    ", epoch 1 (lr 10.0, beta 1): loss is nan",
    "nan is not a finite number",
    "every pixel of every train image is 0: nothing to learn or measure",
    "class 9 is in the test labels but in no training image",
    "config key 'concept_curves.labels': label 8, but no image of its training images in",
    "`n_diverged` per N_z",
]


def test_the_reliability_page_promises_what_these_tests_see():
    page = (REPO / "docs" / "reliability.md").read_text()
    for message in MESSAGES:
        assert message in page, message


def tables(workdir) -> list[str]:
    return sorted(p.name for p in (workdir / "results" / "runs").glob("*/stats/**/*.csv"))


def test_a_diverging_training_fails_its_job_naming_run_nz_epoch_and_lr(tmp_path, tiny_mnist):
    config = tiny_config(tiny_mnist, runs={"lr10": {"train": {"schedule": DIVERGING}}})
    proc = run_snakemake(tmp_path, "models", config=config, check=False)
    assert proc.returncode != 0
    logs = "".join(p.read_text() for p in (tmp_path / "results/logs").rglob("nz*.log"))
    assert "training diverged: run lr10, N_z " in logs
    assert MESSAGES[0] in logs
    assert not list((tmp_path / "results/runs/lr10").rglob("*.pt"))  # no model, no checkpoint
    assert tables(tmp_path) == []


def test_a_nan_beta_is_a_config_error_before_any_job(tmp_path, tiny_mnist):
    config = tiny_config(tiny_mnist, runs={"b": {"model": {"beta": float("nan")}}})
    proc = run_snakemake(tmp_path, "all", config=config, check=False)
    assert proc.returncode != 0
    assert f"config key 'runs.b.model.beta': {MESSAGES[1]}" in proc.stderr
    assert not (tmp_path / "results").exists()


def dataset_run(tmp_path, arrays, **overrides):
    data = write_mnist_dir(tmp_path / "data", arrays)
    config = tiny_config(tmp_path / "data", data_dirs={"mine": str(data)}, dataset="mine")
    config.update(overrides)
    return run_snakemake(tmp_path / "work", "all", config=config, check=False)


def test_an_all_zero_dataset_is_refused_when_its_file_is_made(tmp_path):
    arrays = synthetic_mnist(100, 20)
    for split in ("train", "test"):
        arrays[f"{split}/images"][:] = 0
    proc = dataset_run(tmp_path, arrays)
    assert proc.returncode != 0
    log = (tmp_path / "work/results/logs/data/mine.log").read_text()
    assert f"train-images-idx3-ubyte.gz: {MESSAGES[2]}" in log
    assert not (tmp_path / "work/results/data/mine.h5").exists()
    assert tables(tmp_path / "work") == []


def test_a_class_only_in_the_test_labels_is_refused_naming_the_file(tmp_path):
    arrays = synthetic_mnist(100, 20)
    train = arrays["train/labels"]
    arrays["train/labels"] = np.where(train == 9, 0, train)  # no training image of '9'
    labels = [0, 1, 2, 3, 4, 5, 6, 7, 8]
    proc = dataset_run(tmp_path, arrays,
                       concept_curves={"p": 0.2, "labels": labels, "n_trials": 20})  # fmt: skip
    assert proc.returncode != 0
    log = (tmp_path / "work/results/logs/data/mine.log").read_text()
    assert f"t10k-labels-idx1-ubyte.gz: {MESSAGES[3]}" in log
    assert "TypeError" not in log
    assert tables(tmp_path / "work") == []


def test_a_label_the_training_images_lack_is_a_config_error_naming_the_key(tmp_path):
    arrays = synthetic_mnist(100, 20)
    arrays["train/labels"][arrays["train/labels"] == 8] = 0
    proc = dataset_run(tmp_path, arrays)  # concept_curves.labels asks for 0 ... 9
    assert proc.returncode != 0
    assert MESSAGES[4] in proc.stderr
    assert not (tmp_path / "work/results").exists()


def test_a_diverging_sweep_run_is_recorded_and_counted_without_failing_the_sweep(
    tmp_path, tiny_mnist
):
    config = tiny_config(tiny_mnist)
    config["sweep"] = {"nz": [2, 5], "lr": [10.0, 0.001], "batch_size": [100], "epochs": 2,
                       "batched": False}  # fmt: skip
    run_snakemake(tmp_path, "fig7", config=config)
    table = pd.read_csv(tmp_path / "results/runs/paper/stats/generalization.csv")
    diverged = table[table["lr"] == 10.0]
    assert diverged["diverged"].all() and diverged["test_elbo"].isna().all()
    assert not diverged["best"].any()
    assert table.groupby("nz")["n_diverged"].first().tolist() == [1, 1]
    assert np.isfinite(table[table["lr"] == 0.001]["test_elbo"]).all()
