"""Reader for the IDX format of the MNIST distribution (plain or gzip-compressed)."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import numpy as np

# magic = 0x00 0x00 <type> <ndim>; MNIST uses type 0x08 (unsigned byte).
_UBYTE = 0x08


class IDXError(ValueError):
    """An IDX file is missing, truncated or not what was expected."""


def read_idx(path: str | Path, ndim: int | None = None) -> np.ndarray:
    """Read an IDX file of unsigned bytes; check its magic number, rank and length."""
    path = Path(path)
    try:
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    except FileNotFoundError:
        raise IDXError(f"{path}: file not found") from None
    except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
        raise IDXError(f"{path}: corrupt, cannot read or decompress it ({exc})") from None
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0:
        raise IDXError(f"{path}: bad magic number, not an IDX file")
    if raw[2] != _UBYTE:
        raise IDXError(f"{path}: element type 0x{raw[2]:02x}, expected unsigned byte (0x08)")
    rank = raw[3]
    if ndim is not None and rank != ndim:
        raise IDXError(f"{path}: {rank} dimensions, expected {ndim}")
    header = 4 + 4 * rank
    if len(raw) < header:
        raise IDXError(f"{path}: truncated header")
    shape = tuple(int(d) for d in np.frombuffer(raw, dtype=">u4", count=rank, offset=4))
    expected = header + int(np.prod(shape))
    if len(raw) != expected:
        raise IDXError(
            f"{path}: {len(raw)} bytes, expected {expected} for shape {shape} (truncated?)"
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape).copy()


def write_idx(path: str | Path, array: np.ndarray) -> None:
    """Write a uint8 array as IDX (gzip-compressed when the name ends in .gz)."""
    array = np.ascontiguousarray(array, dtype=np.uint8)
    raw = bytes([0, 0, _UBYTE, array.ndim]) + np.asarray(array.shape, ">u4").tobytes()
    raw += array.tobytes()
    path = Path(path)
    path.write_bytes(gzip.compress(raw, mtime=0) if path.suffix == ".gz" else raw)
