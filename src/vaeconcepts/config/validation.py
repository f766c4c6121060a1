"""Load, validate and query the workflow configuration (config.yaml + JSON schema)."""

from __future__ import annotations

import copy
import difflib
import math
import os
from pathlib import Path

import jsonschema
import yaml

from vaeconcepts.config.labels import check_labels, default_labels
from vaeconcepts.config.runs import RUN_NAME, model_nz, run_config, schedule_epochs, train_settings
from vaeconcepts.data.registry import REGISTRY, missing_files
from vaeconcepts.infra.errors import ConfigError
from vaeconcepts.infra.paths import lr_tag, p_tag, round_trips

SCHEMA = Path(__file__).resolve().parents[3] / "workflow" / "schemas" / "config.schema.yaml"


def _key(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "<top level>"


def _normalise(config: dict) -> dict:
    """YAML reads `per_nz: {100: ...}` with integer keys (the schema wants strings), and a
    run with no overrides (`paper:`) as null."""
    config = copy.deepcopy(config)
    runs = config.get("runs")
    if isinstance(runs, dict):
        config["runs"] = runs = {str(k): ({} if v is None else v) for k, v in runs.items()}
    for section in [config, *(runs.values() if isinstance(runs, dict) else [])]:
        train = section.get("train") if isinstance(section, dict) else None
        if isinstance(train, dict) and isinstance(train.get("per_nz"), dict):
            train["per_nz"] = {str(k): v for k, v in train["per_nz"].items()}
    return config


def _check_finite(value, path: list) -> None:
    """Refuse NaN and infinity anywhere (YAML's .nan, .inf): the schema's `number` takes them."""
    if isinstance(value, dict):
        for key, item in value.items():
            _check_finite(item, [*path, key])
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_finite(item, [*path, i])
    elif isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(f"config key '{_key(path)}': {value} is not a finite number")


def _unknown(path: list, key: str, known, files) -> str:
    """The message of an unknown key: a close known one, and the file that sets it."""
    out = f"config key '{_key([*path, key])}': unknown key"
    if close := difflib.get_close_matches(key, [str(k) for k in known], n=1, cutoff=0.6):
        out += f"; did you mean '{_key([*path, close[0]])}'?"
    for name in reversed([str(f) for f in files]):
        if _has(name, [*path, key]):
            return out + f" (in {name})"
    return out


def _has(name: str, keys: list) -> bool:
    """Whether YAML file `name` sets the key at `keys`."""
    node = yaml.safe_load(Path(name).read_text()) if Path(name).is_file() else None
    for part in keys[:-1]:
        node = node.get(part) if isinstance(node, dict) else None
    return isinstance(node, dict) and keys[-1] in node


def validate_config(config: dict, schema_path: Path = SCHEMA, files=()) -> dict:
    """Check `config` against the schema and cross-key rules; raise ConfigError naming the key
    (and, for an unknown key, the one of `files` that sets it)."""
    config = _normalise(config)
    _check_finite(config, [])
    schema = yaml.safe_load(Path(schema_path).read_text())
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(config), key=lambda e: list(e.absolute_path))
    if errors:
        err = jsonschema.exceptions.best_match(errors)
        path = list(err.absolute_path)
        if err.validator == "additionalProperties":
            known = err.schema.get("properties", {})
            extra = sorted(set(err.instance) - set(known), key=str)
            raise ConfigError(_unknown(path, extra[0], known, files))
        if err.validator == "required":
            missing = [k for k in err.validator_value if k not in err.instance]
            raise ConfigError(f"config key '{_key(path + missing[:1])}': missing (required)")
        if err.validator == "not":  # a workflow setting inside a run
            key = err.validator_value["required"][0]
            raise ConfigError(f"config key '{_key(path + [key])}': a setting of the whole "
                              f"workflow, not of one run; set it at the top level")  # fmt: skip
        raise ConfigError(f"config key '{_key(path)}': {err.message}")
    default_labels(config)
    _check_settings(config, "")
    for run in config["runs"]:
        _check_run_name(run)
        _check_settings(run_config(config, run), f"runs.{run}.")
    _check_data_dirs(config)
    _check_file_names(config)
    _check_trials(config)
    return config


def _check_run_name(run: str) -> None:
    """A run name is a folder name."""
    if not RUN_NAME.fullmatch(run) or run in (".", ".."):
        raise ConfigError(
            f"config key 'runs.{run}': a run name is a folder name: letters, digits, "
            "'_', '.' and '-', starting with a letter or digit"
        )


def _check_data_dirs(config: dict) -> None:
    """MNIST in one place; every configured data directory holds its IDX files."""
    mnist_dir = config["data_dirs"].get("mnist")
    if (
        config["data_dir"] is not None
        and mnist_dir is not None
        and (Path(config["data_dir"]).resolve() != Path(mnist_dir).resolve())
    ):
        raise ConfigError(
            f"config key 'data_dirs.mnist': {mnist_dir!r}, but data_dir is "
            f"{config['data_dir']!r}: two places for MNIST; set one of them"
        )
    if config["data_dir"] is not None:
        _check_data_dir("data_dir", config["data_dir"])
    for name, path in config["data_dirs"].items():
        if path is None and name not in REGISTRY:
            raise ConfigError(
                f"config key 'data_dirs.{name}': a dataset of your own needs its directory "
                f"(only {', '.join(REGISTRY)} can be downloaded)"
            )
        if path is not None:
            _check_data_dir(f"data_dirs.{name}", path)


def _check_file_names(config: dict) -> None:
    """Noise fractions and sweep learning rates survive being written into file names."""
    for key, values in (
        ("concept_curves.p", [config["concept_curves"]["p"]]),
        ("min_distance.p", config["min_distance"]["p"]),
    ):
        for i, p in enumerate(values):
            if not round_trips(p, p_tag):
                where = key if key == "concept_curves.p" else f"{key}[{i}]"
                raise ConfigError(
                    f"config key '{where}': {p} is written p{p_tag(p)} in file names; "
                    "use at most two decimals"
                )
    for i, lr in enumerate(config["sweep"]["lr"]):
        if not round_trips(lr, lr_tag):
            raise ConfigError(
                f"config key 'sweep.lr[{i}]': {lr} is written lr{lr_tag(lr)} in file names; "
                "use at most six significant digits"
            )


def _check_trials(config: dict) -> None:
    """No analysis asks for more trials than each noisy-input file holds."""
    n_noisy = config["noise"]["n_trials"]
    for key in ("concept_curves", "min_distance", "classifier"):
        if config[key]["n_trials"] > n_noisy:
            raise ConfigError(
                f"config key '{key}.n_trials': {config[key]['n_trials']} exceeds "
                f"noise.n_trials = {n_noisy}, the number of noisy inputs per file"
            )
    if config["inference"]["n_frames"] > n_noisy:
        raise ConfigError(f"config key 'inference.n_frames': exceeds noise.n_trials = {n_noisy}")
    if config["image_strip"]["trial"] >= config["inference"]["n_frames"]:
        raise ConfigError(
            f"config key 'image_strip.trial': x(0..T) is stored only for the first "
            f"inference.n_frames = {config['inference']['n_frames']} trials"
        )


def _check_data_dir(key: str, path: str) -> None:
    """A configured data directory exists and holds the four IDX files of a dataset."""
    if not Path(path).is_dir():
        raise ConfigError(f"config key '{key}': directory {path!r} does not exist")
    missing = missing_files(path)
    if missing:
        raise ConfigError(
            f"config key '{key}': directory {path!r} has no {', '.join(missing)} (nor .gz); "
            "a data directory holds the four IDX files of a dataset"
        )


def _check_settings(cfg: dict, prefix: str) -> None:
    """Cross-key rules of the settings a run may override; `prefix` names the run's keys."""
    name = cfg["dataset"]
    if name not in REGISTRY and name not in cfg["data_dirs"]:
        raise ConfigError(
            f"config key '{prefix}dataset': {name!r} is neither a known dataset "
            f"({', '.join(REGISTRY)}) nor a key of data_dirs"
        )
    check_labels(cfg, name)
    for nz in model_nz(cfg):
        if schedule_epochs(train_settings(cfg, nz)["schedule"]) == 0:
            key = f"train.per_nz.{nz}" if str(nz) in cfg["train"]["per_nz"] else "train"
            raise ConfigError(
                f"config key '{prefix}{key}.schedule': the epochs of N_z = {nz} sum to 0 "
                "(an untrained model would flow into every table and figure)"
            )


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses a mapping with the same key twice (PyYAML keeps the last)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise ConfigError(
                    f"config key '{key}': given twice in {key_node.start_mark.name}, "
                    f"line {key_node.start_mark.line + 1} (duplicate names are not allowed)"
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def check_duplicate_keys(*paths: str | Path) -> None:
    """Raise ConfigError naming the key if a config file repeats a key in one mapping."""
    for path in paths:
        with open(path) as f:
            yaml.load(f, Loader=_UniqueKeyLoader)  # noqa: S506 (a SafeLoader)


def export_library_path() -> None:
    """Put this library on PYTHONPATH so job scripts import it in any environment (conda too)."""
    src = str(Path(__file__).resolve().parents[2])
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if src not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([src, *paths])
