"""The scale of a run against the paper's protocol: the stamp a figure, the scorecard and the
report carry when a run is smaller (or otherwise other) than the paper's."""

from __future__ import annotations

from vaeconcepts.config.runs import train_settings

# The paper's protocol (section 2, captions of Figs. 2, 4 and B.2): 200 epochs on the full
# training set, N_z = 100, and these trials per analysis.
PAPER_EPOCHS = 200
PAPER_NZ = 100
PAPER_TRIALS = {"concept_curves": 300, "min_distance": 500, "classifier": 300}


def _trials(cfg: dict) -> str | None:
    """The trials of the analyses that use fewer than the paper's, e.g. '30-40 trials'."""
    fewer = sorted({cfg[k]["n_trials"] for k, n in PAPER_TRIALS.items() if cfg[k]["n_trials"] < n})
    if not fewer:
        return None
    span = f"{fewer[0]:,}" if len(fewer) == 1 else f"{fewer[0]:,}-{fewer[-1]:,}"
    return f"{span} trials"


def scale_stamp(cfg: dict) -> str | None:
    """What sets a run's scale apart from the paper's, in words, e.g. 'smoke test: 5 epochs,
    3,000 training images, N_z = 20, 30-40 trials: not a reproduction'; None at its scale.

    `cfg`: a run's full settings (runs.run_config). Epochs: the main model's schedule.
    """
    nz = cfg["main_nz"]
    epochs = sum(stage["epochs"] for stage in train_settings(cfg, nz)["schedule"])
    subset = (cfg.get("subset") or {}).get("train")
    trials = _trials(cfg)
    parts = [
        f"{epochs:,} epochs" if epochs != PAPER_EPOCHS else None,
        f"{subset:,} training images" if subset is not None else None,
        f"N_z = {nz}" if nz != PAPER_NZ else None,
        trials,
    ]
    parts = [p for p in parts if p]
    if not parts:
        return None
    smaller = epochs < PAPER_EPOCHS or subset is not None or nz < PAPER_NZ or trials
    head = "smoke test" if smaller else "not the paper's scale"
    return f"{head}: {', '.join(parts)}: not a reproduction"


def study_stamp(stamps: dict[str, str | None]) -> str | None:
    """One stamp for several runs (run -> scale_stamp): the common one, or one line per run
    whose scale is not the paper's when they differ."""
    values = set(stamps.values())
    if values == {None} or not stamps:
        return None
    if len(values) == 1:
        return values.pop()
    return "\n".join(f"{run}: {stamp}" for run, stamp in stamps.items() if stamp)
