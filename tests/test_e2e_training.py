"""End-to-end: the data and training rules on a tiny synthetic MNIST, then partial reruns."""

import shutil

import h5py
import numpy as np
import pandas as pd
import pytest
import torch
from conftest import dry_run_jobs, run_snakemake, tiny_config

from vaeconcepts.paper.model import load_model

pytestmark = pytest.mark.e2e
RUN = "results/runs/paper"


@pytest.fixture(scope="module")
def trained(tmp_path_factory, tiny_mnist):
    workdir = tmp_path_factory.mktemp("train")
    config = tiny_config(tiny_mnist)
    run_snakemake(workdir, "models", config=config)
    return workdir, config


def jobs_of(dry_run_output: str) -> list[tuple[str, str]]:
    """(rule, wildcards) of every job a dry run lists."""
    return [
        (j["rule"], ", ".join(f"{k}={v}" for k, v in j["wildcards"].items()))
        for j in dry_run_jobs(dry_run_output)
    ]


def test_files_of_the_design(trained):
    workdir, config = trained
    with h5py.File(workdir / "results/data/mnist.h5") as f:
        assert f["train/images"].dtype == np.uint8 and f["train/images"].shape == (400, 784)
        assert f["test/images"].shape == (100, 784) and f["test/labels"].shape == (100,)
        assert "provenance" in f.attrs
    for nz in config["nz"]:
        model = load_model(workdir / f"{RUN}/models/nz{nz}/model.pt", expected_nz=nz)
        assert model.hidden == config["model"]["hidden"] and model.init == "keras"
        history = pd.read_csv(workdir / f"{RUN}/models/nz{nz}/history.csv")
        assert list(history.columns) == [
            *("epoch", "lr", "train_elbo", "train_objective", "test_elbo", "active_units"),
            *("seconds", "precision"),
        ]
        assert (history.precision == "fp32").all()
        assert list(history.epoch) == [1, 2] and list(history.lr) == [1e-3, 1e-4]
        assert np.isfinite(history.test_elbo).all() and (history.test_elbo < 0).all()
        assert history.active_units.between(0, nz).all()
        log = (workdir / f"results/logs/runs/paper/train/nz{nz}.log").read_text()
        assert "epoch 2/2" in log


def test_same_seed_gives_same_weights(trained, tmp_path):
    workdir, config = trained
    run_snakemake(tmp_path, f"{RUN}/models/nz5/model.pt", config=config)
    a = torch.load(workdir / f"{RUN}/models/nz5/model.pt", weights_only=True)["state_dict"]
    b = torch.load(tmp_path / f"{RUN}/models/nz5/model.pt", weights_only=True)["state_dict"]
    assert all(torch.equal(a[k], b[k]) for k in a)
    # byte-identical files, so the provenance (input checksums) downstream is identical too
    model = f"{RUN}/models/nz5/model.pt"
    assert (workdir / model).read_bytes() == (tmp_path / model).read_bytes()


def test_nothing_to_do_after_a_run(trained):
    workdir, config = trained
    proc = run_snakemake(workdir, "models", "-n", config=config)
    assert "Nothing to be done" in proc.stdout + proc.stderr


def test_changing_one_nz_reruns_only_its_training(trained):
    workdir, config = trained
    config = {**config, "train": {**config["train"], "per_nz": {5: {"batch_size": 50}}}}
    proc = run_snakemake(workdir, "models", "-n", config=config)
    jobs = jobs_of(proc.stdout)
    assert [j for j in jobs if j[0] not in ("models",)] == [("train_vae", "run=paper, nz=5")]


def test_changing_the_data_reruns_everything(trained, tmp_path):
    workdir, config = trained
    config = {**config, "subset": {"train": 300, "test": None}}
    jobs = jobs_of(run_snakemake(workdir, "models", "-n", config=config).stdout)
    assert {j[0] for j in jobs} >= {"dataset", "train_vae"}
    assert sum(j[0] == "train_vae" for j in jobs) == len(config["nz"])


def test_a_failing_jobs_log_has_its_traceback_and_keeps_earlier_attempts(tmp_path, tiny_mnist):
    data = tmp_path / "data"
    shutil.copytree(tiny_mnist, data)
    (data / "train-labels-idx1-ubyte.gz").write_bytes(b"\x1f\x8b not really gzip")
    config = tiny_config(data)
    proc = run_snakemake(tmp_path, "results/data/mnist.h5", "--retries", "1", config=config,
                         check=False)  # fmt: skip
    assert proc.returncode != 0
    log = (tmp_path / "results/logs/data/mnist.log").read_text()
    assert log.count("==== dataset") == 2  # the attempt and its retry, each with a dated header
    assert log.count("Traceback (most recent call last)") == 2
    assert "train-labels-idx1-ubyte.gz" in log.splitlines()[-1]  # the error names the file
    assert not list((tmp_path / "results/data").glob(".mnist.*"))  # nothing half-written


def test_batched_training_writes_what_train_vae_writes(trained, tmp_path):
    """train.batched: one job trains the run's VAEs as one; each model.pt and history.csv
    is train_vae's to float tolerance, and only the files of the design are left."""
    workdir, config = trained
    batched = {**config, "train": {**config["train"], "batched": True}}
    proc = run_snakemake(tmp_path, "models", config=batched)
    assert (proc.stdout + proc.stderr).count("rule train_batch:") == 1
    for nz in config["nz"]:
        model = f"{RUN}/models/nz{nz}/model.pt"
        a = torch.load(workdir / model, weights_only=True)
        b = torch.load(tmp_path / model, weights_only=True)
        assert a["hparams"] == b["hparams"] and a["provenance"] == b["provenance"]
        for key, value in a["state_dict"].items():
            torch.testing.assert_close(b["state_dict"][key], value, rtol=1e-4, atol=1e-5)
        history = f"{RUN}/models/nz{nz}/history.csv"
        plain, mine = pd.read_csv(workdir / history), pd.read_csv(tmp_path / history)
        assert list(mine.columns) == list(plain.columns)
        cols = ["train_elbo", "train_objective", "test_elbo"]
        np.testing.assert_allclose(mine[cols], plain[cols], atol=1e-3)
        same = ["epoch", "lr", "active_units"]
        assert mine[same].equals(plain[same])
    # the batch's files are temporary, its checkpoint removed on success
    assert not list((tmp_path / "results/batches").rglob("*.pt"))
    proc = run_snakemake(tmp_path, "models", "-n", config=batched)
    assert "Nothing to be done" in proc.stdout + proc.stderr
    # a changed schedule of one VAE retrains its batch (of equal total epochs, the same one),
    # as does a new run differing only in its seed: it joins the batch
    schedule = [{"lr": 1e-3, "epochs": 2}]
    changed = {**batched, "train": {**batched["train"], "per_nz": {5: {"schedule": schedule}}}}
    jobs = jobs_of(run_snakemake(tmp_path, "models", "-n", config=changed).stdout)
    assert sorted(j[0] for j in jobs if j[0] != "models") == [
        "train_batch",
        *["unstack_vae"] * len(config["nz"]),
    ]
    seeds = {**batched, "runs": {"paper": {}, "seed1": {"seed": 1}}}
    jobs = jobs_of(run_snakemake(tmp_path, "models", "-n", config=seeds).stdout)
    assert sum(j[0] == "train_batch" for j in jobs) == 1
    assert sorted(j[1] for j in jobs if j[0] == "unstack_vae") == [
        f"run={run}, nz={nz}" for run in ("paper", "seed1") for nz in config["nz"]
    ]
