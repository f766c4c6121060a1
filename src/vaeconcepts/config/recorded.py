"""The settings results/ were made with: written when a run starts jobs, compared when the
report is built, so that its captions (filled in from the config) describe its results."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

RECORD = "results/settings.yaml"
# Where the data lay is not a setting of the results (the dataset is keyed on its content).
IGNORED = ("data_dir", "data_dirs")
# The record's key of the config files given (--configfile), which the report guard names.
FILES = "configfiles"
BASE = Path(__file__).resolve().parents[3] / "config.yaml"  # read by every run


def settings(config: dict) -> dict:
    """The validated config as plain YAML types, without IGNORED."""
    plain = json.loads(json.dumps(config, default=str))
    return {k: v for k, v in plain.items() if k not in IGNORED}


def record(config: dict, path: str | Path = RECORD, files=()) -> None:
    """Write the settings of the run that is starting jobs, and the config files it was given
    besides the workflow's own config.yaml."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    given = [_relative(f) for f in files if Path(f).resolve() != BASE]
    path.write_text(yaml.safe_dump({**settings(config), FILES: given}, sort_keys=True))


def _relative(name) -> str:
    """A path relative to the working directory where it lies below it, else as given."""
    try:
        return str(Path(name).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(name)


def recorded_files(path: str | Path = RECORD) -> list[str] | None:
    """The config files the recorded run was given (None: a record without them)."""
    path = Path(path)
    if not path.exists():
        return None
    return (yaml.safe_load(path.read_text()) or {}).get(FILES)


def differences(config: dict, path: str | Path = RECORD, limit: int = 4) -> list[str]:
    """'key: recorded vs now' for the first `limit` settings that differ from the record;
    empty where they agree or nothing is recorded yet."""
    path = Path(path)
    if not path.exists():
        return []
    out: list[str] = []
    old = yaml.safe_load(path.read_text()) or {}
    old.pop(FILES, None)
    _diff(old, settings(config), [], out)
    return out[:limit]


def _diff(old, new, keys: list, out: list[str]) -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        for k in sorted(set(old) | set(new), key=str):
            _diff(old.get(k), new.get(k), [*keys, str(k)], out)
    elif old != new:
        out.append(f"{'.'.join(keys)}: {old!r} there, {new!r} here")


def report_message(diffs: list[str], path: str | Path = RECORD) -> str:
    """Why a report of these settings would describe other results than those in results/,
    and the command with the config files the run was given (as recorded)."""
    files = recorded_files(path)
    if files is None:
        advice = "build it with the run's own config files, e.g. --configfile presets/quick.yaml"
    else:
        given = f" --configfile {' '.join(files)}" if files else ""
        advice = (
            f"the run was given {', '.join(files) if files else 'no --configfile'}: "
            f"`snakemake --report results/report.html{given}`"
        )
    return (
        f"the results in results/ were made with other settings than this config "
        f"({'; '.join(diffs)}; recorded in {path}), so the report's captions would describe "
        f"settings that were not used: {advice}"
    )
