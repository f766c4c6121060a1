"""The runs sheet end to end, as dry runs against `tiny_run` (runs paper and flip): each
run reruns alone, a new run builds only itself, shared stages are built once."""

import copy
import json

import h5py
import pandas as pd
import pytest
from conftest import TINY_RUN_TARGETS, dry_run_jobs, run_snakemake, target_rules

from vaeconcepts.scorecard.study import CLAIMS

pytestmark = pytest.mark.e2e
SHARED = {"dataset", "noisy_inputs", "train_classifier"}


def jobs_with(workdir, config, runs) -> list[dict]:
    config = copy.deepcopy(config)
    config["runs"] = runs
    proc = run_snakemake(workdir, *TINY_RUN_TARGETS, "-n", config=config)
    return [j for j in dry_run_jobs(proc.stdout + proc.stderr) if j["rule"] not in target_rules()]


def runs_of(jobs) -> set[str]:
    return {j["wildcards"].get("run") for j in jobs}


def test_a_noise_only_run_trains_nothing_and_reads_the_shared_models(tiny_run):
    workdir, config = tiny_run
    assert not (workdir / "results/runs/flip/models").exists()
    assert not (workdir / "results/runs/flip/latents").exists()
    path = workdir / "results/runs/flip/trajectories/nz5/p0.20/label6.h5"
    with h5py.File(path) as f:
        inputs = json.loads(f.attrs["provenance"])["inputs"]
        assert f.attrs["mode"] == "flip"
    assert set(inputs) == {
        "results/runs/paper/models/nz5/model.pt",
        "results/noisy/mnist/flip/p0.20/label6.h5",
    }
    cards = pd.read_csv(workdir / "results/study/claims.csv")
    assert set(cards["run"]) == {"paper", "flip"} and len(cards) == 2 * len(CLAIMS)
    assert set(cards["noise_mode"]) == {"permute", "flip"}


def test_changing_one_runs_seed_reruns_that_run_only(tiny_run):
    workdir, config = tiny_run
    jobs = jobs_with(workdir, config, {"paper": {}, "flip": {"seed": 7, "noise": {"mode": "flip"}}})
    assert runs_of(jobs) == {"flip", None}  # None: the study over every run
    assert [j["rule"] for j in jobs if "run" not in j["wildcards"]] == ["study"]
    trained = sorted(j["wildcards"]["nz"] for j in jobs if j["rule"] == "train_vae")
    assert trained == sorted(str(nz) for nz in {*config["nz"], *config["onset"]["nz"]})
    assert not SHARED & {j["rule"] for j in jobs}


def test_adding_a_run_builds_only_that_run(tiny_run):
    workdir, config = tiny_run
    runs = {**config["runs"], "torch-init": {"model": {"init": "torch"}}}
    jobs = jobs_with(workdir, config, runs)
    assert runs_of(jobs) == {"torch-init", None}
    assert {"train_vae", "sweep_vae", "rollout", "claims"} <= {j["rule"] for j in jobs}
    assert not SHARED & {j["rule"] for j in jobs}


def test_a_second_noise_only_run_reuses_models_and_noisy_inputs(tiny_run):
    workdir, config = tiny_run
    runs = {**config["runs"], "flip2": {"noise": {"mode": "flip"}}}
    jobs = jobs_with(workdir, config, runs)
    assert runs_of(jobs) == {"flip2", None}
    rules = {j["rule"] for j in jobs}
    assert not rules & {"train_vae", "latents", "sweep_vae", *SHARED}
    assert {"rollout", "concept_curves", "claims", "study"} <= rules


def test_bad_run_names_and_keys_stop_the_workflow_naming_the_key(tiny_run, tmp_path):
    _, config = tiny_run
    for runs, key in (({"a/b": {}}, "runs.a/b"), ({"x": {"sede": 1}}, "runs.x.sede")):
        bad = copy.deepcopy(config)
        bad["runs"] = runs
        proc = run_snakemake(tmp_path, "-n", config=bad, check=False)
        assert proc.returncode != 0 and f"config key '{key}'" in proc.stdout + proc.stderr
