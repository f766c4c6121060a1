"""Fig. 4 from its files: the minimum distances over t to memory, concept and abstract concept
(eq. 13) of one label's trajectories at every p, and the stage at each p."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from vaeconcepts.analysis import tables
from vaeconcepts.infra import h5io
from vaeconcepts.infra.errors import InputError
from vaeconcepts.paper.noise import changed_fraction

KEYS = ["nz", "p", "label", "changed_pixels"]


def min_distance_table(
    trajectories: Sequence[str],
    noisy: Sequence[str],
    latents: str,
    images: np.ndarray,
    n: int,
    log: Callable[[str], None] = lambda _: None,
) -> pd.DataFrame:
    """Mean, SEM and n of min_t |z(t) - target| per p (one trajectory file and its noisy-input
    file each) and target, the fraction of pixels the noise changed, for the model of `latents`.
    `images`: the training images (the noisy inputs' sources)."""
    latent = h5io.read_h5(latents, ["train/mu", "concepts", "abstract_concept"])
    rows = []
    for path, noisy_path in zip(trajectories, noisy, strict=True):
        arrays, meta = h5io.read_trials(path, ["z", "source_index"], n)
        nz, p, label = int(meta["nz"]), float(meta["p"]), int(meta["label"])
        if arrays["z"].shape[2] != latent["concepts"].shape[1]:
            raise InputError(f"{path}: N_z = {nz}, but {latents} is of another N_z")
        memory = latent["train/mu"][arrays["source_index"]]  # memory of each trial's source
        table = tables.min_distances(
            arrays["z"], memory, latent["concepts"][label], latent["abstract_concept"]
        )
        x0 = h5io.read_trials(noisy_path, ["x0", "source_index"], n)[0]
        changed = changed_fraction(images[x0["source_index"]], x0["x0"])
        rows.append(table.assign(nz=nz, p=p, label=label, changed_pixels=changed))
        log(
            f"N_z = {nz}, p = {p:g} ({changed:.1%} of pixels changed): "
            + ", ".join(f"{t} {m:.3f}" for t, m in zip(table.target, table["mean"], strict=True))
        )
    return pd.concat(rows)[[*KEYS, "target", "mean", "sem", "n"]]


def stages(min_dist: pd.DataFrame) -> pd.DataFrame:
    """The stage (I, II, III) at every N_z and p of min_distance_table's rows."""
    return tables.stages(min_dist, KEYS)
