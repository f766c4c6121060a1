"""The runs sheet: named sets of scientific settings, and which runs share which stage.

A run overrides top-level settings (`RUN_KEYS`); its chain lives in `results/runs/{run}/`.
Runs whose settings for a stage are equal share that stage's outputs: one of them, the
stage's *owner* (the one with the fewest overrides, then the first by name, so that the
order of the sheet does not matter), builds them in its folder and the others read them.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re

from snakemake.utils import update_config

# Top-level config keys a run may override (their sub-keys are in the config schema).
RUN_KEYS = ("seed", "dataset", "model", "binarize", "train", "noise")
# A run name is a folder name: letters, digits, '_', '.', '-', not starting with '.' or '-'.
RUN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
# What a VAE's training depends on besides its train settings (batch size, schedule).
TRAINING_KEYS = ("seed", "dataset", "model", "binarize", "subset", "data_dir", "data_dirs")


def schedule_epochs(schedule) -> int:
    """The epochs of a training schedule [{lr, epochs}, ...] (section 2): the one place
    that sums them (validation, training batches, the rules, the trainers)."""
    return sum(stage["epochs"] for stage in schedule)


def train_settings(config: dict, nz: int) -> dict:
    """The training settings of one N_z: the defaults with its `train.per_nz` override."""
    settings = {
        "batch_size": config["train"]["batch_size"],
        "schedule": config["train"]["schedule"],
    }
    settings.update(config["train"]["per_nz"].get(str(nz), {}))
    return copy.deepcopy(settings)


def model_nz(config: dict) -> list[int]:
    """Every N_z for which a run trains a model (Fig. 6 list, main model, onset table)."""
    return sorted({*config["nz"], config["main_nz"], *config["onset"]["nz"]})


def run_names(config: dict) -> list[str]:
    """The runs of the sheet: `paper` first, the others in sheet order (never by name)."""
    return sorted(config["runs"], key=lambda run: run != "paper")


def run_config(config: dict, run: str) -> dict:
    """The full settings of one run: the top-level config with the run's overrides merged in."""
    merged = copy.deepcopy({k: v for k, v in config.items() if k != "runs"})
    update_config(merged, copy.deepcopy(config["runs"][run] or {}))
    return merged


def training_settings(cfg: dict, nz: int) -> dict:
    """Everything the VAE of one N_z depends on, from a run's full settings."""
    return {**{k: cfg[k] for k in TRAINING_KEYS}, **train_settings(cfg, nz)}


def sweep_settings(cfg: dict) -> dict:
    """Everything the Fig. 7 sweep depends on besides its own grid."""
    return {k: cfg[k] for k in TRAINING_KEYS}


def _key(settings: dict) -> str:
    return json.dumps(settings, sort_keys=True)


def _n_overrides(value) -> int:
    """How many settings a run's entry overrides (its leaf values)."""
    if isinstance(value, dict):
        return sum(_n_overrides(v) for v in value.values())
    return 1


def _owner(config: dict, run: str, settings) -> str:
    """Of the runs whose `settings(run config)` equal `run`'s, the one with the fewest
    overrides, then the first by name."""
    want = _key(settings(run_config(config, run)))
    same = [r for r in run_names(config) if _key(settings(run_config(config, r))) == want]
    return min(same, key=lambda r: (_n_overrides(config["runs"][r] or {}), r))


def model_owner(config: dict, run: str, nz: int) -> str:
    """The run in whose folder the VAE of this N_z that `run` uses is trained."""
    return _owner(config, run, lambda cfg: training_settings(cfg, nz))


def sweep_owner(config: dict, run: str) -> str:
    """The run in whose folder the Fig. 7 sweep that `run` uses is trained."""
    return _owner(config, run, sweep_settings)


def seed_groups(config: dict) -> dict[str, list[str]]:
    """Runs that differ only in `seed`, keyed by the first of them (groups of two or more)."""
    groups: dict[str, list[str]] = {}
    for run in run_names(config):
        settings = {k: v for k, v in run_config(config, run).items() if k != "seed"}
        groups.setdefault(_key(settings), []).append(run)
    return {runs[0]: runs for runs in groups.values() if len(runs) > 1}


def training_batches(config: dict) -> dict[str, list[tuple[str, int]]]:
    """The VAEs of every run, (owner run, N_z), grouped for the batched trainer
    (`train.batched`): one batch per dataset, model, binarisation, batch size and total
    epochs (and seed under dynamic binarisation, which draws the test set from it); N_z,
    seed and schedule may differ within a batch. Keyed by a name made from those settings."""
    batches: dict[str, list[tuple[str, int]]] = {}
    for run in run_names(config):
        for nz in model_nz(run_config(config, run)):
            owner = model_owner(config, run, nz)
            settings = training_settings(run_config(config, owner), nz)
            shared = {k: v for k, v in settings.items() if k not in ("seed", "schedule")}
            shared["epochs"] = schedule_epochs(settings["schedule"])
            if settings["binarize"] == "dynamic":
                shared["seed"] = settings["seed"]
            digest = hashlib.sha256(_key(shared).encode()).hexdigest()[:8]
            name = f"{settings['dataset']}-bs{settings['batch_size']}-{shared['epochs']}ep-{digest}"
            if (owner, nz) not in batches.setdefault(name, []):
                batches[name].append((owner, nz))
    return {name: sorted(members) for name, members in sorted(batches.items())}
