"""envs/*.yaml (conda) stay consistent with pyproject.toml."""

import re
import tomllib

import yaml
from conftest import REPO

# Workflow-engine packages run Snakemake itself, outside the jobs' environment.
ENGINE = {"snakemake", "snakemake-executor-plugin-slurm"}


def _split(requirement: str) -> tuple[str, str]:
    name, spec = re.match(r"([A-Za-z0-9_.\-]+)\s*(.*)", requirement).groups()
    return name.lower(), spec.replace(" ", "")


def test_conda_env_matches_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = dict(_split(r) for r in project["dependencies"] if _split(r)[0] not in ENGINE)
    env = yaml.safe_load((REPO / "envs" / "vaeconcepts.yaml").read_text())
    found = {}
    for dep in env["dependencies"]:
        for req in dep["pip"] if isinstance(dep, dict) else [dep]:
            name, spec = _split(req)
            if name not in ("python", "pip"):
                found[name] = spec
    assert found == wanted
