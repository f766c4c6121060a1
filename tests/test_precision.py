"""model.precision: bf16 is refused by name where the device has no bf16 arithmetic; a bf16
model trains, is saved, loaded and resumed, and its history and model file say bf16."""

import copy

import pytest
import torch
import yaml
from conftest import REPO

from vaeconcepts.config.validation import ConfigError, validate_config
from vaeconcepts.paper.model import VAE, elbo_terms, load_model, save_model
from vaeconcepts.training import precision
from vaeconcepts.training.checkpoint import Checkpoint
from vaeconcepts.training.job import one_vae, side_by_side
from vaeconcepts.training.stacked.batched_training import train_stacked
from vaeconcepts.training.train import train_vae

HAS_BF16 = precision.bf16_unsupported("cpu") is None
needs_bf16 = pytest.mark.skipif(not HAS_BF16, reason="this CPU has no bf16 instructions")


def test_bf16_is_refused_on_a_cpu_without_bf16_instructions():
    with pytest.raises(ValueError, match="precision 'bf16' on cpu: the CPU has none of the bf16"):
        precision.check_precision("bf16", "cpu", flags={"avx2", "avx512f"})
    precision.check_precision("bf16", "cpu", flags={"avx512f", "avx512_bf16"})
    precision.check_precision("bf16", "cpu", flags={"amx_bf16"})
    precision.check_precision("fp32", "cpu", flags=set())  # fp32 runs anywhere


def test_cpu_flags_are_read_from_cpuinfo(tmp_path):
    info = tmp_path / "cpuinfo"
    info.write_text("processor\t: 0\nflags\t\t: fpu avx512f avx512_bf16\n\nprocessor\t: 1\n")
    assert precision.cpu_flags(info) == {"fpu", "avx512f", "avx512_bf16"}
    assert precision.cpu_flags(tmp_path / "none") == set()


@pytest.mark.parametrize("where", ["top", "run"])
def test_validation_checks_the_value_not_the_machine(monkeypatch, where):
    """Under SLURM validation runs on the login node: with `device: cuda` and bf16 on a
    machine with neither, it passes (the training job checks its own node); a wrong value
    still stops it, naming the key."""
    monkeypatch.setattr(precision, "cpu_flags", lambda: {"avx2"})  # a CPU without bf16
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    config = yaml.safe_load((REPO / "config.yaml").read_text())
    config["device"] = "cuda"
    if where == "top":
        config["model"]["precision"] = "bf16"
        key = "model.precision"
    else:
        config["runs"] = {"paper": {}, "fast": {"model": {"precision": "bf16"}}}
        key = "runs.fast.model.precision"
    assert validate_config(copy.deepcopy(config))
    if where == "top":
        config["model"]["precision"] = "fp16"
    else:
        config["runs"]["fast"]["model"]["precision"] = "fp16"
    with pytest.raises(ConfigError, match=rf"{key}"):
        validate_config(config)


def test_the_training_step_refuses_bf16_where_it_would_be_emulated(monkeypatch):
    monkeypatch.setattr(precision, "cpu_flags", lambda: set())
    x = torch.rand(20, 784)
    with pytest.raises(ValueError, match="bf16"):
        train_vae(
            VAE(2, hidden=8, precision="bf16"), x, x, one_vae([{"lr": 1e-3, "epochs": 1}], 10, 0)
        )


def test_the_elbo_terms_are_fp32_under_bf16_autocast():
    model = VAE(3, hidden=16)
    x = torch.rand(5, 784)
    with precision.autocast("bf16", "cpu"):
        assert model.encode(x)[0].dtype == torch.bfloat16  # the layers run in bf16
        log_px, kl = elbo_terms(model, x)
    assert log_px.dtype == kl.dtype == torch.float32


@needs_bf16
def test_a_bf16_model_trains_saves_loads_and_resumes(tmp_path):
    x = torch.rand(300, 784)
    schedule = [{"lr": 1e-3, "epochs": 3}, {"lr": 1e-4, "epochs": 2}]

    def fresh():
        torch.manual_seed(0)
        return VAE(3, hidden=32, precision="bf16")

    whole = fresh()
    history = train_vae(whole, x, x[:50], one_vae(schedule, 64, seed=5, log=lambda s: None))
    assert [row["precision"] for row in history] == ["bf16"] * 5
    assert history[-1]["train_elbo"] > history[0]["train_elbo"]  # it learns
    fp32 = VAE(3, hidden=32)
    fp32.load_state_dict(fresh().state_dict())
    fp32_history = train_vae(fp32, x, x[:50], one_vae(schedule, 64, seed=5, log=lambda s: None))
    assert history[-1]["train_elbo"] != fp32_history[-1]["train_elbo"]  # bf16 did run
    assert history[-1]["train_elbo"] == pytest.approx(fp32_history[-1]["train_elbo"], rel=0.02)
    # weights stay fp32 (the master copy), and the file says how they were trained
    assert all(t.dtype == torch.float32 for t in whole.state_dict().values())
    save_model(tmp_path / "model.pt", whole)
    loaded = load_model(tmp_path / "model.pt")
    assert loaded.precision == "bf16" and loaded.hparams() == whole.hparams()
    # resumed after 3 epochs: the same weights as the run without a stop
    part = fresh()
    ckpt = Checkpoint(tmp_path / "c.pt", {"precision": "bf16"}, every=1, log=lambda s: None)
    train_vae(
        part, x, x[:50], one_vae(schedule[:1], 64, seed=5, log=lambda s: None, checkpoint=ckpt)
    )
    resumed = VAE(3, hidden=32, precision="bf16")
    again = train_vae(
        resumed, x, x[:50], one_vae(schedule, 64, seed=5, log=lambda s: None, checkpoint=ckpt)
    )
    assert [row["epoch"] for row in again] == [1, 2, 3, 4, 5]
    for a, b in zip(whole.state_dict().values(), resumed.state_dict().values(), strict=True):
        assert torch.equal(a, b)


@needs_bf16
def test_stacked_bf16_models_train_in_bf16():
    x = torch.rand(200, 784)
    vaes = []
    for seed, nz in ((0, 2), (1, 4)):
        torch.manual_seed(seed)
        vaes.append(VAE(nz, hidden=16, precision="bf16"))
    schedules = [[{"lr": 1e-3, "epochs": 2}]] * 2
    trained, histories = train_stacked(
        vaes, x, x[:40], side_by_side(schedules, 50, [0, 1], log=lambda s: None)
    )
    assert [v.precision for v in trained] == ["bf16", "bf16"]
    assert all(row["precision"] == "bf16" for h in histories for row in h)
    with pytest.raises(ValueError, match="precision"):
        train_stacked([VAE(2, hidden=16), vaes[0]], x, x, side_by_side(schedules, 50, [0, 1]))
