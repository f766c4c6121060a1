"""The label settings: their defaults from the dataset's classes (the paper's '6' where
there is one) and the check that every label asked for is a class with training images."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from vaeconcepts.data.idx import IDXError, read_idx
from vaeconcepts.data.registry import FILES, REGISTRY, data_dir_of, find_file
from vaeconcepts.infra.errors import ConfigError

# The config keys that name labels, and how to read them.
LABEL_KEYS = {
    "concept_curves.labels": lambda c: c["concept_curves"]["labels"],
    "min_distance.label": lambda c: [c["min_distance"]["label"]],
    "pca_labels": lambda c: c["pca_labels"],
    "image_strip.label": lambda c: [c["image_strip"]["label"]],
    "onset.label": lambda c: [c["onset"]["label"]],
    "classifier.label": lambda c: [c["classifier"]["label"]],
}


@functools.cache
def training_labels(data_dir: str, n_train: int | None) -> frozenset[int]:
    """The labels of the first n_train training images of an IDX directory."""
    path = find_file(Path(data_dir), FILES["train/labels"])
    return frozenset(int(k) for k in np.unique(read_idx(path, ndim=1)[:n_train]))


# The paper's labels: Fig. 4, 6, 1 and B.2 follow '6'; Fig. A.1 b shows '0', '1' and '6'.
PAPER_LABEL, PAPER_PCA_LABELS = 6, (0, 1, 6)


def dataset_classes(cfg: dict, name: str) -> list[int] | None:
    """The classes of a dataset that have training images: from its training labels file
    (of the subset) when its directory is at hand, else the registry's; None if unknown."""
    data_dir = data_dir_of(cfg, name)
    if data_dir is not None and Path(data_dir).is_dir():
        try:
            return sorted(training_labels(str(data_dir), cfg["subset"]["train"]))
        except IDXError:
            return None  # the dataset rule reports a bad file, naming it
    if name in REGISTRY:
        return list(range(len(REGISTRY[name].classes)))
    return None


def _defaults(config: dict, name: str) -> dict[str, object]:
    """The value of every key of LABEL_KEYS left null, for dataset `name`: every class for
    concept_curves.labels; the paper's '6' (or the last class when the dataset has no '6')
    for one label; the paper's 0, 1, 6 for pca_labels, likewise."""
    classes = dataset_classes(config, name)
    if classes is None:
        classes = list(range(10))  # the dataset rule will name what is wrong with it

    def paper(k: int) -> int:
        return k if k in classes else classes[-1]

    out: dict[str, object] = {
        "concept_curves.labels": list(classes),
        "pca_labels": list(dict.fromkeys(paper(k) for k in PAPER_PCA_LABELS)),
    }
    for section in ("min_distance", "image_strip", "onset", "classifier"):
        out[f"{section}.label"] = paper(PAPER_LABEL)
    return out


def _set(cfg: dict, key: str, value) -> None:
    *sections, last = key.split(".")
    for section in sections:
        cfg = cfg.setdefault(section, {})
    cfg[last] = value


def default_labels(config: dict) -> list[str]:
    """Fill the label settings left null from each run's own dataset: the top level's from
    the top-level dataset, and a run of another dataset gets its own in its entry of the
    runs sheet. Returns the keys so filled."""
    null = [key for key, labels in LABEL_KEYS.items() if None in (labels(config) or [None])]
    top = _defaults(config, config["dataset"])
    for key in null:
        _set(config, key, top[key])
    for entry in config["runs"].values():
        name = entry.get("dataset", config["dataset"])
        if name != config["dataset"]:
            own = _defaults(config, name)
            for key in null:
                _set(entry, key, own[key])
    return null


def check_labels(cfg: dict, name: str) -> None:
    """Every label the analyses ask for is a class with training images: the registry's
    classes, or the labels of the training file (of the subset) when it is at hand."""
    data_dir = data_dir_of(cfg, name)
    present = None
    if data_dir is not None and Path(data_dir).is_dir():
        try:
            present = training_labels(str(data_dir), cfg["subset"]["train"])
        except IDXError:
            present = None  # the dataset rule reports a bad file, naming it
    for key, labels in LABEL_KEYS.items():
        for k in labels(cfg):
            if name in REGISTRY and k >= len(REGISTRY[name].classes):
                n = len(REGISTRY[name].classes)
                raise ConfigError(f"config key '{key}': label {k} of {name}, which has "
                                  f"{n} classes (0 ... {n - 1})")  # fmt: skip
            if present is not None and k not in present:
                subset = cfg["subset"]["train"]
                where = f"the first {subset} training images" if subset else "its training images"
                raise ConfigError(
                    f"config key '{key}': label {k}, but no image of {where} in {data_dir} "
                    f"has it (labels there: {', '.join(map(str, sorted(present)))})"
                )
