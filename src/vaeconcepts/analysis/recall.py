"""The classifier's label of the final states x(T) of repeated inference (Appendix B): which
trials stay their source's label (Fig. B.2) and at which p the memory is recalled (§3.2)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import torch

from vaeconcepts.infra import h5io
from vaeconcepts.training.classifier import Classifier, probabilities


def final_state_labels(
    classifier: Classifier, path: str, n: int, device: str | torch.device = "cpu"
) -> tuple[pd.DataFrame, dict]:
    """Per trial of a trajectory file's first n: the classifier's probabilities of x(T) and
    its predicted label; and the file's attributes (nz, p, label, T)."""
    traj, meta = h5io.read_trials(path, ["x_final", "source_index"], n)
    probs = probabilities(classifier, torch.from_numpy(traj["x_final"]).to(device)).cpu().numpy()
    keys = dict(nz=int(meta["nz"]), p=float(meta["p"]), label=int(meta["label"]))
    table = pd.DataFrame(
        dict(**keys, trial=np.arange(n), source_index=traj["source_index"],
             **{f"prob{k}": probs[:, k] for k in range(probs.shape[1])},
             predicted=probs.argmax(1))
    )  # fmt: skip
    return table, meta


def stay_summary(labels: pd.DataFrame, T: int) -> pd.DataFrame:
    """One row: the trials, and how many (and what fraction) of x(T) keep the source label."""
    first = labels.iloc[0]
    n, n_stay = len(labels), int((labels["predicted"] == labels["label"]).sum())
    keys = dict(nz=int(first["nz"]), p=float(first["p"]), label=int(first["label"]))
    return pd.DataFrame([dict(**keys, T=T, n=n, n_stay=n_stay, fraction_stay=n_stay / n)])


def recall_table(labels: list[pd.DataFrame]) -> pd.DataFrame:
    """Per p (one final_state_labels table each): trials, those whose x(T) is classified as the
    source label (`n_recalled`) and their fraction (`recalled`): C15's recall of the memory."""
    rows = [
        stay_summary(table, T=0)
        .drop(columns="T")
        .rename(columns={"n_stay": "n_recalled", "fraction_stay": "recalled"})
        for table in labels
    ]
    return pd.concat(rows, ignore_index=True).sort_values("p", ignore_index=True)
