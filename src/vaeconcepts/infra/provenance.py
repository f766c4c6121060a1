"""Provenance: the parameters that made a file and the checksums of its inputs."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path


def sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes (source checksums in provenance)."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def provenance(params: Mapping, inputs: Sequence[str | Path] = ()) -> str:
    """JSON record of the parameters that produced a file and its inputs' checksums."""
    record = {"params": dict(params), "inputs": {str(p): sha256(p) for p in inputs}}
    return json.dumps(record, sort_keys=True, default=str)
