"""Load, validate and query the workflow configuration (config.yaml + JSON schema)."""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import jsonschema
import yaml

SCHEMA = Path(__file__).resolve().parents[2] / "workflow" / "schemas" / "config.schema.yaml"


class ConfigError(ValueError):
    """A config value is invalid; the message names the key."""


def _key(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "<top level>"


def _normalise(config: dict) -> dict:
    """YAML reads `per_nz: {100: ...}` with integer keys; the schema wants strings."""
    config = copy.deepcopy(config)
    per_nz = config.get("train", {}).get("per_nz")
    if isinstance(per_nz, dict):
        config["train"]["per_nz"] = {str(k): v for k, v in per_nz.items()}
    return config


def validate_config(config: dict, schema_path: Path = SCHEMA) -> dict:
    """Check `config` against the schema and cross-key rules; raise ConfigError naming the key."""
    config = _normalise(config)
    schema = yaml.safe_load(Path(schema_path).read_text())
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(config), key=lambda e: list(e.absolute_path))
    if errors:
        err = jsonschema.exceptions.best_match(errors)
        path = list(err.absolute_path)
        if err.validator == "additionalProperties":
            extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
            raise ConfigError(f"config key '{_key(path + extra[:1])}': unknown key")
        if err.validator == "required":
            missing = [k for k in err.validator_value if k not in err.instance]
            raise ConfigError(f"config key '{_key(path + missing[:1])}': missing (required)")
        raise ConfigError(f"config key '{_key(path)}': {err.message}")
    if config["data_dir"] is not None and not Path(config["data_dir"]).is_dir():
        raise ConfigError(f"config key 'data_dir': directory {config['data_dir']!r} does not exist")
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
    return config


def load_config(*paths: str | Path) -> dict:
    """Read one or more YAML files, later ones deep-merged over earlier ones, and validate."""
    merged: dict = {}
    for path in paths:
        _deep_update(merged, yaml.safe_load(Path(path).read_text()) or {})
    return validate_config(merged)


def _deep_update(base: dict, new: dict) -> None:
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _deep_update(base[key], value)
        else:
            base[key] = value


def train_settings(config: dict, nz: int) -> dict[str, Any]:
    """The training settings of one N_z: the defaults with its `train.per_nz` override."""
    settings = {
        "batch_size": config["train"]["batch_size"],
        "schedule": config["train"]["schedule"],
    }
    settings.update(config["train"]["per_nz"].get(str(nz), {}))
    return copy.deepcopy(settings)


def model_nz(config: dict) -> list[int]:
    """Every N_z for which a model is trained (Fig. 6 list, main model, onset table)."""
    return sorted({*config["nz"], config["main_nz"], *config["onset"]["nz"]})


def p_tag(p: float) -> str:
    """The noise fraction as written in file names: two decimals (0.2 -> '0.20')."""
    return f"{p:.2f}"


def export_library_path() -> None:
    """Put this library on PYTHONPATH so job scripts import it in any environment (conda too)."""
    src = str(Path(__file__).resolve().parents[1])
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if src not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([src, *paths])
