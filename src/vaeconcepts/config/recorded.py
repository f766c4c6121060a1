"""The settings results/ were made with: written when a run starts jobs, compared when the
report is built, so that its captions (filled in from the config) describe its results."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

RECORD = "results/settings.yaml"
# Where the data lay is not a setting of the results (the dataset is keyed on its content).
IGNORED = ("data_dir", "data_dirs")


def settings(config: dict) -> dict:
    """The validated config as plain YAML types, without IGNORED."""
    plain = json.loads(json.dumps(config, default=str))
    return {k: v for k, v in plain.items() if k not in IGNORED}


def record(config: dict, path: str | Path = RECORD) -> None:
    """Write the settings of the run that is starting jobs."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(settings(config), sort_keys=True))


def differences(config: dict, path: str | Path = RECORD, limit: int = 4) -> list[str]:
    """'key: recorded vs now' for the first `limit` settings that differ from the record;
    empty where they agree or nothing is recorded yet."""
    path = Path(path)
    if not path.exists():
        return []
    out: list[str] = []
    _diff(yaml.safe_load(path.read_text()) or {}, settings(config), [], out)
    return out[:limit]


def _diff(old, new, keys: list, out: list[str]) -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        for k in sorted(set(old) | set(new), key=str):
            _diff(old.get(k), new.get(k), [*keys, str(k)], out)
    elif old != new:
        out.append(f"{'.'.join(keys)}: {old!r} there, {new!r} here")


def report_message(diffs: list[str], path: str | Path = RECORD) -> str:
    """Why a report of these settings would describe other results than those in results/."""
    return (
        f"the results in results/ were made with other settings than this config "
        f"({'; '.join(diffs)}; recorded in {path}), so the report's captions would describe "
        "settings that were not used: build it with the run's own config files, e.g. "
        "`snakemake --report results/report.html --configfile presets/quick.yaml`"
    )
