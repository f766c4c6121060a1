"""The shipped presets: each one loads over config.yaml in the combinations its own usage
line names, says what issue 17's protocol asks of it, and is listed in docs/running.md."""

import re

import pytest
from conftest import REPO, load_config

from vaeconcepts.config.runs import run_config
from vaeconcepts.config.validation import ConfigError
from vaeconcepts.training.precision import bf16_unsupported

PRESETS = sorted((REPO / "presets").glob("*.yaml"))


def usage_lines(preset) -> list[list[str]]:
    """The `--configfile` lists of the `snakemake ...` lines in a preset's header comment."""
    lines = [line for line in preset.read_text().splitlines() if line.startswith("#")]
    found = []
    for line in lines:
        m = re.search(r"--configfile ((?:presets/\S+\.yaml\s*)+)", line)
        if m:
            found.append(m.group(1).split())
    return found


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.name)
def test_every_preset_loads_in_each_combination_it_names(preset):
    combos = usage_lines(preset) or [[f"presets/{preset.name}"]]
    assert any(f"presets/{preset.name}" in combo for combo in combos), preset.name
    for combo in combos:
        files = [REPO / "config.yaml", *(REPO / name for name in combo)]
        if "precision: bf16" in preset.read_text() and bf16_unsupported("cpu"):
            with pytest.raises(ConfigError, match="model.precision"):  # refused here
                load_config(*files)
            continue
        load_config(*files)


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.name)
def test_every_preset_is_listed_in_the_running_page(preset):
    assert f"presets/{preset.name}" in (REPO / "docs" / "running.md").read_text()


def load(*names: str) -> dict:
    return load_config(REPO / "config.yaml", *(REPO / "presets" / n for n in names))


def test_the_protocol_of_issue_17():
    hypotheses = load("hypotheses.yaml")
    runs = ["paper", "two-layers", "keras-mean", "beta1.5", "beta2", "batch32"]
    assert list(hypotheses["runs"]) == runs and hypotheses["nz"] == [100]
    batch32 = run_config(hypotheses, "batch32")["train"]
    assert batch32["batch_size"] == 32 and batch32["schedule"] == hypotheses["train"]["schedule"]
    screen = load("hypotheses.yaml", "epochs50.yaml")["train"]["schedule"]
    assert [s["epochs"] for s in screen] == [30, 10, 10]
    assert [s["lr"] for s in screen] == [5e-4, 1e-4, 5e-5]
    assert load("nz-study.yaml")["nz"] == [2, 5, 10, 20, 100]
    seeds = load("seeds.yaml", "main-nz.yaml")
    assert seeds["nz"] == [100] and [r.get("seed", 0) for r in seeds["runs"].values()] == [0, 1, 2]
    sweep = load("sweep-cpu.yaml")["sweep"]
    assert sweep["nz"] == [2, 4, 6, 8, 14, 20, 30, 50, 100]
    assert (sweep["lr"], sweep["batch_size"], sweep["epochs"]) == ([0.001], [100], 100)
