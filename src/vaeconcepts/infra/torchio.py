"""Files written with torch.save: atomically, through a handle (the same bytes every time),
and read back checked (tensors and plain values only; never unpickling code)."""

from __future__ import annotations

from pathlib import Path

import torch

from vaeconcepts.infra.atomic import atomic_path
from vaeconcepts.infra.errors import InputError


def save_torch(path: str | Path, obj: dict) -> None:
    """torch.save `obj` atomically through an open file, so that equal objects give equal bytes
    (saved to a path, the zip archive would take the random temporary name as its prefix)."""
    with atomic_path(path) as tmp, open(tmp, "wb") as f:
        torch.save(obj, f)


def load_torch(path: str | Path, what: str, device="cpu") -> dict:
    """A file this project saved with torch.save (tensors and plain values only); an error
    names the file, says why, and how to rebuild it."""
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
