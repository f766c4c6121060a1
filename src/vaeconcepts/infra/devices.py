"""Choosing the device: `auto` is CUDA when present, else the CPU."""

from __future__ import annotations

import torch


def pick_device(name: str = "auto") -> torch.device:
    """torch.device for a config value auto | cpu | cuda."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("config device is 'cuda' but no CUDA device is visible")
    return torch.device(name)
