# Shared helpers: the runs sheet, paths, target lists, per-stage parameters and resources.

import functools
import math

from vaeconcepts.config import model_nz
from vaeconcepts.paths import lr_tag, p_tag
from vaeconcepts.runs import (
    RUN_NAME,
    model_owner,
    run_config,
    run_names,
    seed_groups,
    sweep_owner,
    train_settings,
)

# Every run's full settings: the top-level config with the run's overrides.
RUNS = {run: run_config(config, run) for run in run_names(config)}
DATASET = "mnist"


wildcard_constraints:
    run=RUN_NAME.pattern,
    nz=r"[1-9][0-9]*",
    p=r"[01]\.[0-9][0-9]",
    label=r"[0-9]",
    mode=r"flip|permute",
    dataset=DATASET,


def R(wildcards):
    """The full settings of the job's run."""
    return RUNS[wildcards.run]


def run_expand(pattern, **kwargs):
    """`pattern` (with {run}) for every run of the sheet."""
    return expand(pattern, run=list(RUNS), **kwargs)


@functools.cache
def owner(run, nz):
    """The run whose VAE of this N_z `run` uses (the first with equal training settings)."""
    return model_owner(config, run, int(nz))


def model_file(run, nz, name="model.pt"):
    return f"results/runs/{owner(run, nz)}/models/nz{nz}/{name}"


def latents_file(run, nz):
    return f"results/runs/{owner(run, nz)}/latents/nz{nz}.h5"


def noisy_file(run, p, label):
    """The shared noisy inputs of the run's noise settings."""
    mode = RUNS[run]["noise"]["mode"]
    return f"results/noisy/{DATASET}/{mode}/p{p_tag(float(p))}/label{label}.h5"


def trajectory(run, nz, p, label):
    return f"results/runs/{run}/trajectories/nz{nz}/p{p_tag(float(p))}/label{label}.h5"


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
    return sum(s["epochs"] for s in train_settings(RUNS[run], int(nz))["schedule"])


def total_epochs(wildcards):
    return total_epochs_of(wildcards.run, wildcards.nz)


def train_images():
    """(training, test) images the VAE sees: MNIST or its `subset`."""
    sub = config["subset"]
    return min(sub["train"] or 60000, 60000), min(sub["test"] or 10000, 10000)


def train_mem_mb(wildcards):
    """Host memory (MB) of one training job: torch and CUDA (2.5 GB), the images as
    float32 twice over, and weights, gradients and the two Adam moments of the VAE."""
    nz, hidden = int(wildcards.nz), R(wildcards)["model"]["hidden"]
    n_params = 2 * 784 * hidden + 3 * hidden * nz + 2 * hidden + 2 * nz + 784
    data = sum(train_images()) * 784 * 4 * 2
    return 2500 + math.ceil((data + 4 * 4 * n_params) / 2**20)


def train_runtime(wildcards):
    """Minutes of one training job: 10 + every epoch of every stage at 0.4 min per epoch
    of 60,000 images with hidden = 1024 and N_z = 100 (twice what 2 CPU cores take),
    scaled by the images and the multiply-adds per image (784*H twice, H*N_z thrice)."""
    nz, hidden = int(wildcards.nz), R(wildcards)["model"]["hidden"]
    work = (2 * 784 * hidden + 3 * hidden * nz) / (2 * 784 * 1024 + 3 * 1024 * 100)
    per_epoch = 0.4 * train_images()[0] / 60000 * work
    return 10 + math.ceil(total_epochs(wildcards) * per_epoch)


def curve_keys():
    """(nz, p, label) of every distance-to-concept curve the figures need:
    Fig. 2 (main N_z, every label), Fig. 6 and the onset table (label onset.label)."""
    p = config["concept_curves"]["p"]
    keys = {(config["main_nz"], p, k) for k in config["concept_curves"]["labels"]}
    label = config["onset"]["label"]
    keys |= {(nz, p, label) for nz in {*config["nz"], *config["onset"]["nz"]}}
    return sorted(keys)


def mnist_sources(wildcards):
    """The IDX files under data_dir, so that changed data re-runs the stage."""
    if config["data_dir"] is None:
        return []
    root = Path(config["data_dir"])
    stems = [
        "train-images-idx3-ubyte",
        "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte",
        "t10k-labels-idx1-ubyte",
    ]
    return [
        str(root / s) if (root / s).exists() else str(root / f"{s}.gz") for s in stems
    ]


def final_state_trajectory(wildcards):
    """Trajectories whose final states are classified: label classifier.label at
    concept_curves.p for the main N_z."""
    return trajectory(
        wildcards.run,
        config["main_nz"],
        config["concept_curves"]["p"],
        config["classifier"]["label"],
    )


def sweep_histories(wildcards):
    """history.csv of every (N_z, lr, batch size) of the run's sweep; the lr is in the path."""
    s = config["sweep"]
    return expand(
        "results/runs/{run}/sweep/nz{nz}/lr{lr}_bs{bs}/history.csv",
        run=sweep_owner(config, wildcards.run),
        nz=s["nz"],
        lr=[lr_tag(lr) for lr in s["lr"]],
        bs=s["batch_size"],
    )


def stats_file(name):
    """Input function: the run's results/runs/{run}/stats/{name}.csv."""
    return lambda w: f"results/runs/{w.run}/stats/{name}.csv"


def latent_parts(name):
    """Input function: the per-N_z parts {name}.csv of the run's latent statistics."""
    return lambda w: expand(
        "results/runs/{run}/stats/nz{nz}/{name}.csv",
        run=w.run,
        nz=model_nz(R(w)),
        name=name,
    )


def generalization_if_built(wildcards):
    """The sweep's table when `snakemake fig7` has built it; else C8 is `not run`."""
    path = f"results/runs/{wildcards.run}/stats/generalization.csv"
    return [path] if os.path.exists(path) else []
