"""Resumable training: a job killed (SIGTERM, SIGINT or SIGKILL) and restarted ends with the weights
of an uninterrupted run; a SIGTERM leaves no temporary file; a foreign checkpoint is ignored."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import torch
from conftest import synthetic_mnist

from vaeconcepts.data.splits import DataInfo
from vaeconcepts.infra import h5io
from vaeconcepts.paper.model import VAE, save_model
from vaeconcepts.training.checkpoint import Checkpoint
from vaeconcepts.training.job import one_vae
from vaeconcepts.training.train import train_vae

# One training job as the workflow runs it (job.start_job, a Checkpoint beside the model),
# on a synthetic dataset: python job.py DATA OUTDIR [SEED]
JOB = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from types import SimpleNamespace

    from vaeconcepts.infra import h5io
    from vaeconcepts.training.checkpoint import Checkpoint
    from vaeconcepts.infra.job import start_job
    from vaeconcepts.paper.model import save_model
    from vaeconcepts.training.job import Member, TrainingJob
    from vaeconcepts.training.train import fit_vae

    class Wildcards(dict):
        pass

    data, out = sys.argv[1], Path(sys.argv[2])
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    job = SimpleNamespace(log=[str(out / "train.log")], rule="train_vae", wildcards=Wildcards())
    log = start_job(job)
    schedule = [{"lr": 1e-3, "epochs": 25}, {"lr": 1e-4, "epochs": 15}]
    model = {"hidden": 128, "n_samples": 2, "init": "keras"}
    meta = {"schedule": schedule, "seed": seed, **model}
    checkpoint = Checkpoint(out / "checkpoint.pt", meta, every=1, log=log.info)
    member = Member(4, schedule, seed)
    training = TrainingJob([member], 50, model, data=data, checkpoint=checkpoint, log=log.info)
    vae, history = fit_vae(training)
    save_model(out / "model.pt", vae)
    checkpoint.remove()
    """
)


@pytest.fixture(scope="module")
def job(tmp_path_factory):
    """(script, dataset file) of the training job above."""
    root = tmp_path_factory.mktemp("resume")
    arrays = synthetic_mnist(2000, 200)
    arrays = {k: v.reshape(len(v), -1) if "images" in k else v for k, v in arrays.items()}
    h5io.write_h5(
        root / "data.h5", arrays, attrs=DataInfo("synthetic", (28, 28), tuple("0123456789")).attrs()
    )
    (root / "job.py").write_text(JOB)
    return root / "job.py", root / "data.h5"


def run_job(job, out: Path, kill: int | None = None, seed: int = 0) -> subprocess.CompletedProcess:
    """Run the job into `out`; with `kill`, send that signal to its process group once a
    checkpoint is on disk (as Ctrl-C in a terminal, or `kill -TERM -PGID`, does)."""
    out.mkdir(parents=True, exist_ok=True)
    script, data = job
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    cmd = [sys.executable, str(script), str(data), str(out), str(seed)]
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    if kill is not None:
        deadline = time.monotonic() + 120
        while not (out / "checkpoint.pt").exists() and proc.poll() is None:
            assert time.monotonic() < deadline, "no checkpoint appeared"
            time.sleep(0.002)
        os.killpg(proc.pid, kill)
    stdout, _ = proc.communicate(timeout=300)
    return subprocess.CompletedProcess(cmd, proc.returncode, stdout.decode(), None)


@pytest.fixture(scope="module")
def uninterrupted(job, tmp_path_factory):
    out = tmp_path_factory.mktemp("uninterrupted")
    assert run_job(job, out).returncode == 0
    return (out / "model.pt").read_bytes()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_killed_and_restarted_job_ends_with_the_uninterrupted_weights(
    job, uninterrupted, tmp_path, sig
):
    killed = run_job(job, tmp_path, kill=sig)
    assert killed.returncode == {signal.SIGTERM: 143, signal.SIGINT: 130}.get(sig, -sig)
    assert (tmp_path / "checkpoint.pt").exists() and not (tmp_path / "model.pt").exists()
    stopped_at = torch.load(tmp_path / "checkpoint.pt", weights_only=True)["epoch"]
    assert 1 <= stopped_at < 40
    if sig != signal.SIGKILL:
        assert f"terminated by signal {sig.name}" in (tmp_path / "train.log").read_text()
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [
            ".train.log.attempts"
        ]  # no temporary file of the checkpoint or the model is left

    resumed = run_job(job, tmp_path)
    assert resumed.returncode == 0, resumed.stdout
    assert (tmp_path / "model.pt").read_bytes() == uninterrupted  # bit-identical
    assert not (tmp_path / "checkpoint.pt").exists()  # removed once the model is written
    log = (tmp_path / "train.log").read_text()
    assert f"resuming from checkpoint {tmp_path / 'checkpoint.pt'}" in log
    assert log.count("==== train_vae") == 2  # both attempts, each under its dated header
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp, no attempts


def test_a_checkpoint_of_other_settings_is_ignored(job, uninterrupted, tmp_path):
    assert run_job(job, tmp_path, kill=signal.SIGTERM, seed=1).returncode == 143
    resumed = run_job(job, tmp_path, seed=0)
    assert resumed.returncode == 0
    assert "ignoring checkpoint" in (tmp_path / "train.log").read_text()
    assert (tmp_path / "model.pt").read_bytes() == uninterrupted


def test_resuming_in_process_equals_one_run(tmp_path):
    """The same at the library level: stop after 3 of 5 epochs, go on, compare."""
    x = torch.rand(300, 784)
    schedule = [{"lr": 1e-3, "epochs": 3}, {"lr": 1e-4, "epochs": 2}]

    def fresh():
        torch.manual_seed(0)
        return VAE(3, hidden=32)

    whole = fresh()
    train_vae(whole, x, x[:50], one_vae(schedule, 64, seed=5, log=lambda s: None))
    part = fresh()
    ckpt = Checkpoint(tmp_path / "c.pt", {"k": 1}, every=1, log=lambda s: None)
    train_vae(
        part, x, x[:50], one_vae(schedule[:1], 64, seed=5, log=lambda s: None, checkpoint=ckpt)
    )
    resumed = VAE(3, hidden=32)  # other initial weights: all come from the checkpoint
    history = train_vae(
        resumed, x, x[:50], one_vae(schedule, 64, seed=5, log=lambda s: None, checkpoint=ckpt)
    )
    assert [row["epoch"] for row in history] == [1, 2, 3, 4, 5]
    for a, b in zip(whole.state_dict().values(), resumed.state_dict().values(), strict=True):
        assert torch.equal(a, b)


def test_saved_models_are_byte_identical(tmp_path):
    torch.manual_seed(0)
    model = VAE(3, hidden=16)
    save_model(tmp_path / "a.pt", model, extra={"provenance": "x"})
    save_model(tmp_path / "b" / "model.pt", model, extra={"provenance": "x"})
    assert (tmp_path / "a.pt").read_bytes() == (tmp_path / "b" / "model.pt").read_bytes()
