"""The errors of bad inputs: a config value (naming the key) and an input file (naming the
file and what is wrong)."""

from __future__ import annotations


class InputError(ValueError):
    """An input file is missing, corrupt, or does not hold what the stage needs."""


class ConfigError(ValueError):
    """A config value is invalid; the message names the key."""
