"""HDF5 files of results/: written atomically with provenance, read back checked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import h5py
import numpy as np

from vaeconcepts.infra.atomic import atomic_path
from vaeconcepts.infra.errors import InputError

__all__ = ["check_finite", "read_h5", "read_trials", "write_h5"]


def write_h5(
    path: str | Path,
    datasets: Mapping[str, np.ndarray],
    attrs: Mapping[str, object] = {},  # noqa: B006 - never mutated
    prov: str | None = None,
) -> None:
    """Write datasets (names may contain '/') and attributes atomically."""
    with atomic_path(path) as tmp, h5py.File(tmp, "w", track_order=True) as f:
        for name, array in datasets.items():
            array = np.asarray(array)
            compression = "gzip" if array.nbytes > 1 << 20 else None
            f.create_dataset(name, data=array, compression=compression, track_times=False)
        for key, value in attrs.items():
            f.attrs[key] = value
        if prov is not None:
            f.attrs["provenance"] = prov


# The stage that writes each kind of HDF5 file under results/, for error messages.
MADE_BY = {
    "latents": "rule latents",
    "trajectories": "rule rollout",
    "noisy": "rule noisy_inputs",
    "data": "rule dataset",
}


def made_by(path: str | Path) -> str:
    """The stage that writes `path` (by its folder under results/), or 'the stage that wrote it'."""
    for part in reversed(Path(path).parts[:-1]):
        if part in MADE_BY:
            return MADE_BY[part]
    return "the stage that wrote it"


def check_finite(path: str | Path, arrays: Mapping[str, np.ndarray]) -> None:
    """Refuse NaN or infinite values in floating datasets, naming the file and its maker."""
    for name, array in arrays.items():
        if np.issubdtype(array.dtype, np.floating) and not np.isfinite(array).all():
            n_bad = int((~np.isfinite(array)).sum())
            raise InputError(
                f"{path}: {name} holds {n_bad} NaN or infinite values; {made_by(path)} made it "
                "from a model or input that was not finite (a diverged training?): delete it "
                "and what made it, and rebuild"
            )


def read_h5(
    path: str | Path, names: Sequence[str], attrs: bool = False
) -> dict[str, np.ndarray] | tuple[dict[str, np.ndarray], dict]:
    """Read the named datasets; fail with a message naming the file and what is wrong (a
    missing dataset, an unreadable file, NaN or infinite values)."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: file not found")
    try:
        with h5py.File(path, "r") as f:
            missing = [n for n in names if n not in f]
            if missing:
                raise InputError(f"{path}: missing dataset(s) {', '.join(missing)}")
            out = {n: f[n][()] for n in names}
            meta = dict(f.attrs)
    except OSError as exc:
        raise InputError(f"{path}: not a readable HDF5 file ({exc})") from None
    check_finite(path, out)
    return (out, meta) if attrs else out


def read_trials(
    path: str | Path, names: Sequence[str], n: int
) -> tuple[dict[str, np.ndarray], dict]:
    """The first n trials of per-trial datasets (and the attributes) of a trajectory file."""
    arrays, meta = read_h5(path, names, attrs=True)
    have = len(arrays[names[0]])
    if have < n:
        raise InputError(f"{path}: {have} trials, fewer than the {n} this analysis uses")
    return {name: a[:n] for name, a in arrays.items()}, meta
