"""Reading a dataset: its four IDX files, or a torchvision download of a named one, checked
for what no VAE can be trained or judged on."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from vaeconcepts.data.idx import IDXError, read_idx
from vaeconcepts.data.registry import FILES, REGISTRY, find_file
from vaeconcepts.infra.errors import InputError


def read_dir(data_dir: str | Path) -> tuple[dict[str, np.ndarray], tuple[int, int]]:
    """The four IDX files of `data_dir` as uint8 arrays, images flattened; and the image
    shape. Images must be square and of one size; labels integers from 0."""
    data_dir = Path(data_dir)
    out, shape = {}, None
    for key, stem in FILES.items():
        path = find_file(data_dir, stem)
        array = read_idx(path, ndim=3 if key.endswith("images") else 1)
        if key.endswith("images"):
            if array.shape[1] != array.shape[2] or (shape and array.shape[1:] != shape):
                raise IDXError(f"{path}: images of {array.shape[1:]}, expected square ones "
                               f"of one size{f' {shape}' if shape else ''}")  # fmt: skip
            shape = array.shape[1:]
            array = array.reshape(len(array), -1)
        out[key] = array
    for split in ("train", "test"):
        n_img, n_lab = len(out[f"{split}/images"]), len(out[f"{split}/labels"])
        if n_img != n_lab:
            raise IDXError(f"{data_dir}: {split} has {n_img} images but {n_lab} labels")
    return out, shape


def class_names(name: str, labels: np.ndarray) -> tuple[str, ...]:
    """The class names of a dataset: the registry's, or the label numbers 0 ... max."""
    if name in REGISTRY:
        return REGISTRY[name].classes
    return tuple(str(k) for k in range(int(labels.max(initial=0)) + 1))


def _cause(error: Exception) -> str:
    """The last line of a download error, e.g. '[Errno -2] Name or service not known'."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return re.sub(r"^<urlopen error (.*)>$", r"\1", lines[-1]) if lines else type(error).__name__


def download(name: str, download_root: str | Path) -> Path:
    """Download dataset `name` through torchvision into `download_root`; its IDX directory.
    Offline, an InputError that says how to use local files instead."""
    from torchvision import datasets

    torchvision_name = REGISTRY[name].torchvision
    try:
        for train in (True, False):
            getattr(datasets, torchvision_name)(str(download_root), train=train, download=True)
    except (RuntimeError, OSError) as error:  # torchvision's RuntimeError; URLError, OSError
        if name == "mnist":
            key, example = "data_dir", "--config data_dir=../shared/data/mnist"
        else:
            key, example = f"data_dirs.{name}", f"data_dirs: {{{name}: DIR}} in a config file"
        raise InputError(
            f"could not download {torchvision_name} ({_cause(error)}); set {key} to a directory "
            f"of the four IDX files ({', '.join(FILES.values())}), e.g. {example}"
        ) from None
    return Path(download_root) / torchvision_name / "raw"


def load(name: str, data_dir: str | Path | None, download_root: str | Path):
    """(arrays, shape, class names) of dataset `name`: from `data_dir` if given, else
    downloaded through torchvision into `download_root` (named datasets only)."""
    if data_dir is None:
        if name not in REGISTRY:
            raise IDXError(f"dataset {name!r}: not a known name and no directory is given")
        data_dir = download(name, download_root)
    data_dir = Path(data_dir)
    arrays, shape = read_dir(data_dir)
    names = class_names(name, arrays["train/labels"])
    if name in REGISTRY and shape != REGISTRY[name].shape:
        raise IDXError(f"{data_dir}: images of {shape}, but {name} has {REGISTRY[name].shape}")
    return arrays, shape, names


def _file(data_dir: Path, key: str) -> Path:
    """The file of `key` (train/images, ...) in `data_dir`, as found, for messages."""
    try:
        return find_file(data_dir, FILES[key])
    except IDXError:
        return data_dir / FILES[key]


def check(arrays: dict[str, np.ndarray], names: tuple[str, ...], data_dir: str | Path,
          name: str) -> None:  # fmt: skip
    """Refuse data no VAE can be trained or judged on, naming the file: images without any
    variance, test labels of a class the training split lacks, labels above the last class."""
    data_dir = Path(data_dir)
    for split in ("train", "test"):
        images = arrays[f"{split}/images"]
        if images.size and images.min() == images.max():
            raise IDXError(
                f"{_file(data_dir, split + '/images')}: every pixel of every "
                f"{split} image is {images.min()}: nothing to learn or measure"
            )
    missing = sorted(set(np.unique(arrays["test/labels"])) - set(np.unique(arrays["train/labels"])))
    if missing:
        raise IDXError(f"{_file(data_dir, 'test/labels')}: class {int(missing[0])} is in the test "
                       f"labels but in no training image, so it has no concept")  # fmt: skip
    for split in ("train", "test"):
        if arrays[f"{split}/labels"].max(initial=0) >= len(names):
            raise IDXError(f"{_file(data_dir, split + '/labels')}: a label above "
                           f"{len(names) - 1}, the last class of {name}")  # fmt: skip
