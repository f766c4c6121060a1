"""Atomic writes with provenance, and checked reads, for the files of results/."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import h5py
import numpy as np


class InputError(ValueError):
    """An input file is missing, corrupt, or does not hold what the stage needs."""


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary name beside `path`; rename it to `path` only if the block succeeds.

    The temporary file is removed when the block fails (also on SIGTERM, which job scripts
    turn into an exception: `job.py`); the ones a SIGKILL left behind are removed here,
    the next time `path` is written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the usual permissions
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Delete the temporary siblings of `path` (`.{stem}.XXXXXXXX{suffix}`, mkstemp's names)
    that an earlier, killed write left behind; return them."""
    pattern = re.compile(rf"\.{re.escape(path.stem)}\.[A-Za-z0-9_]{{8}}{re.escape(path.suffix)}")
    stale = [p for p in path.parent.iterdir() if pattern.fullmatch(p.name)]
    for p in stale:
        p.unlink(missing_ok=True)
    return stale


def sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes (source checksums in provenance)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def provenance(params: Mapping, inputs: Sequence[str | Path] = ()) -> str:
    """JSON record of the parameters that produced a file and its inputs' checksums."""
    record = {"params": dict(params), "inputs": {str(p): sha256(p) for p in inputs}}
    return json.dumps(record, sort_keys=True, default=str)


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


def read_h5(
    path: str | Path, names: Sequence[str], attrs: bool = False
) -> dict[str, np.ndarray] | tuple[dict[str, np.ndarray], dict]:
    """Read the named datasets; fail with a message naming the file and what is wrong."""
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


def write_csv(path: str | Path, frame) -> None:
    """Write a pandas DataFrame as CSV atomically."""
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False, float_format="%.6g")


def load_torch(path: str | Path, what: str, device="cpu") -> dict:
    """A file this project saved with torch.save (tensors and plain values only); an error
    names the file, says why, and how to rebuild it."""
    import torch

    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: {what} file not found")
    try:
        saved = torch.load(path, map_location=device, weights_only=True)
        if not isinstance(saved, dict) or "state_dict" not in saved:
            raise ValueError("no state_dict in it")
        return saved
    except Exception as exc:  # torch raises many kinds on a corrupt or foreign file
        text = str(exc)
        # never relay torch's advice to load with weights_only=False: it runs arbitrary code
        why = ("it holds objects other than tensors" if "weights_only" in text
               else f"{type(exc).__name__}: {text.splitlines()[0] if text else ''}")  # fmt: skip
        raise InputError(
            f"{path}: cannot read this {what} file ({why}). It is not a complete file of "
            f"this workflow: delete it and rebuild it with `rm {path} && snakemake {path}`"
        ) from None
