"""GPU slots: concurrent jobs on a workstation with (faked) several GPUs get their own GPU."""

import os
import subprocess
import sys
import textwrap

import pytest

from vaeconcepts import gpuslots

# A job: claims a GPU, prints it, holds it until stdin says "exit".
JOB = textwrap.dedent(
    """
    import sys
    from vaeconcepts.gpuslots import claim_gpu
    print(claim_gpu(sys.argv[1]), flush=True)
    sys.stdin.readline()
    """
)


@pytest.fixture
def fake_gpus(tmp_path, monkeypatch):
    """Two GPUs, a private lock directory, not under SLURM; returns a job launcher."""
    monkeypatch.setenv(gpuslots.GPUS_ENV, "2")
    monkeypatch.setenv(gpuslots.LOCKS_ENV, str(tmp_path / "locks"))
    for var in ("CUDA_VISIBLE_DEVICES", "SLURM_JOB_ID"):
        monkeypatch.delenv(var, raising=False)
    jobs = []

    def start(device="auto", **env):
        base = {k: v for k, v in os.environ.items() if k != "CUDA_VISIBLE_DEVICES"}
        proc = subprocess.Popen(
            [sys.executable, "-c", JOB, device],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**base, **env},
        )
        jobs.append(proc)
        return proc, proc.stdout.readline().strip()

    yield start
    for proc in jobs:
        proc.kill()
        proc.wait()


def stop(proc):
    proc.communicate("exit\n", timeout=30)


def test_concurrent_jobs_get_different_gpus(fake_gpus):
    (_, a), (_, b) = fake_gpus(), fake_gpus()
    assert {a, b} == {"0", "1"}


def test_a_released_slot_is_reused(fake_gpus):
    job_a, a = fake_gpus()
    _, b = fake_gpus()
    stop(job_a)
    _, c = fake_gpus()
    assert c == a and c != b


def test_a_crashed_job_frees_its_slot(fake_gpus):
    job_a, a = fake_gpus()
    job_a.kill()
    job_a.wait()
    assert fake_gpus()[1] == a


def test_more_jobs_than_gpus_share_them_evenly(fake_gpus):
    gpus = [fake_gpus()[1] for _ in range(5)]
    assert gpus == ["0", "1", "0", "1", "0"]


def test_cuda_visible_devices_restricts_the_choice(fake_gpus):
    env = {"CUDA_VISIBLE_DEVICES": "2,3"}
    assert [fake_gpus(**env)[1] for _ in range(3)] == ["2", "3", "2"]


def test_nothing_for_cpu_slurm_or_no_gpu(fake_gpus):
    assert fake_gpus("cpu")[1] == "None"
    assert fake_gpus(SLURM_JOB_ID="42")[1] == "None"
    assert fake_gpus(**{gpuslots.GPUS_ENV: "0"})[1] == "None"
    assert fake_gpus()[1] == "0"  # none of the above took a slot


def test_claim_sets_cuda_visible_devices_in_process(fake_gpus, monkeypatch):
    messages = []
    assert gpuslots.claim_gpu("auto", messages.append) == "0"
    try:
        assert os.environ["CUDA_VISIBLE_DEVICES"] == "0"
        assert messages == ["GPU slot 0 of 2 GPUs: CUDA_VISIBLE_DEVICES=0"]
        assert fake_gpus()[1] == "1"  # another process sees the slot taken
    finally:
        gpuslots.release_gpus()
        monkeypatch.delenv("CUDA_VISIBLE_DEVICES")
