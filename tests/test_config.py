"""The config schema: the shipped configs pass; each kind of bad value fails naming the key."""

import copy

import pytest
import yaml
from conftest import REPO, load_config, run_snakemake

from vaeconcepts.config.runs import train_settings
from vaeconcepts.config.validation import ConfigError, validate_config


@pytest.fixture
def config():
    return yaml.safe_load((REPO / "config.yaml").read_text())


def test_shipped_configs_are_valid():
    load_config(REPO / "config.yaml")
    load_config(REPO / "config.yaml", REPO / "presets" / "quick.yaml")
    load_config(REPO / "config.yaml", REPO / "presets" / "cpu.yaml")
    seeds = load_config(REPO / "config.yaml", REPO / "presets" / "seeds.yaml")
    assert list(seeds["runs"]) == ["paper", "seed1", "seed2"]
    beta = load_config(REPO / "config.yaml", REPO / "presets" / "beta.yaml")
    assert [r.get("model", {}).get("beta", 1) for r in beta["runs"].values()] == [1, 0.5, 2, 4]
    ablation = load_config(REPO / "config.yaml", REPO / "presets" / "ablation.yaml")
    assert len(ablation["runs"]) == 5 and ablation["nz"] == [100]


@pytest.mark.parametrize(
    "edit, key",
    [
        (lambda c: c.update(unknown_key=1), "unknown_key"),
        (lambda c: c["train"].update(epochz=3), "train.epochz"),
        (lambda c: c.update(nz=[2, 0]), "nz[1]"),
        (lambda c: c["train"]["schedule"][1].update(lr=-1e-4), "train.schedule[1].lr"),
        (lambda c: c["sweep"].update(lr=[0.01, 0]), "sweep.lr[1]"),
        (lambda c: c.update(data_dir="/no/such/dir"), "data_dir"),
        (lambda c: c["noise"].update(mode="salt"), "noise.mode"),
        (lambda c: c["min_distance"].update(p=[0.2, 1.5]), "min_distance.p[1]"),
        (lambda c: c["concept_curves"].update(n_trials=10_000), "concept_curves.n_trials"),
        (
            lambda c: c["train"]["per_nz"].update({100: {"batch_size": 0}}),
            "train.per_nz.100.batch_size",
        ),
        (lambda c: c.pop("seed"), "seed"),
        (lambda c: c["model"].update(init="glorot"), "model.init"),
        (lambda c: c["model"].update(layers=0), "model.layers"),
        (lambda c: c["model"].update(objective="mean"), "model.objective"),
        (lambda c: c["model"].update(beta=float("nan")), "model.beta"),
        (lambda c: c["runs"].update(b={"model": {"beta": float("inf")}}), "runs.b.model.beta"),
        (lambda c: c["train"]["schedule"][0].update(lr=float("inf")), "train.schedule[0].lr"),
        (lambda c: c["sweep"].update(lr=[0.01, float("nan")]), "sweep.lr[1]"),
        (lambda c: c.update(active_threshold=float("nan")), "active_threshold"),
        (lambda c: c["runs"].update(b={"model": {"beta": 0}}), "runs.b.model.beta"),
        (lambda c: c["min_distance"].update(p=[0.1, 0.104]), "min_distance.p[1]"),
        (lambda c: c["min_distance"].update(p=[0.1, 0.2, 0.1]), "min_distance.p"),
        (lambda c: c["concept_curves"].update(p=0.125), "concept_curves.p"),
        (lambda c: c["sweep"].update(lr=[0.001, 0.0012345678]), "sweep.lr[1]"),
        (lambda c: c["sweep"].update(lr=[0.001, 0.001]), "sweep.lr"),
        (lambda c: c["sweep"].update(nz=[2, 4, 2]), "sweep.nz"),
        (lambda c: c.update(nz=[2, 5, 5]), "nz"),
        (lambda c: c["concept_curves"].update(labels=[0, 6, 6]), "concept_curves.labels"),
        (lambda c: c["runs"].update(seed1={"sed": 1}), "runs.seed1.sed"),
        (lambda c: c["runs"].update(a={"noise": {"n_trials": 5}}), "runs.a.noise.n_trials"),
        (lambda c: c["runs"].update(a={"inference": {"T": 5}}), "runs.a.inference"),
        (lambda c: c["runs"].update(a={"model": {"init": "keras2"}}), "runs.a.model.init"),
        (lambda c: c["runs"].update(a={"train": {"batched": True}}), "runs.a.train.batched"),
        (lambda c: c["train"].update(batched="yes"), "train.batched"),
        (lambda c: c["runs"].update({"../x": {}}), "runs.../x"),
        (lambda c: c["runs"].update({"a b": {}}), "runs.a b"),
        (lambda c: c["runs"].update({".hidden": {}}), "runs..hidden"),
        (lambda c: c.update(runs={}), "runs"),
        (lambda c: c["attractors"].update(T=0), "attractors.T"),
        (lambda c: c["attractors"].update(tol=0), "attractors.tol"),
        (lambda c: c["attractors"].update(tol=float("nan")), "attractors.tol"),
        (lambda c: c["attractors"].update(n_memories=2.5), "attractors.n_memories"),
        (lambda c: c["attractors"].update(steps=10), "attractors.steps"),
        (lambda c: c.pop("attractors"), "attractors"),
        (
            lambda c: c["train"].update(schedule=[{"lr": 1e-3, "epochs": 0}]),
            "train.schedule",
        ),
        (
            lambda c: c["runs"].update(
                short={"train": {"per_nz": {5: {"schedule": [{"lr": 1e-3, "epochs": 0}]}}}}
            ),
            "runs.short.train.per_nz.5.schedule",
        ),
    ],
)
def test_bad_values_name_the_key(config, edit, key):
    bad = copy.deepcopy(config)
    edit(bad)
    with pytest.raises(ConfigError) as err:
        validate_config(bad)
    assert f"config key '{key}'" in str(err.value)


def test_a_bad_attractors_setting_says_what_is_wrong(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("attractors: {tol: -1.0e-4}\n")
    with pytest.raises(ConfigError) as err:
        load_config(REPO / "config.yaml", bad)
    assert str(err.value).startswith("config key 'attractors.tol': -0.0001 is less than or equal")


def test_yaml_nan_and_inf_are_refused_naming_the_key(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("model: {beta: .nan}\n")
    with pytest.raises(ConfigError, match="config key 'model.beta': nan is not a finite number"):
        load_config(REPO / "config.yaml", bad)


def test_mnist_in_two_places_is_an_error_and_one_place_twice_is_not(config, tmp_path, tiny_mnist):
    (tmp_path / "b").mkdir()
    config.update(data_dir=str(tiny_mnist), data_dirs={"mnist": str(tmp_path / "b")})
    with pytest.raises(ConfigError, match="config key 'data_dirs.mnist': .*two places"):
        validate_config(config)
    config["data_dirs"]["mnist"] = str(tiny_mnist)
    validate_config(config)


def test_a_data_dir_without_its_idx_files_is_refused_naming_them(config, tmp_path):
    config.update(data_dir=str(tmp_path))
    files = "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, "
    with pytest.raises(ConfigError, match=f"config key 'data_dir': directory .* has no {files}"):
        validate_config(config)
    config.update(data_dir=None, data_dirs={"mine": str(tmp_path)})
    with pytest.raises(ConfigError, match="config key 'data_dirs.mine': directory .* has no"):
        validate_config(config)


def test_a_run_without_overrides_may_be_written_empty(config):
    config["runs"] = {"paper": None, 7: {"seed": 7}}
    runs = validate_config(config)["runs"]
    assert runs == {"paper": {}, "7": {"seed": 7}}


def test_a_name_given_twice_is_an_error_naming_it(tmp_path):
    path = tmp_path / "sheet.yaml"
    path.write_text("runs:\n  paper: {}\n  seed1: {seed: 1}\n  seed1: {seed: 2}\n")
    with pytest.raises(
        ConfigError, match=r"config key 'seed1': given twice in .*sheet.yaml, line 4"
    ):
        load_config(REPO / "config.yaml", path)


def test_workflow_refuses_a_duplicate_run_name(tmp_path, tiny_mnist):
    sheet = tmp_path / "sheet.yaml"
    sheet.write_text(f"data_dir: {tiny_mnist}\nruns:\n  a: {{seed: 1}}\n  a: {{seed: 2}}\n")
    proc = run_snakemake(tmp_path, "-n", "--configfile", str(sheet), check=False)
    assert proc.returncode != 0 and "config key 'a': given twice" in proc.stdout + proc.stderr


def test_per_nz_override(config):
    config["train"]["per_nz"] = {100: {"batch_size": 50}}
    config = validate_config(config)
    assert train_settings(config, 100)["batch_size"] == 50
    assert train_settings(config, 20)["batch_size"] == config["train"]["batch_size"]


def test_workflow_stops_before_any_job_on_bad_config(tmp_path, tiny_mnist):
    from conftest import tiny_config

    config = tiny_config(tiny_mnist)
    config["nz"] = [0]
    proc = run_snakemake(tmp_path, "-n", config=config, check=False)
    assert proc.returncode != 0
    assert "config key 'nz[0]'" in proc.stdout + proc.stderr
    assert not (tmp_path / "results").exists()


def test_an_unknown_key_suggests_the_known_one_and_names_its_file(tmp_path, tiny_mnist):
    from conftest import tiny_config

    config = tiny_config(tiny_mnist)
    config["inferance"] = {"T": 5}
    proc = run_snakemake(tmp_path, "-n", config=config, check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0 and not (tmp_path / "results").exists()
    assert "config key 'inferance': unknown key; did you mean 'inference'?" in out
    assert f"(in {tmp_path / 'test-config.yaml'})" in out


def test_an_unknown_target_lists_the_targets(tmp_path, tiny_mnist):
    from conftest import tiny_config

    proc = run_snakemake(tmp_path, "-n", "fig9", config=tiny_config(tiny_mnist), check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0 and not (tmp_path / "fig9").exists()
    assert "'fig9' is no target of this workflow" in out
    assert "fig1, fig2, fig3, fig4, fig6, fig7, figA1, figB2" in out
