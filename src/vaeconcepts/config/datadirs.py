"""Where a run's data lay: remembered, so that a command that forgets `data_dir` reads the
same files instead of replanning every job on a download; and a download that cannot work
refused before any job runs (the dataset rule would delete results/data/{name}.h5 first)."""

from __future__ import annotations

import socket
from pathlib import Path

import yaml

from vaeconcepts.data.registry import REGISTRY, data_dir_of, missing_files

RECORD = "results/data_dirs.yaml"


def used_datasets(config: dict) -> list[str]:
    """The datasets of a config not yet validated: the top level's and every run's."""
    runs = config.get("runs") or {}
    names = [config.get("dataset", "mnist")]
    names += [(r or {}).get("dataset") for r in runs.values() if isinstance(r, dict | None)]
    return list(dict.fromkeys(n for n in names if isinstance(n, str)))


def _configured(config: dict, name: str) -> bool:
    dirs = config.get("data_dirs") or {}
    return name in dirs or (name == "mnist" and config.get("data_dir") is not None)


def remember(config: dict, path: str | Path = RECORD) -> None:
    """Add the directory of every dataset this (validated) config reads from disk to the
    record, as an absolute path."""
    path = Path(path)
    known = (yaml.safe_load(path.read_text()) or {}) if path.exists() else {}
    for name in used_datasets(config):
        if (where := data_dir_of(config, name)) is not None:
            known[name] = str(Path(where).resolve())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(known, sort_keys=True))


def recall(config: dict, path: str | Path = RECORD) -> list[str]:
    """Give every dataset of `config` (not yet validated) that has no directory the one the
    record holds for it, when that still holds the four IDX files; edits `config` in place
    and returns a line per dataset so filled in."""
    path = Path(path)
    if not path.exists():
        return []
    known = yaml.safe_load(path.read_text()) or {}
    said = []
    for name in used_datasets(config):
        where = known.get(name)
        if _configured(config, name) or where is None or not Path(where).is_dir():
            continue
        if missing_files(where):
            continue
        if name == "mnist":
            config["data_dir"], key = where, "data_dir"
        else:
            config["data_dirs"] = {**(config.get("data_dirs") or {}), name: where}
            key = f"data_dirs.{name}"
        said.append(
            f"{key} not given: reading {name} from {where}, where the results in results/ "
            f"were made from (recorded in {path}; give --config {key}=DIR for another)"
        )
    return said


def downloaded(name: str, root: str | Path) -> bool:
    """Whether torchvision's copy of a named dataset is already in `root` (no download)."""
    return not missing_files(Path(root) / REGISTRY[name].torchvision / "raw")


def reachable(host: str, timeout: float = 3.0) -> str | None:
    """None if a TCP connection to host:443 opens; else why not (e.g. a name not resolved)."""
    try:
        socket.create_connection((host, 443), timeout=timeout).close()
    except OSError as error:
        return str(error) or type(error).__name__
    return None


def download_problem(names: list[str], root: str = "resources") -> str | None:
    """Why the dataset jobs about to download `names` would fail (a server out of reach),
    with the setting that avoids the download; None when they can download."""
    for name in names:
        if name not in REGISTRY or downloaded(name, Path(root) / name):
            continue
        if (why := reachable(REGISTRY[name].host)) is None:
            continue
        if name == "mnist":
            key, example = "data_dir", "--config data_dir=DIR (e.g. ../shared/data/mnist)"
        else:
            key, example = f"data_dirs.{name}", f"data_dirs: {{{name}: DIR}} in a config file"
        return (
            f"{name} would be downloaded, but {REGISTRY[name].host} cannot be reached "
            f"({why}); no job was started and nothing was deleted. Set {key} to a directory "
            f"of its four IDX files: {example}"
        )
    return None
