"""A forgotten data_dir costs no finished result: the recorded directory is read instead, and
a download that cannot work is refused before any job runs (src/vaeconcepts/config/datadirs.py)."""

from __future__ import annotations

import dataclasses
import shutil

import pytest
import yaml
from conftest import run_snakemake, tiny_config

from vaeconcepts.config import datadirs
from vaeconcepts.data.registry import REGISTRY, data_dir_of


def test_recall_fills_a_missing_data_dir_and_says_so(tmp_path, tiny_mnist):
    record = tmp_path / "data_dirs.yaml"
    datadirs.remember({"dataset": "mnist", "data_dir": str(tiny_mnist), "data_dirs": {},
                       "runs": {"paper": {}}}, record)  # fmt: skip
    config = {"dataset": "mnist", "data_dir": None, "runs": {"paper": None}}
    said = datadirs.recall(config, record)
    assert config["data_dir"] == str(tiny_mnist.resolve())
    assert len(said) == 1 and "--config data_dir=DIR" in said[0] and str(record) in said[0]
    given = {"dataset": "mnist", "data_dir": "elsewhere", "runs": {}}
    assert datadirs.recall(given, record) == [] and given["data_dir"] == "elsewhere"


def test_recall_ignores_a_directory_that_no_longer_holds_the_files(tmp_path, tiny_mnist):
    gone = shutil.copytree(tiny_mnist, tmp_path / "copy")
    record = tmp_path / "data_dirs.yaml"
    record.write_text(yaml.safe_dump({"mnist": str(gone), "mine": str(tiny_mnist)}))
    (gone / "t10k-labels-idx1-ubyte.gz").unlink()
    config = {"dataset": "mnist", "data_dir": None, "runs": {"own": {"dataset": "mine"}}}
    said = datadirs.recall(config, record)
    assert config["data_dir"] is None
    assert config["data_dirs"] == {"mine": str(tiny_mnist)} and "data_dirs.mine" in said[0]


def test_a_download_out_of_reach_is_refused_naming_the_setting(tmp_path, monkeypatch):
    monkeypatch.setattr(datadirs, "reachable", lambda host: "Name or service not known")
    problem = datadirs.download_problem(["mnist"], root=str(tmp_path))
    assert "cannot be reached (Name or service not known)" in problem
    assert "--config data_dir=DIR" in problem and "nothing was deleted" in problem
    fashion = datadirs.download_problem(["fashion-mnist"], root=str(tmp_path))
    assert "data_dirs: {fashion-mnist: DIR}" in fashion
    monkeypatch.setattr(datadirs, "reachable", lambda host: None)
    assert datadirs.download_problem(["mnist"], root=str(tmp_path)) is None


def test_a_dataset_torchvision_already_holds_needs_no_server(tmp_path, tiny_mnist, monkeypatch):
    monkeypatch.setattr(datadirs, "reachable", lambda host: "unreachable")
    shutil.copytree(tiny_mnist, tmp_path / "mnist" / "MNIST" / "raw")
    assert datadirs.download_problem(["mnist"], root=str(tmp_path)) is None


def test_a_forgotten_data_dir_keeps_the_data_and_the_models(tmp_path, tiny_mnist):
    """quick run -> the same command without data_dir -> nothing rebuilt; and with the
    recorded directory gone, offline: refused before any job, nothing deleted."""
    data = shutil.copytree(tiny_mnist, tmp_path / "idx")
    work = tmp_path / "work"
    run_snakemake(work, "models", config=tiny_config(data))
    kept = [work / "results/data/mnist.h5", work / "results/runs/paper/models/nz5/model.pt"]
    before = [f.stat().st_mtime_ns for f in kept]

    forgetful = {**tiny_config(data), "data_dir": None}
    again = run_snakemake(work, "models", config=forgetful)
    assert f"reading mnist from {data.resolve()}" in again.stderr
    assert "Nothing to be done" in again.stdout + again.stderr
    assert [f.stat().st_mtime_ns for f in kept] == before

    if datadirs.reachable(REGISTRY["mnist"].host) is None:
        pytest.skip("online: a download would work, so nothing is refused")
    data.rename(tmp_path / "moved")
    offline = run_snakemake(work, "models", config=forgetful, check=False)
    assert offline.returncode != 0
    assert "cannot be reached" in offline.stderr and "--config data_dir=DIR" in offline.stderr
    assert [f.stat().st_mtime_ns for f in kept] == before


def test_fashion_mnist_is_read_from_the_system_package_directory(tmp_path, tiny_mnist, monkeypatch):
    """Debian's dataset-fashion-mnist: /usr/share/datasets/fashion-mnist/, faked here."""
    system = tmp_path / "usr-share-datasets-fashion-mnist"
    entry = dataclasses.replace(REGISTRY["fashion-mnist"], system_dirs=(str(system),))
    monkeypatch.setitem(REGISTRY, "fashion-mnist", entry)
    config = {"data_dir": None, "data_dirs": {}}
    assert data_dir_of(config, "fashion-mnist") is None  # not installed: downloaded
    shutil.copytree(tiny_mnist, system)
    assert data_dir_of(config, "fashion-mnist") == str(system)
    assert (
        data_dir_of({"data_dir": None, "data_dirs": {"fashion-mnist": "x"}}, "fashion-mnist") == "x"
    )
    assert data_dir_of(config, "mnist") is None
    assert REGISTRY["mnist"].system_dirs == ()
