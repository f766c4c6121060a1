"""Progress logging for workflow scripts: one line per epoch or batch of trials, flushed."""

from __future__ import annotations

import logging
import sys
from pathlib import Path


def open_log(path: str | Path | None, name: str = "vaeconcepts") -> logging.Logger:
    """A logger writing to `path` (and stderr), so a stage's progress can be followed live."""
    logger = logging.getLogger(name)
    logger.handlers.clear()
    logger.setLevel(logging.INFO)
    logger.propagate = False
    fmt = logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S")
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(path, mode="w"))
    for handler in handlers:
        handler.setFormatter(fmt)
        logger.addHandler(handler)
    return logger
