"""The datasets the workflow knows by name: their files, image shape, classes and names.

This is the one place that knows them. A dataset becomes `results/data/{name}.h5` (rule
`dataset`), whose attributes `shape`, `classes` carry what every later stage needs; a
local directory of IDX files of square grey images with integer labels works as well
(`data_dirs` in the config), its classes named by their numbers.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import InputError
from .idx import IDXError, read_idx
from .provenance import sha256

# The four IDX files of a dataset directory (each may end in .gz).
FILES = {
    "train/images": "train-images-idx3-ubyte",
    "train/labels": "train-labels-idx1-ubyte",
    "test/images": "t10k-images-idx3-ubyte",
    "test/labels": "t10k-labels-idx1-ubyte",
}


@dataclass(frozen=True)
class Dataset:
    """A dataset known by name: where torchvision finds it, image shape and class names."""

    name: str
    torchvision: str  # class in torchvision.datasets that downloads it
    shape: tuple[int, int]
    classes: tuple[str, ...]
    n_train: int = 60_000
    n_test: int = 10_000


MNIST_PIXELS = 28 * 28  # the defaults of the model and classifier (the paper's data)


def size_hint(name: str) -> tuple[int, int, int]:
    """(training images, test images, pixels) of a dataset, for job resources before its
    file exists: the registry's, else MNIST's as a guess."""
    d = REGISTRY.get(name, REGISTRY["mnist"])
    return d.n_train, d.n_test, d.shape[0] * d.shape[1]


REGISTRY = {
    d.name: d
    for d in (
        Dataset("mnist", "MNIST", (28, 28), tuple(str(k) for k in range(10))),
        Dataset(
            "fashion-mnist",
            "FashionMNIST",
            (28, 28),
            (
                "T-shirt/top",
                "Trouser",
                "Pullover",
                "Dress",
                "Coat",
                "Sandal",
                "Shirt",
                "Sneaker",
                "Bag",
                "Ankle boot",
            ),
        ),  # fmt: skip
        Dataset(
            "kmnist",
            "KMNIST",
            (28, 28),
            ("o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"),
        ),
    )
}


def find_file(data_dir: Path, stem: str) -> Path:
    """`stem` or `stem.gz` in `data_dir`."""
    for name in (stem, stem + ".gz"):
        if (data_dir / name).exists():
            return data_dir / name
    raise IDXError(f"{data_dir / stem}[.gz]: file not found")


def data_dir_of(cfg: dict, dataset: str) -> str | None:
    """Where a dataset's IDX files are (None: download it): data_dirs, or data_dir for MNIST."""
    if dataset in cfg["data_dirs"]:
        return cfg["data_dirs"][dataset]
    return cfg["data_dir"] if dataset == "mnist" else None


def missing_files(data_dir: str | Path) -> list[str]:
    """The IDX files of FILES that `data_dir` lacks (each may end in .gz)."""
    data_dir = Path(data_dir)
    return [s for s in FILES.values() if not any((data_dir / n).exists() for n in (s, s + ".gz"))]


def content_key(data_dir: str | Path) -> dict[str, str]:
    """A directory's dataset whatever its path is spelled: per IDX file, its size and SHA-256
    (the dataset rule's parameter, so that other files rerun it and another spelling of the
    same directory does not)."""
    key = {}
    for stem in FILES.values():
        path = find_file(Path(data_dir), stem)
        stat = path.stat()
        key[path.name] = (
            f"{stat.st_size} bytes, sha256 {_sha256(path, stat.st_size, stat.st_mtime_ns)}"
        )
    return key


@functools.cache
def _sha256(path: Path, size: int, mtime_ns: int) -> str:
    """provenance.sha256, once per process for a file of one size and modification time."""
    return sha256(path)


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
