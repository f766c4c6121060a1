# Shared helpers: paths, target lists and per-stage parameters.

from vaeconcepts.config import model_nz, p_tag, train_settings
from vaeconcepts.latent_size import lr_tag


wildcard_constraints:
    nz=r"[1-9][0-9]*",
    p=r"[01]\.[0-9][0-9]",
    label=r"[0-9]",


def expand_models():
    """model.pt and history.csv of every N_z that some analysis needs."""
    return expand(
        "results/models/nz{nz}/{f}", nz=model_nz(config), f=["model.pt", "history.csv"]
    )


def total_epochs(nz):
    return sum(stage["epochs"] for stage in train_settings(config, int(nz))["schedule"])


def curve_keys():
    """(nz, p, label) of every distance-to-concept curve the figures need:
    Fig. 2 (main N_z, every label), Fig. 6 and the onset table (label onset.label)."""
    p = config["concept_curves"]["p"]
    keys = {(config["main_nz"], p, k) for k in config["concept_curves"]["labels"]}
    label = config["onset"]["label"]
    keys |= {(nz, p, label) for nz in {*config["nz"], *config["onset"]["nz"]}}
    return sorted(keys)


def trajectory(nz, p, label):
    return f"results/trajectories/nz{nz}/p{p_tag(p)}/label{label}.h5"


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
    return [str(root / s) if (root / s).exists() else str(root / f"{s}.gz") for s in stems]


def final_state_trajectory():
    """Trajectories whose final states are classified: label classifier.label at
    concept_curves.p for the main N_z."""
    return trajectory(
        config["main_nz"], config["concept_curves"]["p"], config["classifier"]["label"]
    )


def sweep_histories():
    """history.csv of every (N_z, lr, batch size) of the sweep; the lr is in the path."""
    s = config["sweep"]
    return expand(
        "results/sweep/nz{nz}/lr{lr}_bs{bs}/history.csv",
        nz=s["nz"],
        lr=[lr_tag(lr) for lr in s["lr"]],
        bs=s["batch_size"],
    )
