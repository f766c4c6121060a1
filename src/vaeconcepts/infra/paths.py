"""The layout of results/ and measurements/: every file name the workflow, the scripts and
the archive share, and how values are written in them (the one place for these formats)."""

from __future__ import annotations

from pathlib import Path

RESULTS = "results"


def p_tag(p: float) -> str:
    """A noise fraction as written in file names: two decimals (0.2 -> '0.20')."""
    return f"{float(p):.2f}"


def lr_tag(lr: float) -> str:
    """A learning rate as written in sweep paths: shortest repr (0.001 -> '0.001')."""
    return f"{lr:g}"


def round_trips(value: float, tag) -> bool:
    """Whether `value` is read back unchanged from its file-name form `tag(value)`, so that
    two values never share a file and a file holds the value its name says."""
    return float(tag(value)) == value


# results/: shared by every run
def data_file(dataset: str) -> str:
    return f"{RESULTS}/data/{dataset}.h5"


def classifier_file(dataset: str, name: str = "model.pt") -> str:
    return f"{RESULTS}/classifier/{dataset}/{name}"


def noisy_file(dataset: str, mode: str, p: float, label) -> str:
    return f"{RESULTS}/noisy/{dataset}/{mode}/p{p_tag(p)}/label{label}.h5"


# results/runs/{run}/
def model_file(run: str, nz, name: str = "model.pt") -> str:
    return f"{RESULTS}/runs/{run}/models/nz{nz}/{name}"


def latents_file(run: str, nz) -> str:
    return f"{RESULTS}/runs/{run}/latents/nz{nz}.h5"


def trajectory_file(run: str, nz, p: float, label) -> str:
    return f"{RESULTS}/runs/{run}/trajectories/nz{nz}/p{p_tag(p)}/label{label}.h5"


def stats_file(run: str, name: str, root: str | Path = RESULTS) -> str:
    """A run's table, `name` with its suffix (claims.csv, onset.csv, nz100/pca.csv)."""
    return f"{root}/runs/{run}/stats/{name}"


def sweep_history(run: str, nz, lr, bs) -> str:
    """A Fig. 7 sweep condition's history (`lr` a float, or its tag as a wildcard)."""
    lr = lr if isinstance(lr, str) else lr_tag(lr)
    return f"{RESULTS}/runs/{run}/sweep/nz{nz}/lr{lr}_bs{bs}/history.csv"


# a results/ folder or a measurement folder alike
def history_file(root: str | Path, run: str, nz) -> Path:
    """A run's model's history.csv, under a results/ folder or a measurement folder."""
    return Path(root) / "runs" / run / "models" / f"nz{nz}" / "history.csv"


def study_file(root: str | Path) -> Path:
    """The study of every run's scorecard, under results/ or a measurement folder."""
    return Path(root) / "study" / "claims.csv"


# measurements/
def measurement_folder(to: str | Path, date: str, name: str) -> Path:
    """measurements/{date}-{name}/: a finished run's small files (scorecard.archive)."""
    return Path(to) / f"{date}-{name}"


def kept_file(folder: str | Path, run: str, name: str) -> Path:
    """A run's table as a measurement keeps it: runs/{run}/{name} (no stats/)."""
    return Path(folder) / "runs" / run / name
