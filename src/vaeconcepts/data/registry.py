"""The datasets the workflow knows by name: their files, image shape, classes and names.

This is the one place that knows them. A dataset becomes `results/data/{name}.h5` (rule
`dataset`), whose attributes `shape`, `classes` carry what every later stage needs; a
local directory of IDX files of square grey images with integer labels works as well
(`data_dirs` in the config), its classes named by their numbers.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from vaeconcepts.data.idx import IDXError
from vaeconcepts.infra.provenance import sha256

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
    host: str = ""  # the server torchvision downloads it from (its first mirror)
    # directories a system package installs its IDX files in, read when none is configured
    system_dirs: tuple[str, ...] = ()
    n_train: int = 60_000
    n_test: int = 10_000


def size_hint(name: str) -> tuple[int, int, int]:
    """(training images, test images, pixels) of a dataset, for job resources before its
    file exists: the registry's, else MNIST's as a guess."""
    d = REGISTRY.get(name, REGISTRY["mnist"])
    return d.n_train, d.n_test, d.shape[0] * d.shape[1]


REGISTRY = {
    d.name: d
    for d in (
        Dataset(
            "mnist",
            "MNIST",
            (28, 28),
            tuple(str(k) for k in range(10)),
            host="ossci-datasets.s3.amazonaws.com",
        ),
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
            host="fashion-mnist.s3-website.eu-central-1.amazonaws.com",
            system_dirs=("/usr/share/datasets/fashion-mnist",),  # Debian: dataset-fashion-mnist
        ),  # fmt: skip
        Dataset(
            "kmnist",
            "KMNIST",
            (28, 28),
            ("o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"),
            host="codh.rois.ac.jp",
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
    """Where a dataset's IDX files are (None: download it): data_dirs, or data_dir for MNIST;
    else a system package's directory that holds them (Dataset.system_dirs)."""
    if dataset in cfg["data_dirs"]:
        return cfg["data_dirs"][dataset]
    if dataset == "mnist" and cfg["data_dir"] is not None:
        return cfg["data_dir"]
    for where in REGISTRY[dataset].system_dirs if dataset in REGISTRY else ():
        if Path(where).is_dir() and not missing_files(where):
            return where
    return None


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
