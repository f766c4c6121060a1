"""Shared fixtures: a tiny synthetic MNIST in IDX format and a Snakemake runner."""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml
from snakemake.utils import update_config

from vaeconcepts.config.validation import check_duplicate_keys, validate_config
from vaeconcepts.data.idx import write_idx

REPO = Path(__file__).resolve().parents[1]
SHARED_MNIST = REPO.parent / "shared" / "data" / "mnist"


def synthetic_mnist(n_train: int, n_test: int, seed: int = 0) -> dict[str, np.ndarray]:
    """Ten well-separated 28x28 classes: a class prototype (a bar at a label-specific place)
    plus per-image jitter, as uint8 like MNIST."""
    rng = np.random.default_rng(seed)
    protos = np.zeros((10, 28, 28))
    for k in range(10):
        r, c = divmod(k, 5)
        protos[k, 2 + 12 * r : 12 + 12 * r, 2 + 5 * c : 6 + 5 * c] = 1.0
        protos[k, 24:26, 2 * k : 2 * k + 6] = 1.0

    def draw(n):
        labels = np.arange(n) % 10
        rng.shuffle(labels)
        img = protos[labels] * rng.uniform(0.6, 1.0, (n, 1, 1))
        img += rng.normal(0, 0.08, img.shape)
        return (np.clip(img, 0, 1) * 255).astype(np.uint8), labels.astype(np.uint8)

    xtr, ytr = draw(n_train)
    xte, yte = draw(n_test)
    return {"train/images": xtr, "train/labels": ytr, "test/images": xte, "test/labels": yte}


def write_mnist_dir(path: Path, arrays: dict[str, np.ndarray], gz: bool = True) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    ext = ".gz" if gz else ""
    names = {
        "train/images": "train-images-idx3-ubyte",
        "train/labels": "train-labels-idx1-ubyte",
        "test/images": "t10k-images-idx3-ubyte",
        "test/labels": "t10k-labels-idx1-ubyte",
    }
    for key, stem in names.items():
        write_idx(path / (stem + ext), arrays[key])
    return path


@pytest.fixture(scope="session")
def tiny_mnist(tmp_path_factory) -> Path:
    """A directory with the four IDX files of a 400/100-image synthetic MNIST."""
    return write_mnist_dir(tmp_path_factory.mktemp("mnist"), synthetic_mnist(400, 100))


def tiny_config(data_dir: Path, **overrides) -> dict:
    """presets/quick.yaml shrunk further for tests, on `data_dir`."""
    config = yaml.safe_load((REPO / "presets" / "quick.yaml").read_text())
    config.update(
        data_dir=str(data_dir),
        subset={"train": None, "test": None},
        model={"hidden": 64, "n_samples": 2},
        nz=[2, 5],
        main_nz=5,
        onset={"label": 6, "nz": [2, 5]},
    )
    config["train"]["schedule"] = [
        {"lr": 1e-3, "epochs": 1},
        {"lr": 1e-4, "epochs": 1},
        {"lr": 5e-5, "epochs": 0},
    ]
    config["noise"]["n_trials"] = 20
    config["concept_curves"]["n_trials"] = 20
    config["min_distance"]["n_trials"] = 20
    config["classifier"]["n_trials"] = 20
    config["inference"]["T"] = 10
    config["attractors"] = {"T": 200, "tol": 1.0e-4, "n_memories": 5}
    config["runs"] = {"paper": {}}
    # the labels the tests read back (config.yaml leaves them null: the data's classes, and
    # the paper's '6'); explicit here, so that a test sees what was run
    config["concept_curves"]["labels"] = list(range(10))
    for section in ("min_distance", "onset", "classifier"):
        config[section]["label"] = 6
    for key, value in overrides.items():
        config[key] = value
    return config


def run_snakemake(workdir: Path, *args: str, config: dict | None = None, check: bool = True):
    """Run the repository's workflow in `workdir` (results land there), return the process."""
    workdir.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "snakemake",
        "-s",
        str(REPO / "Snakefile"),
        "-d",
        str(workdir),
        "--cores",
        "2",
        *args,
    ]
    if config is not None:  # last: --configfile takes every path that follows it
        (workdir / "test-config.yaml").write_text(yaml.safe_dump(config))
        cmd += ["--configfile", str(workdir / "test-config.yaml")]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if check and proc.returncode != 0:
        raise AssertionError(f"snakemake failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


# Targets of `tiny_run`: every figure (Fig. 7's sweep too) and every table.
TINY_RUN_TARGETS = ("all", "fig7")


# The runs sheet of `tiny_run`: the paper's settings, and a run that differs only in its
# noise (it trains nothing: it reads paper's models).
TINY_RUNS = {"paper": {}, "flip": {"noise": {"mode": "flip"}}}


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory, tiny_mnist) -> tuple[Path, dict]:
    """The whole workflow (`all` and `fig7`) run once on `tiny_config` with the two runs of
    TINY_RUNS, then `all` once more (the scorecard's C8 reads the sweep once it exists):
    (workdir, config).

    Tests only read it or dry-run against it; one that moves a file puts it back. It runs
    as on a workstation with two GPUs (faked: VAECONCEPTS_GPUS=2, `--resources gpu=2`),
    so GPU jobs log the slot they took (src/vaeconcepts/infra/gpuslots.py).
    """
    workdir = tmp_path_factory.mktemp("tiny_run")
    config = tiny_config(tiny_mnist, runs=TINY_RUNS)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("VAECONCEPTS_GPUS", "2")
        env.setenv("VAECONCEPTS_GPU_LOCKS", str(workdir / "gpu-locks"))
        env.delenv("CUDA_VISIBLE_DEVICES", raising=False)
        run_snakemake(workdir, *TINY_RUN_TARGETS, "--resources", "gpu=2", config=config)
        run_snakemake(workdir, *TINY_RUN_TARGETS, config=config)
    return workdir, config


@functools.cache
def target_rules() -> frozenset[str]:
    """Rules that only collect files: `all`, `models` and one per figure (fig1, ...)."""
    out = subprocess.run(
        [sys.executable, "-m", "snakemake", "-s", str(REPO / "Snakefile"), "--list-rules"],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    ).stdout
    names = [line.strip() for line in out.splitlines() if line and not line[0].isspace()]
    return frozenset(r for r in names if r in ("all", "models") or re.fullmatch(r"fig\w+", r))


def dry_run_jobs(output: str) -> list[dict]:
    """Every job a dry run lists: {"rule", "wildcards": {...}, "resources": {...}}."""
    jobs = []
    for line in output.splitlines():
        m = re.match(r"^(?:local)?rule (\w+):$", line)
        if m:
            jobs.append({"rule": m.group(1), "wildcards": {}, "resources": {}})
            continue
        m = re.match(r"^\s+(wildcards|resources): (.*)$", line)
        if m and jobs:
            jobs[-1][m.group(1)] = dict(kv.split("=", 1) for kv in m.group(2).split(", "))
    return jobs


def load_config(*paths: str | Path) -> dict:
    """Config files merged as Snakemake merges --configfile's, then validated."""
    check_duplicate_keys(*paths)
    merged: dict = {}
    for path in paths:
        update_config(merged, yaml.safe_load(Path(path).read_text()) or {})
    return validate_config(merged)
