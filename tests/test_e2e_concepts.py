"""End-to-end: trajectories, statistics and Figures 1-4, A.1 on a tiny synthetic MNIST."""

import shutil

import h5py
import numpy as np
import pandas as pd
import pytest
from conftest import TINY_RUN_TARGETS, dry_run_jobs, run_snakemake, target_rules
from PIL import Image

from vaeconcepts.config.validation import model_nz
from vaeconcepts.infra.paths import p_tag
from vaeconcepts.scorecard.claims import VERDICTS

pytestmark = pytest.mark.e2e

FIGURES = ["fig1", "fig2", "fig3", "fig4", "figA1", "dynamics"]
TABLES = {
    "distance_to_concept": ["nz", "p", "label", "t", "mean", "sem", "n"],
    "concept_dip": [
        "nz",
        "p",
        "label",
        "n",
        "t_min",
        "d0",
        "d_min",
        "d_T",
        "approach",
        "rise",
        "depth",
        "rel_depth",
        "sem_at_min",
        "clear",
    ],
    "min_distance": ["nz", "p", "label", "changed_pixels", "target", "mean", "sem", "n"],
    "stages": ["nz", "p", "label", "changed_pixels", "stage", "target"],
    "cosine": ["nz", "i", "j", "cosine"],
    "active_units": [
        "nz",
        "unit",
        "variance",
        "active",
        "kl",
        "active_kl",
        "concept_max",
        "active_concept",
    ],
    "pca": ["nz", "component", "ratio", "cumulative"],
    "latent_summary": [
        "nz",
        "n_active",
        "n_active_kl",
        "n_active_concept",
        "pca_70",
        "pca_99",
        "mean_abs_offdiag_cosine",
    ],
    # issue 37: where repeated inference goes
    "nearest_memory": ["nz", "p", "label", "t", "target", "mean", "sem", "n", "same_label"],
    "attractors": [
        *("nz", "attractor", "basin", "majority_label", "purity", "source_labels"),
        *("converged", "nearest_index", "nearest_label", "d_nearest", "classified", "rho"),
        *("stable", "spacing"),
    ],
    "attractor_trials": [
        *("nz", "trial", "label", "converged", "steps", "d_nearest", "nearest_index"),
        *("nearest_label", "d_concept", "at_memory", "nearer_concept", "attractor", "p"),
        *("start", "source_index"),
    ],
    "attractor_summary": [
        *("nz", "p", "label", "start", "n", "converged", "median_steps", "at_memory"),
        *("nearer_concept", "n_attractors", "top_attractor", "spacing"),
    ],
    "clustering": ["nz", "t", "method", "nmi", "ari", "start"],
    "recall": ["nz", "p", "label", "n", "n_recalled", "recalled"],
    "stages_nz": ["nz", "p", "label", "changed_pixels", "stage", "target"],
}
RUN = "results/runs/paper"
ATTRACTOR_NZ = [2, 5]  # tiny_config: the main N_z 5 and Fig. 6's 2, 5


@pytest.fixture(scope="module")
def run(tiny_run):
    return tiny_run


def table(workdir, name):
    return pd.read_csv(workdir / f"{RUN}/stats/{name}.csv")


def jobs_of(dry_run_output: str) -> list[str]:
    """Rule names of the jobs a dry run lists (target rules left out)."""
    return sorted(
        j["rule"] for j in dry_run_jobs(dry_run_output) if j["rule"] not in target_rules()
    )


def test_every_figure_is_a_nonempty_png_and_pdf(run):
    workdir, _ = run
    for fig in FIGURES:
        png, pdf = (workdir / f"{RUN}/figures/{fig}.{ext}" for ext in ("png", "pdf"))
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
        assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 5000
        with Image.open(png) as img:
            assert img.width > 300 and img.height > 150
            assert '"inputs"' in img.text["Description"]  # provenance


def test_tables_have_their_columns(run):
    workdir, _ = run
    for name, columns in TABLES.items():
        frame = table(workdir, name)
        assert list(frame.columns) == columns, name
        assert (
            len(frame) > 0
            and not frame.drop(columns="rel_depth", errors="ignore").isna().any().any()
        )


def test_trajectory_contract(run):
    workdir, config = run
    nz, T, n = config["main_nz"], config["inference"]["T"], config["noise"]["n_trials"]
    path = workdir / f"{RUN}/trajectories/nz{nz}/p{p_tag(config['concept_curves']['p'])}/label6.h5"
    with h5py.File(path) as f:
        assert f["z"].shape == (n, T + 1, nz) and f["z"].dtype == np.float32
        assert f["x"].shape == (config["inference"]["n_frames"], T + 1, 784)
        assert f["x_final"].shape == (n, 784) and f["source_index"].shape == (n,)
        assert f.attrs["nz"] == nz and f.attrs["T"] == T and "provenance" in f.attrs


def test_distance_curves_cover_every_curve(run):
    workdir, config = run
    curves = table(workdir, "distance_to_concept")
    p, T = config["concept_curves"]["p"], config["inference"]["T"]
    keys = {(config["main_nz"], k) for k in config["concept_curves"]["labels"]}
    keys |= {(nz, config["onset"]["label"]) for nz in config["onset"]["nz"]}
    assert set(zip(curves.nz, curves.label, strict=True)) == keys
    assert np.allclose(curves.p, p) and (curves.n == config["concept_curves"]["n_trials"]).all()
    assert (curves.groupby(["nz", "label"]).t.apply(list) == [list(range(T + 1))] * len(keys)).all()
    dips = table(workdir, "concept_dip")
    assert len(dips) == len(keys) and dips.t_min.between(0, T).all()


def test_min_distances_and_stages(run):
    workdir, config = run
    md, stages = table(workdir, "min_distance"), table(workdir, "stages")
    grid = config["min_distance"]["p"]
    assert sorted(set(md.p)) == pytest.approx(sorted(grid)) and len(md) == 3 * len(grid)
    assert (md.n == config["min_distance"]["n_trials"]).all()
    # without noise z(0) is the memory itself
    assert md.query("p == 0 and target == 'memory'")["mean"].item() == pytest.approx(0, abs=1e-6)
    assert len(stages) == len(grid) and set(stages.stage) <= {"I", "II", "III"}
    assert stages.query("p == 0").stage.item() == "I"


def test_latent_tables_per_nz(run):
    workdir, config = run
    nzs = model_nz(config)
    summary = table(workdir, "latent_summary")
    assert summary.nz.tolist() == nzs
    assert (summary.pca_70 <= summary.pca_99).all() and (summary.pca_99 <= summary.nz).all()
    cosine = table(workdir, "cosine")
    assert len(cosine) == 100 * len(nzs)
    diag = cosine.query("i == j")["cosine"]
    assert np.allclose(diag, 1, atol=1e-5)
    assert table(workdir, "active_units").groupby("nz").size().tolist() == nzs


def test_changed_threshold_reruns_only_the_latent_statistics(run):
    workdir, config = run
    config = {**config, "active_threshold": 0.5}
    jobs = jobs_of(run_snakemake(workdir, *TINY_RUN_TARGETS, "-n", config=config).stdout)
    per_run = ["latent_stats"] * len(model_nz(config))
    per_run += ["latent_tables", "plot_fig3", "plot_fig6", "claims"]  # Fig. 6 reads cosine.csv
    assert jobs == sorted(per_run * 2 + ["study"])  # both runs; no training


def test_more_trials_rerun_only_the_curves(run):
    workdir, config = run
    config = {**config, "concept_curves": {**config["concept_curves"], "n_trials": 10}}
    jobs = jobs_of(run_snakemake(workdir, *TINY_RUN_TARGETS, "-n", config=config).stdout)
    # ... and what reads the same trials: the nearest memories and the long rollouts
    per_run = ["concept_curves", "onset_table", "claims"]
    per_run += ["nearest_memory", "attractor_tables"] + ["attractors"] * len(ATTRACTOR_NZ)
    assert [j for j in jobs if not j.startswith("plot_")] == sorted(per_run * 2 + ["study"])
    # every figure is redrawn: its stamp of the run's scale names the trials (issue 38)
    assert {"plot_fig2", "plot_fig6", "plot_dynamics"} <= set(jobs)


def test_rerunning_a_rollout_gives_the_same_arrays(run, tmp_path):
    workdir, config = run
    rel = f"{RUN}/trajectories/nz{config['main_nz']}/p0.20/label6.h5"
    shutil.copytree(workdir / "results", tmp_path / "results", symlinks=True)
    run_snakemake(tmp_path, rel, "--forcerun", config=config)
    with h5py.File(workdir / rel) as a, h5py.File(tmp_path / rel) as b:
        assert set(a) == set(b)
        for name in a:
            assert np.array_equal(a[name][()], b[name][()]), name


def test_the_noise_level_is_given_in_changed_pixels(run):
    """Fig. 4's p selects pixels; changed_pixels is how many the noise changed: none at p = 0,
    more with p, and never more than p selects (a swap among equal intensities changes none)."""
    workdir, _ = run
    frame = table(workdir, "min_distance").drop_duplicates("p").sort_values("p")
    changed, p = frame["changed_pixels"].to_numpy(), frame["p"].to_numpy()
    assert changed[p == 0].max(initial=0) == 0
    assert (changed[1:] > changed[:-1]).all() and (changed <= p + 0.01).all()


def test_the_dynamics_tables_cover_their_trajectories_and_models(run):
    """Issue 37's tables: Fig. 2's and Fig. 4's trajectories in the nearest-memory tables, the
    long rollouts of every N_z of the attractor study from noisy inputs and clean memories."""
    workdir, config = run
    cc, md, T = config["concept_curves"], config["min_distance"], config["inference"]["T"]
    trials = pd.read_csv(workdir / RUN / "stats" / "nearest_memory_trials.csv.gz")
    assert list(trials.columns) == ["nz", "p", "label", "trial", "t", "d_nearest"]
    assert sorted(trials["label"].unique()) == cc["labels"]
    assert len(trials) == len(cc["labels"]) * cc["n_trials"] * (T + 1)
    nearest = table(workdir, "nearest_memory")
    fig4 = nearest[nearest["label"] == md["label"]]
    assert sorted(fig4["p"].unique()) == sorted({*md["p"], cc["p"]})
    assert ((nearest["same_label"] >= 0) & (nearest["same_label"] <= 1)).all()
    own = nearest[nearest["target"] == "own_memory"]
    assert (own["same_label"] == 1).all()
    near = nearest[nearest["target"] == "nearest_memory"].set_index(["p", "label", "t"])["mean"]
    assert (near <= own.set_index(["p", "label", "t"])["mean"] + 1e-6).all()  # nearest: <= own
    attractor_trials = table(workdir, "attractor_trials")
    assert sorted(attractor_trials["nz"].unique()) == ATTRACTOR_NZ
    starts = attractor_trials.groupby(["nz", "start"]).size().unstack()
    assert (starts["noisy"] == len(cc["labels"]) * cc["n_trials"]).all()
    assert (starts["memory"] == 10 * config["attractors"]["n_memories"]).all()
    assert (attractor_trials["steps"] <= config["attractors"]["T"]).all()
    attractors = table(workdir, "attractors")
    assert (attractors.groupby("nz")["basin"].sum() == starts.sum(axis=1)).all()
    assert sorted(table(workdir, "recall")["p"]) == md["p"]
    assert sorted(table(workdir, "stages_nz")["nz"].unique()) == sorted(config["nz"])
    with h5py.File(workdir / RUN / "attractors" / f"nz{config['main_nz']}.h5") as f:
        assert f["points"].shape == (len(attractors[attractors["nz"] == config["main_nz"]]), 5)
        assert f["final"].shape == (starts.sum(axis=1)[config["main_nz"]], 5)


def test_the_scorecard_scores_the_dynamics_claims(run):
    workdir, _ = run
    card = pd.read_csv(workdir / RUN / "stats" / "claims.csv").set_index("claim")
    assert list(card.index) == [f"C{i}" for i in range(1, 20)]
    assert set(card["verdict"]) <= set(VERDICTS)
    measured = card.loc[["C12", "C13", "C14", "C15"], "verdict"]  # the main N_z's tables
    assert "not run" not in set(measured)
    # tiny_config trains N_z 2 and 5 only: the claims over Fig. 6's five models are not run
    assert card.loc[["C16", "C19"], "verdict"].tolist() == ["not run", "not run"]
    assert card.loc["C19", "note"] == "no long rollouts of N_z = [10, 20, 100]"
