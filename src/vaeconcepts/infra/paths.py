"""How values are written in the file names of results/ (the one place for these formats)."""

from __future__ import annotations


def p_tag(p: float) -> str:
    """A noise fraction as written in file names: two decimals (0.2 -> '0.20')."""
    return f"{p:.2f}"


def lr_tag(lr: float) -> str:
    """A learning rate as written in sweep paths: shortest repr (0.001 -> '0.001')."""
    return f"{lr:g}"


def round_trips(value: float, tag) -> bool:
    """Whether `value` is read back unchanged from its file-name form `tag(value)`, so that
    two values never share a file and a file holds the value its name says."""
    return float(tag(value)) == value
