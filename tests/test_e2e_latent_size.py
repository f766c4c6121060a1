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
    pattern = re.compile(r"results/sweep/nz(\d+)/lr([^_/]+)_bs(\d+)/history\.csv")
    return {m.groups() for f in files if (m := pattern.fullmatch(f))}


@pytest.fixture(scope="module")
def run(tmp_path_factory, tiny_mnist):
    workdir = tmp_path_factory.mktemp("latent_size")
    config = small_config(tiny_mnist)
    run_snakemake(workdir, "fig6", "fig7", "figB2", config=config)
    return workdir, config


def test_sweep_expands_to_every_condition_and_stays_out_of_all(tmp_path, tiny_mnist):
    config = small_config(tiny_mnist, nz=[2, 3], lr=[0.01, 1e-3], batch_size=[50, 100])
    files = outputs_of(run_snakemake(tmp_path, "fig7", "-n", config=config).stdout)
    assert sweep_jobs(files) == {
        (nz, lr, bs) for nz in ("2", "3") for lr in ("0.01", "0.001") for bs in ("50", "100")
    }
    assert "results/stats/generalization.csv" in files
    assert not any("results/models/nz" in f for f in files)  # the sweep saves no models
    files = outputs_of(run_snakemake(tmp_path, "all", "-n", config=config).stdout)
    assert not sweep_jobs(files) and "results/figures/fig7.png" not in files
    assert {"results/figures/fig6.png", "results/figures/figB2.png"} <= files
    assert {"results/stats/onset.csv", "results/stats/classifier.csv"} <= files


def test_figures_are_non_empty_images(run):
    workdir, _ = run
    for fig in ("fig6", "fig7", "figB2"):
        png = (workdir / f"results/figures/{fig}.png").read_bytes()
        pdf = (workdir / f"results/figures/{fig}.pdf").read_bytes()
        assert png.startswith(b"\x89PNG") and len(png) > 10_000
        assert pdf.startswith(b"%PDF") and len(pdf) > 5_000


def test_tables(run):
    workdir, config = run
    stats = workdir / "results/stats"
    onset = pd.read_csv(stats / "onset.csv")
    assert onset["nz"].tolist() == sorted(config["onset"]["nz"])
    assert {"depth", "rel_depth", "t_min", "approaches"} <= set(onset.columns)
    gen = pd.read_csv(stats / "generalization.csv")
    assert len(gen) == 2 and gen["best"].sum() == 1 and (gen["epochs"] == 1).all()
    assert set(gen["lr"]) == {0.01, 0.001}
    history = pd.read_csv(workdir / "results/sweep/nz2/lr0.001_bs100/history.csv")
    assert history["epoch"].tolist() == [1] and (history["lr"] == 0.001).all()
    clf = pd.read_csv(stats / "classifier.csv")
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
    proc = run_snakemake(workdir, "fig6", "fig7", "figB2", "-n", config=config)
    assert "Nothing to be done" in proc.stdout + proc.stderr
    changed = small_config(config["data_dir"], lr=[0.003, 0.001])
    files = outputs_of(run_snakemake(workdir, "fig6", "fig7", "figB2", "-n", config=changed).stdout)
    assert sweep_jobs(files) == {("2", "0.003", "100")}
    assert files == {
        "results/sweep/nz2/lr0.003_bs100/history.csv",
        "results/stats/generalization.csv",
        "results/figures/fig7.png",
        "results/figures/fig7.pdf",
    }
