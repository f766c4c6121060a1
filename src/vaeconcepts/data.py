"""MNIST: from IDX files or torchvision into results/data/mnist.h5, and back as tensors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from .h5io import InputError, read_h5
from .idx import IDXError, read_idx

FILES = {
    "train/images": "train-images-idx3-ubyte",
    "train/labels": "train-labels-idx1-ubyte",
    "test/images": "t10k-images-idx3-ubyte",
    "test/labels": "t10k-labels-idx1-ubyte",
}


def _find(data_dir: Path, stem: str) -> Path:
    for name in (stem, stem + ".gz"):
        if (data_dir / name).exists():
            return data_dir / name
    raise IDXError(f"{data_dir / stem}[.gz]: file not found")


def read_mnist_dir(data_dir: str | Path) -> dict[str, np.ndarray]:
    """The four IDX files of `data_dir` as uint8 arrays, images flattened to 784 pixels."""
    data_dir = Path(data_dir)
    out = {}
    for key, stem in FILES.items():
        path = _find(data_dir, stem)
        array = read_idx(path, ndim=3 if key.endswith("images") else 1)
        if key.endswith("images"):
            if array.shape[1:] != (28, 28):
                raise IDXError(f"{path}: images of {array.shape[1:]}, expected 28x28")
            array = array.reshape(len(array), 784)
        out[key] = array
    for split in ("train", "test"):
        n_img, n_lab = len(out[f"{split}/images"]), len(out[f"{split}/labels"])
        if n_img != n_lab:
            raise IDXError(f"{data_dir}: {split} has {n_img} images but {n_lab} labels")
        if out[f"{split}/labels"].max(initial=0) > 9:
            raise IDXError(f"{data_dir / FILES[split + '/labels']}: label above 9")
    return out


def download_mnist(root: str | Path) -> dict[str, np.ndarray]:
    """Download MNIST through torchvision into `root` and return it as read_mnist_dir does."""
    from torchvision.datasets import MNIST

    for train in (True, False):
        MNIST(str(root), train=train, download=True)
    return read_mnist_dir(Path(root) / "MNIST" / "raw")


def subsample(arrays: dict[str, np.ndarray], n_train: int | None, n_test: int | None):
    """The first n images of each split (None keeps all)."""
    limits = {"train": n_train, "test": n_test}
    return {k: v[: limits[k.split("/")[0]]] for k, v in arrays.items()}


def load_split(
    path: str | Path, split: str, device: str | torch.device = "cpu"
) -> tuple[torch.Tensor, torch.Tensor]:
    """Images of one split as one float tensor in [0, 1] (x / 255) and labels, on `device`."""
    arrays = read_h5(path, [f"{split}/images", f"{split}/labels"])
    images = arrays[f"{split}/images"]
    if images.ndim != 2 or images.shape[1] != 784:
        raise InputError(f"{path}: {split}/images has shape {images.shape}, expected (n, 784)")
    x = torch.from_numpy(images).to(device=device, dtype=torch.float32).div_(255.0)
    y = torch.from_numpy(arrays[f"{split}/labels"].astype(np.int64)).to(device)
    return x, y


def binarize(x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """One Bernoulli draw of every pixel, with the grey value as its probability."""
    return torch.bernoulli(x, generator=generator)
