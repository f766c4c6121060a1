# Shared helpers: the runs sheet, paths, target lists, per-stage parameters and resources.

import functools
import math
import re
from types import SimpleNamespace

from vaeconcepts.data.registry import data_dir_of as config_data_dir
from vaeconcepts.data.registry import content_key, size_hint
from vaeconcepts.config import recorded
from vaeconcepts.infra import paths
from vaeconcepts.config.scale import scale_stamp, study_stamp
from vaeconcepts.config.runs import (
    RUN_NAME,
    model_nz,
    model_owner,
    run_config,
    run_names,
    schedule_epochs,
    seed_groups,
    sweep_owner,
    train_settings,
    training_batches,
)

# The report's subcategories within each run: the paper's sections.
SECTIONS = {
    "3.1": "3.1 Approach to a concept (Figs. 1-3)",
    "3.2": "3.2 Data hierarchy and inference (Fig. 4)",
    "3.3": "3.3-3.4 Latent size and generalization (Figs. 6, 7)",
    "app": "Appendices A, B (Figs. A.1, B.2)",
    "card": "Scorecard",
}

# Every run's full settings: the top-level config with the run's overrides.
RUNS = {run: run_config(config, run) for run in run_names(config)}
DATASETS = sorted({cfg["dataset"] for cfg in RUNS.values()})


wildcard_constraints:
    run=RUN_NAME.pattern,
    nz=r"[1-9][0-9]*",
    p=r"[01]\.[0-9][0-9]",
    label=r"[0-9]+",
    mode=r"flip|permute",
    dataset="|".join(re.escape(d) for d in DATASETS),


def R(wildcards):
    """The full settings of the job's run."""
    return RUNS[wildcards.run]


def claim_settings(cfg):
    """A run's settings as the scorecard reads them: where its data lay is not one of them
    (the dataset's content is, through the tables), so another spelling reruns nothing.
    """
    return {k: v for k, v in cfg.items() if k not in recorded.IGNORED}


def data_file(run):
    """The dataset file of a run: results/data/{dataset}.h5."""
    return paths.data_file(RUNS[run]["dataset"])


def classifier_file(run, name="model.pt"):
    """The Appendix B classifier of the run's dataset."""
    return paths.classifier_file(RUNS[run]["dataset"], name)


def data_dir_of(dataset):
    """Where a dataset's IDX files are (None: download it): data_dirs, or data_dir for MNIST."""
    return config_data_dir(config, dataset)


def run_expand(pattern, **kwargs):
    """`pattern` (with {run}) for every run of the sheet."""
    return expand(pattern, run=list(RUNS), **kwargs)


@functools.cache
def owner(run, nz):
    """The run whose VAE of this N_z `run` uses (of the runs with equal training settings, the one
    with the fewest overrides, then the first by name: runs.model_owner)."""
    return model_owner(config, run, int(nz))


# train.batched: the VAEs of every run in batches trained as one (runs.training_batches).
BATCHES = training_batches(config) if config["train"]["batched"] else {}
BATCH_OF = {member: name for name, members in BATCHES.items() for member in members}


def batch_folder(run, nz):
    """The models/ folder of the training batch of a run's VAE of this N_z."""
    return f"results/batches/{BATCH_OF[(owner(run, nz), int(nz))]}/models"


def batch_members(wildcards):
    """What a train_batch job trains, per VAE: its run, N_z, run seed and schedule."""
    return [
        {
            "run": run,
            "nz": nz,
            "seed": RUNS[run]["seed"],
            "schedule": train_settings(RUNS[run], nz)["schedule"],
        }
        for run, nz in BATCHES[wildcards.batch]
    ]


def batch_shared(wildcards):
    """What every VAE of a batch shares: model, binarisation and batch size."""
    run, nz = BATCHES[wildcards.batch][0]
    return {
        "model": RUNS[run]["model"],
        "binarize": RUNS[run]["binarize"],
        "batch_size": train_settings(RUNS[run], nz)["batch_size"],
    }


def batch_wildcards(wildcards):
    """A batch's VAEs as the wildcards of their train_vae jobs (for the resource estimates)."""
    return [
        SimpleNamespace(run=run, nz=str(nz)) for run, nz in BATCHES[wildcards.batch]
    ]


def model_file(run, nz, name="model.pt"):
    return paths.model_file(owner(run, nz), nz, name)


def latents_file(run, nz):
    return paths.latents_file(owner(run, nz), nz)


def noisy_file(run, p, label):
    """The shared noisy inputs of the run's noise settings."""
    dataset, mode = RUNS[run]["dataset"], RUNS[run]["noise"]["mode"]
    return paths.noisy_file(dataset, mode, p, label)


def trajectory(run, nz, p, label):
    return paths.trajectory_file(run, nz, p, label)


def expand_models():
    """model.pt and history.csv of every N_z that some analysis of some run needs."""
    return sorted(
        {
            model_file(run, nz, f)
            for run in RUNS
            for nz in model_nz(RUNS[run])
            for f in ("model.pt", "history.csv")
        }
    )


def total_epochs_of(run, nz):
    return schedule_epochs(train_settings(RUNS[run], int(nz))["schedule"])


def total_epochs(wildcards):
    return total_epochs_of(wildcards.run, wildcards.nz)


def train_images(wildcards):
    """(training, test) images and pixels of the run's dataset (or its `subset`)."""
    n_train, n_test, pixels = size_hint(R(wildcards)["dataset"])
    sub = config["subset"]
    return (
        min(sub["train"] or n_train, n_train),
        min(sub["test"] or n_test, n_test),
        pixels,
    )


def train_mem_mb(wildcards):
    """Host memory (MB) of one training job of one VAE."""
    return stacked_mem_mb(wildcards, [int(wildcards.nz)], batched=False)


def stacked_mem_mb(wildcards, nzs, batched=True):
    """Host memory (MB) of a job training VAEs of these N_z at once: torch and CUDA
    (2.5 GB), the images as float32 twice over (and once per VAE of a batched job under
    dynamic binarisation), and weights, gradients and the two Adam moments of each VAE,
    padded to the largest N_z."""
    hidden = R(wildcards)["model"]["hidden"]
    n_train, n_test, pixels = train_images(wildcards)
    nz = max(nzs)
    n_params = 2 * pixels * hidden + 3 * hidden * nz + 2 * hidden + 2 * nz + pixels
    data = (n_train + n_test) * pixels * 4 * 2
    if batched and R(wildcards)["binarize"] == "dynamic":
        data += len(nzs) * n_train * pixels * 4
    return 2500 + math.ceil((data + 4 * 4 * n_params * len(nzs)) / 2**20)


def sweep_batch_mem_mb(wildcards):
    """Host memory (MB) of one batched sweep job: every (N_z, lr) of the grid."""
    s = config["sweep"]
    return stacked_mem_mb(wildcards, [nz for nz in s["nz"] for _ in s["lr"]])


def train_batch_mem_mb(wildcards):
    """Host memory (MB) of one train_batch job: its VAEs."""
    members = batch_wildcards(wildcards)
    return stacked_mem_mb(members[0], [int(m.nz) for m in members])


def train_batch_runtime(wildcards):
    """Minutes of one train_batch job: its VAEs' train_vae jobs, one after another."""
    return sum(train_runtime(m) for m in batch_wildcards(wildcards))


def train_runtime(wildcards):
    """Minutes of one training job: 10 + every epoch of every stage at 0.4 min per epoch
    of 60,000 MNIST images with hidden = 1024 and N_z = 100 (twice what 2 CPU cores take),
    scaled by the images and the multiply-adds per image (P*H twice, H*N_z thrice)."""
    nz, hidden = int(wildcards.nz), R(wildcards)["model"]["hidden"]
    n_train, _, pixels = train_images(wildcards)
    ref_train, _, ref_pixels = size_hint("mnist")
    ref_work = 2 * ref_pixels * 1024 + 3 * 1024 * 100
    work = (2 * pixels * hidden + 3 * hidden * nz) / ref_work
    per_epoch = 0.4 * n_train / ref_train * work
    return 10 + math.ceil(total_epochs(wildcards) * per_epoch)


def curve_keys(run):
    """(nz, p, label) of every distance-to-concept curve a run's figures need:
    Fig. 2 (main N_z, every label), Fig. 6 and the onset table (label onset.label)."""
    p = config["concept_curves"]["p"]
    keys = {(config["main_nz"], p, k) for k in RUNS[run]["concept_curves"]["labels"]}
    label = RUNS[run]["onset"]["label"]
    keys |= {(nz, p, label) for nz in {*config["nz"], *config["onset"]["nz"]}}
    return sorted(keys)


def dataset_source(wildcards):
    """What the dataset is made from: its IDX files' sizes and SHA-256 (so that changed
    files rerun it, and another spelling of the same directory does not), or a download.
    """
    root = data_dir_of(wildcards.dataset)
    return "torchvision download" if root is None else content_key(root)


def final_state_trajectory(wildcards):
    """Trajectories whose final states are classified: label classifier.label at
    concept_curves.p for the main N_z."""
    return trajectory(
        wildcards.run,
        config["main_nz"],
        config["concept_curves"]["p"],
        R(wildcards)["classifier"]["label"],
    )


def sweep_histories(wildcards):
    """history.csv of every (N_z, lr, batch size) of the run's sweep; the lr is in the path."""
    s = config["sweep"]
    run = sweep_owner(config, wildcards.run)
    return [
        paths.sweep_history(run, nz, lr, bs)
        for nz in s["nz"]
        for lr in s["lr"]
        for bs in s["batch_size"]
    ]


def stats_file(name):
    """Input function: the run's results/runs/{run}/stats/{name}.csv."""
    return lambda w: paths.stats_file(w.run, f"{name}.csv")


def latent_parts(name):
    """Input function: the per-N_z parts {name}.csv of the run's latent statistics."""
    return lambda w: [
        paths.stats_file(w.run, f"nz{nz}/{name}.csv") for nz in model_nz(R(w))
    ]


def generalization_if_built(wildcards):
    """The sweep's table when `snakemake fig7` has built it; else C8 is `not run`."""
    path = paths.stats_file(wildcards.run, "generalization.csv")
    return [path] if os.path.exists(path) else []


def unknown_target(name):
    """Refuse a target no rule makes (`snakemake fig9`), listing the targets there are."""
    figures = ", ".join(FIGURES)
    raise WorkflowError(
        f"'{name}' is no target of this workflow. Targets: all (the default), models, the "
        f"figures {figures} (each for every run), study, readme_pictures, or a file "
        "under results/ (docs/running.md)"
    )


def fig2_trajectories(run):
    """Fig. 2's trajectories: the main N_z, concept_curves.p, every label."""
    p, labels = config["concept_curves"]["p"], RUNS[run]["concept_curves"]["labels"]
    return [trajectory(run, config["main_nz"], p, k) for k in labels]


def fig4_trajectories(run, nz=None):
    """Fig. 4's trajectories: label min_distance.label at every p, for the main N_z (or nz)."""
    label = RUNS[run]["min_distance"]["label"]
    nz = config["main_nz"] if nz is None else nz
    return [trajectory(run, nz, p, label) for p in config["min_distance"]["p"]]


def nearest_memory_files(run):
    """Trials used per trajectory of Figs. 2 and 4 (the larger where a file is in both)."""
    n = {path: config["concept_curves"]["n_trials"] for path in fig2_trajectories(run)}
    for path in fig4_trajectories(run):
        n[path] = max(n.get(path, 0), config["min_distance"]["n_trials"])
    return dict(sorted(n.items()))


def attractor_nz():
    """The N_z whose latent map's attractors are studied: the main one and Fig. 6's."""
    return sorted({config["main_nz"], *config["nz"]})


def attractor_parts(name):
    """Input function: the per-N_z parts {name}.csv of the run's attractor study."""
    return lambda w: [
        paths.stats_file(w.run, f"nz{nz}/{name}.csv") for nz in attractor_nz()
    ]
