"""envs/*.yaml (conda): pinned to the versions the tests run with, within pyproject.toml,
and solvable by conda or mamba where one is installed."""

import importlib.metadata
import re
import shutil
import subprocess
import tomllib

import pytest
import yaml
from conftest import REPO
from packaging.specifiers import SpecifierSet

ENV = REPO / "envs" / "vaeconcepts.yaml"
# Workflow-engine packages run Snakemake itself, outside the jobs' environment.
ENGINE = {"snakemake"}


def _split(requirement: str) -> tuple[str, str]:
    name, spec = re.match(r"([A-Za-z0-9_.\-]+)\s*(.*)", requirement).groups()
    return name.lower(), spec.replace(" ", "")


def pins() -> dict[str, str]:
    """Package -> exact version of the conda environment (conda `=x` and pip `==x`)."""
    env = yaml.safe_load(ENV.read_text())
    found = {}
    for dep in env["dependencies"]:
        for req in dep["pip"] if isinstance(dep, dict) else [dep]:
            name, spec = _split(req)
            if name not in ("python", "pip"):
                assert re.fullmatch(r"==?[0-9][0-9.]*", spec), f"{req}: not an exact pin"
                found[name] = spec.lstrip("=")
    return found


def test_conda_env_pins_the_tested_versions_within_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = dict(_split(r) for r in project["dependencies"] if _split(r)[0] not in ENGINE)
    found = pins()
    assert found.keys() == wanted.keys()
    for name, version in found.items():
        assert version in SpecifierSet(wanted[name]), f"{name} {version} not in {wanted[name]}"
        assert importlib.metadata.version(name) == version, f"tests ran {name} of another version"


@pytest.mark.skipif(not (shutil.which("mamba") or shutil.which("conda")), reason="no conda")
def test_conda_env_solves(tmp_path):
    tool = shutil.which("mamba") or shutil.which("conda")
    cmd = [tool, "env", "create", "--dry-run", "-f", str(ENV), "-p", str(tmp_path / "env")]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stdout + proc.stderr


CONSTRAINTS = REPO / "envs" / "constraints.txt"


def constraints() -> dict[str, str]:
    lines = [ln.split("#")[0].strip() for ln in CONSTRAINTS.read_text().splitlines()]
    return dict(ln.lower().split("==") for ln in lines if ln)


def test_the_package_takes_ranges_and_envs_pins_exactly_what_the_tests_ran():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["test"]
    ranges = dict(_split(r.split(";")[0]) for r in requirements)
    assert not [n for n, spec in ranges.items() if spec.startswith("==")], (
        "exact pins belong in envs/"
    )
    pinned = constraints()
    assert ranges.keys() <= pinned.keys()
    for name, version in pinned.items():
        assert importlib.metadata.version(name) == version, f"tests ran {name} of another version"
        if name in ranges:
            assert version in SpecifierSet(ranges[name]), f"{name} {version} not in {ranges[name]}"
    for name, version in pins().items():  # the conda environment pins the same
        assert pinned[name] == version, f"{name}: {version} in envs/vaeconcepts.yaml"
    assert "-c envs/constraints.txt" in (REPO / ".ci" / "run").read_text()
