"""The error a stage raises for a bad input file: it names the file and what is wrong."""

from __future__ import annotations


class InputError(ValueError):
    """An input file is missing, corrupt, or does not hold what the stage needs."""
