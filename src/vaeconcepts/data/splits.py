"""A dataset's HDF5 file (results/data/{name}.h5): its splits as tensors and its description."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from vaeconcepts.infra.errors import InputError

# h5py is imported where a file is read, so that the trainers (and benchmarks/gpu.py) import
# on a machine with nothing but PyTorch and NumPy.


@dataclass(frozen=True)
class DataInfo:
    """What a dataset file says of itself: name, image shape and class names."""

    name: str
    shape: tuple[int, int]
    classes: tuple[str, ...]

    @property
    def n_pixels(self) -> int:
        return self.shape[0] * self.shape[1]

    @property
    def n_classes(self) -> int:
        return len(self.classes)

    def attrs(self) -> dict:
        """As HDF5 attributes (the dataset file's, and copied into latents files)."""
        return {"dataset": self.name, "shape": list(self.shape), "classes": list(self.classes)}


def info_from_attrs(attrs: dict, path: str | Path) -> DataInfo:
    """The DataInfo stored in the attributes of `path` (a dataset or latents file)."""
    try:
        return DataInfo(
            str(attrs["dataset"]),
            tuple(int(v) for v in attrs["shape"]),
            tuple(str(c) for c in attrs["classes"]),
        )
    except KeyError as missing:
        raise InputError(
            f"{path}: no {missing} attribute: not a dataset file of this version"
        ) from None


def data_info(path: str | Path) -> DataInfo:
    """The DataInfo of a dataset file."""
    import h5py

    try:
        with h5py.File(path, "r") as f:
            attrs = dict(f.attrs)
    except OSError as exc:
        raise InputError(f"{path}: not a readable HDF5 file ({exc})") from None
    return info_from_attrs(attrs, path)


def subsample(arrays: dict[str, np.ndarray], n_train: int | None, n_test: int | None):
    """The first n images of each split (None keeps all)."""
    limits = {"train": n_train, "test": n_test}
    return {k: v[: limits[k.split("/")[0]]] for k, v in arrays.items()}


def load_split(
    path: str | Path, split: str, device: str | torch.device = "cpu"
) -> tuple[torch.Tensor, torch.Tensor]:
    """Images of one split as one float tensor (n, pixels) in [0, 1] (x / 255) and labels."""
    from vaeconcepts.infra.h5io import read_h5

    arrays = read_h5(path, [f"{split}/images", f"{split}/labels"])
    images, n_pixels = arrays[f"{split}/images"], data_info(path).n_pixels
    if images.ndim != 2 or images.shape[1] != n_pixels:
        raise InputError(
            f"{path}: {split}/images has shape {images.shape}, expected (n, {n_pixels})"
        )
    x = torch.from_numpy(images).to(device=device, dtype=torch.float32).div_(255.0)
    y = torch.from_numpy(arrays[f"{split}/labels"].astype(np.int64)).to(device)
    return x, y


def binarize(x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """One Bernoulli draw of every pixel, with the grey value as its probability."""
    return torch.bernoulli(x, generator=generator)
