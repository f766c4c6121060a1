"""The tiny workflow on a real SLURM through profiles/slurm: jobs go through sbatch (and
show in sacct) and give the same arrays as the local run.

Needs a SLURM cluster on this machine: `sudo bash tests/slurm/start-slurm.sh` starts one
(CI does so in .ci/run). Skipped without one, except under CI, where that is a failure.
"""

import os
import re
import shutil
import subprocess
import time

import h5py
import numpy as np
import pandas as pd
import pytest
import torch
from conftest import REPO, run_snakemake

pytestmark = [pytest.mark.e2e, pytest.mark.slurm]

TARGET = "fig4"  # training, latents, noise, rollouts (GPU rules), a statistic and a figure
GPU_RULES = {"train_vae", "rollout"}


def slurm_problem() -> str | None:
    """Why SLURM cannot run jobs here (None when a node is up and sacct answers)."""
    for tool in ("sbatch", "sinfo", "sacct"):
        if shutil.which(tool) is None:
            return f"`{tool}` not found"
    sinfo = subprocess.run(["sinfo", "-h", "-o", "%T"], capture_output=True, text=True)
    if sinfo.returncode != 0 or not re.search(r"^(idle|mixed|allocated)", sinfo.stdout, re.M):
        return f"no usable node: sinfo says {(sinfo.stdout + sinfo.stderr).strip()!r}"
    sacct = subprocess.run(["sacct", "-n", "-X"], capture_output=True, text=True)
    if sacct.returncode != 0:
        return f"sacct fails: {sacct.stderr.strip()!r}"
    return None


def node_has_gpus() -> bool:
    """Whether the node offers GPUs (GRES); start-slurm.sh gives it two counted ones."""
    out = subprocess.run(["scontrol", "show", "nodes"], capture_output=True, text=True).stdout
    return bool(re.search(r"\bGres=gpu", out))


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def sacct_jobs(run_id: str, n: int, timeout: float = 60) -> dict[str, dict]:
    """sacct's record of the jobs named `run_id` (the plugin names jobs by its run ID),
    waiting until all `n` have reached the accounting database."""
    fields = "JobID,JobName,State,AllocTRES"
    # sacct lists only jobs since midnight unless told: a run across midnight lost its first jobs
    cmd = ["sacct", "-X", "-n", "--parsable2", f"--format={fields}", "--name", run_id]
    cmd += ["--starttime", "now-2days"]
    deadline = time.monotonic() + timeout
    while True:
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        rows = [
            dict(zip(fields.split(","), line.split("|"), strict=True)) for line in out.splitlines()
        ]
        jobs = {row["JobID"]: row for row in rows}
        if len(jobs) >= n or time.monotonic() > deadline:
            return jobs
        time.sleep(2)


def arrays(path) -> dict[str, np.ndarray]:
    out = {}
    with h5py.File(path) as f:
        f.visititems(lambda k, v: out.update({k: v[()]}) if isinstance(v, h5py.Dataset) else 0)
    return out


@pytest.fixture(scope="session")
def slurm_cluster():
    """Skip (fail under CI) before anything is run when SLURM is not up."""
    problem = slurm_problem()
    if problem:
        message = (
            f"no SLURM here ({problem}); start one with `sudo bash tests/slurm/start-slurm.sh`"
        )
        if in_ci():
            pytest.fail(f"CI is set but {message}")
        pytest.skip(message)


@pytest.fixture(scope="module")
def slurm_run(slurm_cluster, tiny_run, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("slurm")
    # Without GPUs on the node, `--gpus=1` jobs would wait forever: ask for none.
    no_gpus = [] if node_has_gpus() else ["--set-resources", *(f"{r}:gpu=0" for r in GPU_RULES)]
    proc = run_snakemake(
        workdir,
        TARGET,
        *("--workflow-profile", str(REPO / "profiles" / "slurm")),
        *("--slurm-init-seconds-before-status-checks", "1"),
        *no_gpus,
        config=tiny_run[1],
    )
    return workdir, proc.stdout + proc.stderr


def test_jobs_went_through_sbatch_and_show_in_sacct(slurm_run):
    workdir, log = slurm_run
    run_id = re.search(r"SLURM run ID: (\S+)", log).group(1)
    # "Job 3 has been submitted with SLURM jobid 42 (log: .../rule_train_vae/42.log)."
    submitted = dict(re.findall(r"submitted with SLURM jobid (\d+) \(log: \S*/rule_(\w+)/", log))
    rules = set(submitted.values())
    assert {"train_vae", "latents", "noisy_inputs", "rollout", "min_distance"} <= rules
    assert "dataset" not in rules and re.search(r"^localrule dataset:", log, re.M)  # downloads
    assert f"plot_{TARGET}" in rules
    accounted = sacct_jobs(run_id, len(submitted))
    assert set(accounted) == set(submitted)
    assert {job["State"] for job in accounted.values()} == {"COMPLETED"}
    if node_has_gpus():  # only the training and rollout jobs asked for (and got) a GPU
        with_gpu = {rule for jid, rule in submitted.items() if "gpu" in accounted[jid]["AllocTRES"]}
        assert with_gpu == GPU_RULES


def test_outputs_equal_those_of_the_local_run(slurm_run, tiny_run):
    workdir, _ = slurm_run
    local, _ = tiny_run
    h5_files = sorted(workdir.glob("results/**/*.h5"))
    assert len(h5_files) > 5
    for path in h5_files:
        ours, theirs = arrays(path), arrays(local / path.relative_to(workdir))
        assert ours.keys() == theirs.keys(), path
        for key in ours:
            np.testing.assert_array_equal(ours[key], theirs[key], err_msg=f"{path}: {key}")
    for path in workdir.glob("results/runs/*/models/nz*/model.pt"):
        ours, theirs = (
            torch.load(p, weights_only=True)["state_dict"]
            for p in (path, local / path.relative_to(workdir))
        )
        assert all(torch.equal(ours[k], theirs[k]) for k in ours)
    for path in workdir.glob("results/runs/*/stats/*.csv"):
        pd.testing.assert_frame_equal(
            pd.read_csv(path), pd.read_csv(local / path.relative_to(workdir))
        )
    for run in tiny_run[1]["runs"]:
        assert (workdir / f"results/runs/{run}/figures/{TARGET}.png").stat().st_size > 5000
