"""Progress logging for workflow scripts: one line per epoch or batch of trials, flushed."""

from __future__ import annotations

import logging
import sys
from pathlib import Path


def open_log(
    path: str | Path | None, name: str = "vaeconcepts", history: str | Path | None = None
) -> logging.Logger:
    """A logger writing to `path` (and stderr), so a stage's progress can be followed live.

    With `history`, a file of earlier attempts: `path` starts with its lines, and every new
    line is appended to it too.
    """
    logger = logging.getLogger(name)
    for handler in logger.handlers:
        handler.close()
    logger.handlers.clear()
    logger.setLevel(logging.INFO)
    logger.propagate = False
    fmt = logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S")
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if path is not None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        earlier = Path(history).read_text() if history and Path(history).exists() else ""
        path.write_text(earlier)
        handlers.append(logging.FileHandler(path, mode="a"))
        if history is not None:
            handlers.append(logging.FileHandler(history, mode="a"))
    for handler in handlers:
        handler.setFormatter(fmt)
        logger.addHandler(handler)
    return logger
