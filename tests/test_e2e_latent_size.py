"""End to end on a tiny MNIST: Figs 6, 7, B.2, the onset and classifier tables, the sweep."""

import re

import numpy as np
import pandas as pd
import pytest
from conftest import run_snakemake, tiny_config

pytestmark = pytest.mark.e2e


def small_config(data_dir, **sweep):
    """The tests' tiny config, one label of curves, a sweep of two jobs of one epoch."""
    config = tiny_config(data_dir)
    config["concept_curves"]["labels"] = [6]
    config["sweep"] = dict(nz=[2], lr=[0.01, 0.001], batch_size=[100], epochs=1) | sweep
    return config


def outputs_of(dry_run: str) -> set[str]:
    """Every output file of the jobs a dry run lists."""
    files = set()
    for line in re.findall(r"^\s+output: (.*)$", dry_run, flags=re.M):
        files.update(line.split(", "))
    return files


def sweep_jobs(files: set[str]) -> set[tuple[str, str, str]]:
    """(nz, lr, batch size) of the sweep histories among `files`."""
    pattern = re.compile(r"results/runs/paper/sweep/nz(\d+)/lr([^_/]+)_bs(\d+)/history\.csv")
    return {m.groups() for f in files if (m := pattern.fullmatch(f))}


RUN = "results/runs/paper"


@pytest.fixture(scope="module")
def run(tiny_run):
    return tiny_run


def test_sweep_expands_to_every_condition_and_stays_out_of_all(tmp_path, tiny_mnist):
    config = small_config(tiny_mnist, nz=[2, 3], lr=[0.01, 1e-3], batch_size=[50, 100])
    files = outputs_of(run_snakemake(tmp_path, "fig7", "-n", config=config).stdout)
    assert sweep_jobs(files) == {
        (nz, lr, bs) for nz in ("2", "3") for lr in ("0.01", "0.001") for bs in ("50", "100")
    }
    assert f"{RUN}/stats/generalization.csv" in files
    assert not any("/models/nz" in f for f in files)  # the sweep saves no models
    files = outputs_of(run_snakemake(tmp_path, "all", "-n", config=config).stdout)
    assert not sweep_jobs(files) and f"{RUN}/figures/fig7.png" not in files
    assert {f"{RUN}/figures/fig6.png", f"{RUN}/figures/figB2.png"} <= files
    assert {f"{RUN}/stats/onset.csv", "results/classifier/mnist/accuracy.csv"} <= files


def test_figures_are_non_empty_images(run):
    workdir, _ = run
    for fig in ("fig6", "fig7", "figB2"):
        png = (workdir / f"{RUN}/figures/{fig}.png").read_bytes()
        pdf = (workdir / f"{RUN}/figures/{fig}.pdf").read_bytes()
        assert png.startswith(b"\x89PNG") and len(png) > 10_000
        assert pdf.startswith(b"%PDF") and len(pdf) > 5_000


def test_tables(run):
    workdir, config = run
    stats = workdir / RUN / "stats"
    onset = pd.read_csv(stats / "onset.csv")
    assert onset["nz"].tolist() == sorted(config["onset"]["nz"])
    assert {"depth", "rel_depth", "t_min", "approaches", "clear"} <= set(onset.columns)
    sweep = config["sweep"]
    gen = pd.read_csv(stats / "generalization.csv")
    assert len(gen) == len(sweep["nz"]) * len(sweep["lr"]) * len(sweep["batch_size"])
    assert gen["best"].sum() == len(sweep["nz"]) and (gen["epochs"] == sweep["epochs"]).all()
    assert set(gen["lr"]) == set(sweep["lr"])
    history = pd.read_csv(workdir / RUN / "sweep/nz2/lr0.001_bs100/history.csv")
    assert history["epoch"].tolist() == list(range(1, sweep["epochs"] + 1))
    assert (history["lr"] == 0.001).all() and "active_units" in history
    # the flip run shares paper's sweep (same models) but has its own table
    flip = pd.read_csv(workdir / "results/runs/flip/stats/generalization.csv")
    pd.testing.assert_frame_equal(flip, gen)
    assert not (workdir / "results/runs/flip/sweep").exists()
    clf = pd.read_csv(workdir / "results/classifier/mnist/accuracy.csv")
    assert 0 <= clf["test_accuracy"].item() <= 1 and clf["n_test"].item() == 100
    labels = pd.read_csv(stats / "final_state_labels.csv")
    probs = labels[[f"prob{k}" for k in range(10)]].to_numpy()
    assert len(labels) == config["classifier"]["n_trials"]
    assert np.allclose(probs.sum(1), 1, atol=1e-4)
    assert (labels["predicted"] == probs.argmax(1)).all()
    summary = pd.read_csv(stats / "final_state_summary.csv").iloc[0]
    assert summary.n_stay == (labels["predicted"] == 6).sum() and summary.n == len(labels)
    curves = pd.read_csv(stats / "final_state_distance.csv")
    assert (curves[curves.group == "all"]["n"] == len(labels)).all()
    assert len(curves) == 2 * (config["inference"]["T"] + 1)


def test_changing_one_learning_rate_reruns_only_its_jobs(run):
    workdir, config = run
    sweep = config["sweep"]
    changed = {**config, "sweep": {**sweep, "lr": [0.003, *sweep["lr"][1:]]}}
    files = outputs_of(run_snakemake(workdir, "fig7", "-n", config=changed).stdout)
    assert sweep_jobs(files) == {(str(nz), "0.003", "100") for nz in sweep["nz"]}
    assert files - {f"{RUN}/sweep/nz{nz}/lr0.003_bs100/history.csv" for nz in sweep["nz"]} == {
        f"results/runs/{run}/{f}"
        for run in ("paper", "flip")
        for f in ("stats/generalization.csv", "figures/fig7.png", "figures/fig7.pdf")
    }


def test_the_batched_sweep_writes_every_runs_history(tmp_path, tiny_mnist):
    """sweep.batched: one job per batch size, the same files as one job per model."""
    config = small_config(tiny_mnist, nz=[2, 5], lr=[0.01, 0.001], batch_size=[50, 100],
                          batched=True)  # fmt: skip
    target = f"{RUN}/stats/generalization.csv"
    proc = run_snakemake(tmp_path, target, config=config)
    assert proc.stdout.count("rule sweep_batch:") + proc.stderr.count("rule sweep_batch:") == 2
    gen = pd.read_csv(tmp_path / target)
    assert len(gen) == 8 and gen["best"].sum() == 2 and np.isfinite(gen["test_elbo"]).all()
    history = pd.read_csv(tmp_path / RUN / "sweep/nz5/lr0.001_bs50/history.csv")
    assert history[["nz", "batch_size", "lr"]].iloc[0].tolist() == [5, 50, 0.001]
    assert not list((tmp_path / RUN / "sweep").glob("checkpoint*"))  # removed on success
    # one job per model: the same table, to float tolerance (stacked float32 products sum
    # in another order)
    alone = {**config, "sweep": {**config["sweep"], "batched": False}}
    proc = run_snakemake(tmp_path / "alone", target, config=alone)
    assert "rule sweep_batch:" not in proc.stdout + proc.stderr
    per_model = pd.read_csv(tmp_path / "alone" / target)
    numbers = per_model.select_dtypes("number").columns.drop("seconds", errors="ignore")
    pd.testing.assert_frame_equal(gen.drop(columns=numbers), per_model.drop(columns=numbers))
    pd.testing.assert_frame_equal(gen[numbers], per_model[numbers], rtol=1e-4, atol=1e-3)
