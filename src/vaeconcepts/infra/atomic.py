"""Atomic writes: every file of results/ is written to a temporary name beside it and
renamed when complete, so no half-written output survives a failure."""

from __future__ import annotations

import contextlib
import gzip
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path


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


def write_csv(path: str | Path, frame) -> None:
    """Write a pandas DataFrame as CSV atomically; gzipped for a name ending .gz, with no
    time or name in its header (the same table, the same bytes)."""
    with atomic_path(path) as tmp:
        if Path(path).suffix != ".gz":
            frame.to_csv(tmp, index=False, float_format="%.6g")
            return
        with open(tmp, "wb") as raw, gzip.GzipFile("", "wb", fileobj=raw, mtime=0) as f:
            frame.to_csv(f, index=False, float_format="%.6g")
