"""GPU slots: concurrent jobs on a workstation with (faked) several GPUs get their own GPU."""

import os
import subprocess
import sys
import textwrap

import pytest

from vaeconcepts.infra import gpuslots

# A job: claims a GPU, prints it, holds it until stdin says "exit".
JOB = textwrap.dedent(
    """
    import sys
    from vaeconcepts.infra.gpuslots import claim_gpu
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


def test_nothing_for_cpu_one_bound_gpu_or_no_gpu(fake_gpus):
    assert fake_gpus("cpu")[1] == "None"
    # SLURM bound one GPU to the job: it is the only one visible, nothing to choose
    assert fake_gpus(SLURM_JOB_ID="42", CUDA_VISIBLE_DEVICES="3")[1] == "3"
    assert fake_gpus(**{gpuslots.GPUS_ENV: "0"})[1] == "None"
    assert fake_gpus()[1] == "0"  # none of the above took a slot


def test_slots_inside_an_allocation_with_several_gpus(fake_gpus):
    """A local run inside `salloc --gpus=2`: SLURM_JOB_ID is set, two GPUs are visible."""
    env = {"SLURM_JOB_ID": "42", "CUDA_VISIBLE_DEVICES": "0,1"}
    assert {fake_gpus(**env)[1], fake_gpus(**env)[1]} == {"0", "1"}


def test_the_lock_directory_is_created_private(fake_gpus, tmp_path):
    fake_gpus()
    assert (tmp_path / "locks").stat().st_mode & 0o777 == 0o700


def test_a_lock_directory_open_to_others_is_refused(tmp_path):
    locks = tmp_path / "open"
    locks.mkdir(mode=0o777)
    locks.chmod(0o777)
    with pytest.raises(gpuslots.GPULockError, match=rf"{locks}: .*mode 0o777"):
        gpuslots.acquire_slot(["0"], locks)


@pytest.mark.skipif(os.geteuid() != 0, reason="making a directory of another user needs root")
def test_a_lock_directory_of_another_user_is_refused(tmp_path):
    locks = tmp_path / "theirs"
    locks.mkdir(mode=0o700)
    os.chown(locks, 65534, 65534)
    with pytest.raises(gpuslots.GPULockError, match=rf"{locks}: .*owned by uid 65534"):
        gpuslots.acquire_slot(["0"], locks)


def test_a_planted_link_is_not_followed(tmp_path):
    locks = tmp_path / "locks"
    locks.mkdir(mode=0o700)
    target = tmp_path / "victim"
    (locks / "gpu0.0.lock").symlink_to(target)
    with pytest.raises(gpuslots.GPULockError, match="gpu0.0.lock: a symbolic link"):
        gpuslots.acquire_slot(["0"], locks)
    assert not target.exists()
    (locks / "lockdir").symlink_to(tmp_path)  # the directory itself a link
    with pytest.raises(gpuslots.GPULockError, match="not a directory"):
        gpuslots.acquire_slot(["0"], locks / "lockdir")


def test_claim_sets_cuda_visible_devices_in_process(fake_gpus, monkeypatch):
    messages = []
    assert gpuslots.claim_gpu("auto", messages.append) == "0"
    try:
        assert os.environ["CUDA_VISIBLE_DEVICES"] == "0"
        assert messages == ["GPU slot 0 of 2 GPUs: CUDA_VISIBLE_DEVICES=0"]
        assert fake_gpus()[1] == "1"  # another process sees the slot taken
    finally:
        while gpuslots._held:  # the slot's lock, freed at exit anyway
            os.close(gpuslots._held.pop())
        monkeypatch.delenv("CUDA_VISIBLE_DEVICES")


def test_a_failing_nvidia_smi_is_a_warning_that_names_the_cause(tmp_path, monkeypatch, caplog):
    smi = tmp_path / "nvidia-smi"
    smi.write_text("#!/bin/sh\necho 'NVIDIA-SMI has failed: driver mismatch' >&2\nexit 9\n")
    smi.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv(gpuslots.GPUS_ENV, raising=False)
    with caplog.at_level("WARNING", logger="vaeconcepts"):
        assert gpuslots.count_gpus() == 0
    assert "nvidia-smi failed (NVIDIA-SMI has failed: driver mismatch)" in caplog.text
    assert gpuslots.GPUS_ENV in caplog.text
