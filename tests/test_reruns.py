"""Partial reruns, resources and GPU slots, as dry runs against one tiny run (`tiny_run`)."""

import copy
import re
from pathlib import Path

import pytest
from conftest import (
    REPO,
    TINY_RUN_TARGETS,
    dry_run_jobs,
    run_snakemake,
    target_rules,
    write_mnist_dir,
)

from vaeconcepts.data.loading import read_dir
from vaeconcepts.infra.paths import p_tag

pytestmark = pytest.mark.e2e

GPU_RULES = {
    "train_vae",
    "latents",
    "rollout",
    "sweep_vae",
    "train_classifier",
    "classify_final_states",
    "recall",
}


def dry_run(workdir, *args, config) -> list[dict]:
    proc = run_snakemake(workdir, *args, "-n", config=config)
    return dry_run_jobs(proc.stdout + proc.stderr)


def rules_of(jobs) -> set[str]:
    return {j["rule"] for j in jobs}


def edited(config, edit):
    config = copy.deepcopy(config)
    edit(config)
    return config


def test_nothing_to_do_after_the_run(tiny_run):
    workdir, config = tiny_run
    proc = run_snakemake(workdir, *TINY_RUN_TARGETS, "-n", config=config)
    assert "Nothing to be done" in proc.stdout + proc.stderr


def test_the_dataset_follows_its_files_not_how_their_directory_is_written(tiny_run, tmp_path):
    workdir, config = tiny_run
    data = Path(config["data_dir"])
    (tmp_path / "link").symlink_to(data)
    for spelling in (tmp_path / "link", f"{data}/."):
        same = {**config, "data_dir": str(spelling)}
        proc = run_snakemake(workdir, *TINY_RUN_TARGETS, "-n", config=same)
        assert "Nothing to be done" in proc.stdout + proc.stderr, spelling
    arrays, shape = read_dir(data)
    arrays = {k: a.reshape(len(a), *shape) if "images" in k else a for k, a in arrays.items()}
    arrays["test/images"][0, 0, 0] ^= 1  # one pixel of one test image
    changed = edited(
        config, lambda c: c.update(data_dir=str(write_mnist_dir(tmp_path / "b", arrays)))
    )
    assert {"dataset", "train_vae", "claims"} <= rules_of(dry_run(workdir, "all", config=changed))
    (tmp_path / "empty").mkdir()
    empty = edited(config, lambda c: c.update(data_dir=str(tmp_path / "empty")))
    proc = run_snakemake(workdir, "all", "-n", config=empty, check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "config key 'data_dir'" in out and "has no train-images-idx3-ubyte" in out


def test_changing_T_reruns_rollouts_and_what_follows_but_not_training(tiny_run):
    workdir, config = tiny_run
    new = edited(config, lambda c: c["inference"].update(T=config["inference"]["T"] + 2))
    jobs = dry_run(workdir, *TINY_RUN_TARGETS, config=new)
    n_trajectories = len(list(workdir.glob("results/runs/*/trajectories/**/*.h5")))
    assert sum(j["rule"] == "rollout" for j in jobs) == n_trajectories
    assert rules_of(jobs) - target_rules() == {
        "rollout",
        *("concept_curves", "min_distance", "onset_table"),
        *("nearest_memory", "recall", "stages_nz"),
        *("classify_final_states", "final_state_distance", "claims", "study"),
        *("plot_fig1", "plot_fig2", "plot_fig4", "plot_fig6", "plot_figB2", "plot_dynamics"),
    }  # not mnist, train_vae, latents, noisy_inputs, the classifier, the sweep, Fig. 3, A.1,
    # nor the long rollouts (they start from the noisy inputs)


def test_changing_attractors_T_reruns_only_the_long_rollouts_and_what_reads_them(tiny_run):
    workdir, config = tiny_run
    new = edited(config, lambda c: c["attractors"].update(T=config["attractors"]["T"] + 1))
    jobs = dry_run(workdir, *TINY_RUN_TARGETS, config=new)
    runs, nzs = sorted(config["runs"]), sorted({config["main_nz"], *config["nz"]})
    rollouts = sorted((j["wildcards"]["run"], int(j["wildcards"]["nz"]))
                      for j in jobs if j["rule"] == "attractors")  # fmt: skip
    assert rollouts == [(run, nz) for run in runs for nz in nzs]
    assert rules_of(jobs) - target_rules() == {
        *("attractors", "attractor_tables", "claims", "study", "plot_dynamics")
    }


def test_changing_one_nz_reruns_only_its_chain(tiny_run):
    workdir, config = tiny_run
    other = config["nz"][0]
    assert other != config["main_nz"]
    new = edited(config, lambda c: c["train"].update(per_nz={other: {"batch_size": 50}}))
    jobs = dry_run(workdir, *TINY_RUN_TARGETS, config=new)
    per_nz = [j for j in jobs if "nz" in j["wildcards"]]
    assert {j["rule"] for j in per_nz} == {
        *("train_vae", "latents", "rollout", "latent_stats", "attractors")
    }
    assert {j["wildcards"]["nz"] for j in per_nz} == {str(other)}
    # paper's model is retrained once; the flip run shares it (its rollouts and tables rerun)
    assert [j["wildcards"]["run"] for j in jobs if j["rule"] == "train_vae"] == ["paper"]
    assert {j["wildcards"]["run"] for j in jobs if j["rule"] == "rollout"} == {"paper", "flip"}
    # ... and the tables over every N_z with what reads them; nothing of the main model.
    assert rules_of(jobs) - target_rules() == {
        *("train_vae", "latents", "rollout", "latent_stats"),
        *("concept_curves", "latent_tables", "onset_table", "plot_fig2", "plot_fig6"),
        *("attractors", "attractor_tables", "stages_nz"),  # C16, C19 read every N_z
        *("claims", "study", "plot_dynamics"),
    }


def test_deleting_one_trajectory_rebuilds_only_it_and_its_dependants(tiny_run):
    """Snakemake (>= 7.7, by design) leaves a deleted intermediate alone while what was made
    from it is up to date; --summary shows it missing, and naming it as a target rebuilds
    it and reruns exactly what reads it (the README's command)."""
    workdir, config = tiny_run
    p = config["min_distance"]["p"][1]  # a p of Fig. 4 only
    assert p != config["concept_curves"]["p"]
    nz, label = config["main_nz"], config["min_distance"]["label"]
    name = f"results/runs/paper/trajectories/nz{nz}/p{p_tag(p)}/label{label}.h5"
    aside = (workdir / name).with_suffix(".aside")
    (workdir / name).rename(aside)
    try:
        summary = run_snakemake(workdir, "--summary", *TINY_RUN_TARGETS, config=config).stdout
        jobs = dry_run(workdir, name, *TINY_RUN_TARGETS, config=config)
    finally:
        aside.rename(workdir / name)
    missing = [row.split("\t")[0] for row in summary.splitlines() if "\tmissing\t" in row]
    assert missing == [name]
    rollouts = [j["wildcards"] for j in jobs if j["rule"] == "rollout"]
    assert rollouts == [{"run": "paper", "nz": str(nz), "p": p_tag(p), "label": str(label)}]
    assert rules_of(jobs) - target_rules() == {
        *("rollout", "min_distance", "plot_fig4", "claims", "study"),  # C5 reads the stages
        *("nearest_memory", "recall", "stages_nz"),  # C12, C15, C16 read Fig. 4's trajectories
        "plot_dynamics",  # it draws the nearest-memory curves
    }


def test_fig4_builds_only_what_figure_4_needs(tiny_run, tmp_path):
    workdir, config = tiny_run
    jobs = dry_run(tmp_path, "fig4", config=config)
    assert rules_of(jobs) == {
        *("dataset", "train_vae", "latents", "noisy_inputs", "rollout", "min_distance"),
        *("plot_fig4", "fig4"),
    }
    n_p, label = len(config["min_distance"]["p"]), str(config["min_distance"]["label"])
    n_runs, n_modes = len(config["runs"]), 2  # paper (permute) and flip
    noisy = [j["wildcards"]["label"] for j in jobs if j["rule"] == "noisy_inputs"]
    assert noisy == [label] * n_p * n_modes
    rollouts = [j["wildcards"]["label"] for j in jobs if j["rule"] == "rollout"]
    assert rollouts == [label] * n_p * n_runs
    trained = {
        (j["wildcards"]["run"], j["wildcards"]["nz"])
        for j in jobs
        if j["rule"] in ("train_vae", "latents")
    }
    assert trained == {("paper", str(config["main_nz"]))}  # the flip run reads paper's
    # After a run, with T changed: only Fig. 4's rollouts and what follows them.
    new = edited(config, lambda c: c["inference"].update(T=config["inference"]["T"] + 2))
    jobs = dry_run(workdir, "fig4", config=new)
    assert sorted(j["rule"] for j in jobs) == sorted(
        ["rollout"] * n_p * n_runs + ["min_distance", "plot_fig4"] * n_runs + ["fig4"]
    )


@pytest.mark.parametrize("fig", sorted(r for r in target_rules() if r.startswith("fig")))
def test_a_figure_target_plots_only_its_figure(tiny_run, tmp_path, fig):
    jobs = dry_run(tmp_path, fig, config=tiny_run[1])
    assert {r for r in rules_of(jobs) if r.startswith("plot_")} == {f"plot_{fig}"}


def test_every_rule_declares_its_resources(tiny_run, tmp_path):
    """Without a profile, so that what is listed is what rules/*.smk declare."""
    jobs = dry_run(tmp_path, *TINY_RUN_TARGETS, "--workflow-profile", "none", config=tiny_run[1])
    work = [j for j in jobs if j["rule"] not in target_rules()]
    missing = sorted(
        {j["rule"] for j in work if not {"mem_mb", "runtime"} <= j["resources"].keys()}
    )
    assert missing == []
    assert {j["rule"] for j in work if "gpu" in j["resources"]} == GPU_RULES
    assert all(j["resources"]["gpu"] == "1" for j in work if j["rule"] in GPU_RULES)


def test_training_resources_follow_nz_and_epochs(tiny_mnist, tmp_path):
    """The paper's settings (config.yaml as it is, on the tiny data directory)."""
    schedule = [{"lr": 5e-4, "epochs": 400}]
    config = {"data_dir": str(tiny_mnist), "nz": [2, 5, 100], "onset": {"label": 6, "nz": [2]}}
    config["train"] = {"per_nz": {5: {"schedule": schedule}}}
    jobs = dry_run(tmp_path, "models", config=config)
    res = {j["wildcards"]["nz"]: j["resources"] for j in jobs if j["rule"] == "train_vae"}
    mem, minutes = ({nz: int(r[key]) for nz, r in res.items()} for key in ("mem_mb", "runtime"))
    assert mem["2"] < mem["100"] and minutes["2"] < minutes["100"] < minutes["5"]
    assert 60 < minutes["100"] < 180 and 2000 < mem["100"] < 8000  # 200 epochs of MNIST
    # train.batched: a batch asks for its VAEs' minutes one after another, and memory for
    # all of them at once (N_z = 5's longer schedule makes a batch of its own)
    config["train"]["batched"] = True
    profile = str(REPO / "profiles" / "slurm")
    jobs = dry_run(tmp_path, "models", "--workflow-profile", profile, config=config)
    batches = {int(j["resources"]["runtime"]): j["resources"] for j in jobs
               if j["rule"] == "train_batch"}  # fmt: skip
    assert batches.keys() == {minutes["2"] + minutes["100"], minutes["5"]}
    assert int(batches[minutes["5"]]["mem_mb"]) == mem["5"]
    both = int(batches[minutes["2"] + minutes["100"]]["mem_mb"])
    assert mem["100"] < both < mem["2"] + mem["100"]  # the images counted once
    batches = batches.values()
    assert all(b["gpu"] == "1" and b["slurm_extra"] == "--signal=TERM@300" for b in batches)


def test_slurm_profile_asks_for_gpus_and_cpus(tiny_run, tmp_path):
    profile = str(REPO / "profiles" / "slurm")
    jobs = dry_run(tmp_path, *TINY_RUN_TARGETS, "--workflow-profile", profile, config=tiny_run[1])
    work = {j["rule"]: j["resources"] for j in jobs if j["rule"] not in target_rules()}
    for rule, res in work.items():  # CPUs come from the rules' threads (no cpus_per_task)
        assert {"mem_mb", "runtime", "slurm_partition"} <= res.keys(), rule
        assert "cpus_per_task" not in res, rule
    assert {rule for rule, res in work.items() if res.get("gpu", "0") != "0"} == {
        "train_vae",
        "rollout",
        "sweep_vae",
        "train_classifier",
        "recall",
    }
    assert work["train_vae"]["slurm_extra"] == "--signal=TERM@300"


def test_concurrent_gpu_jobs_took_their_own_slot(tiny_run):
    """tiny_run ran with two (faked) GPUs and --resources gpu=2: every GPU job logs its
    slot, and none had to share a GPU (slot 2 or above)."""
    workdir, _ = tiny_run
    logs = {  # the log of every job of GPU_RULES
        "train_vae": workdir.glob("results/logs/runs/*/train/*.log"),
        "latents": workdir.glob("results/logs/runs/*/latents/*.log"),
        "rollout": workdir.glob("results/logs/runs/*/trajectories/**/*.log"),
        "sweep_vae": workdir.glob("results/logs/runs/*/sweep/**/*.log"),
        "train_classifier": [workdir / "results/logs/classifier/mnist/train.log"],
        "classify_final_states": workdir.glob("results/logs/runs/*/classifier/final_states.log"),
        "recall": workdir.glob("results/logs/runs/*/stats/recall.log"),
    }
    assert logs.keys() == GPU_RULES
    logs = [log for rule_logs in logs.values() for log in rule_logs]
    slots = [re.search(r"GPU slot (\d+) of 2 GPUs", log.read_text()) for log in logs]
    assert logs and all(slots)
    assert {int(m.group(1)) for m in slots} <= {0, 1}
