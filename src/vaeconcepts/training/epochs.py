"""The epoch loop of both trainers (train.train_vae, one VAE; batched_training.train_stacked,
K stacked VAEs): the learning rate of each epoch (section 2's schedule), one history row per
model and epoch, the divergence check, the log line and the checkpoint."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from vaeconcepts.config.runs import schedule_epochs
from vaeconcepts.training.checkpoint import guard

if TYPE_CHECKING:
    from vaeconcepts.training.job import TrainingJob


class TrainingDiverged(RuntimeError):
    """A training loss or test ELBO became NaN or infinite; the message names the model."""


def lr_at(schedule: Sequence[dict], epoch: int) -> float:
    """The learning rate of `epoch` (from 1) in a schedule [{lr, epochs}, ...] (section 2)."""
    for stage in schedule:
        if epoch <= stage["epochs"]:
            return stage["lr"]
        epoch -= stage["epochs"]
    raise ValueError("epoch past the end of the schedule")


def total_epochs(schedules: Sequence[Sequence[dict]]) -> int:
    """The epochs of every schedule, which must be equal (models trained side by side)."""
    epochs = {schedule_epochs(schedule) for schedule in schedules}
    if len(epochs) != 1:
        raise ValueError(f"stacked models need equal total epochs, got {sorted(epochs)}")
    return epochs.pop()


def divergence(row: dict) -> str | None:
    """'nan' or 'inf' if the epoch's losses (a history row) are not finite, else None."""
    values = [row["train_elbo"], row["train_objective"], row["test_elbo"]]
    if all(math.isfinite(v) for v in values):
        return None
    return "nan" if any(math.isnan(v) for v in values) else "inf"


def diverged_message(name: str, row: dict, beta: float, bad: str) -> str:
    """`training diverged: run a, N_z 5, epoch 1 (lr 10.0, beta 1): loss is nan`."""
    where = f"{name}, " if name else ""
    return (
        f"training diverged: {where}epoch {row['epoch']} (lr {row['lr']}, beta {beta}): "
        f"loss is {bad}"
    )


# one epoch of every model: (train ELBO, train objective, test ELBO, active units) per model
EpochFn = Callable[[int, list[float]], list[tuple[float, float, float, int]]]


def run_epochs(
    job: TrainingJob,
    one_epoch: EpochFn,
    state: Callable[[list[list[dict]]], dict],
    histories: list[list[dict]],
    done: int,
    model,
) -> list[list[dict]]:
    """Epochs done + 1 ... end of the job's K members, each through its schedule; one history
    row per member and epoch (histories: those resumed from a checkpoint, `done` epochs).

    `one_epoch(epoch, lrs)` trains every model one epoch at lrs[k] and measures it. A model
    whose row is not finite (`divergence`) raises TrainingDiverged naming its member ('raise';
    the checkpoint is removed: a resumed run would only diverge again), or ends its history
    there while the others train on ('record'), until all have. `state(histories)` is what
    the checkpoint keeps after each epoch; `model` (a VAE or the stacked ones) gives the rows
    their precision and the messages their beta.
    """
    schedules, names, log, checkpoint = job.schedules, job.names, job.log, job.checkpoint
    beta, precision, on_divergence = model.beta, model.precision, job.on_divergence
    epochs, K = job.epochs, len(schedules)
    with guard(checkpoint):
        for epoch in range(done + 1, epochs + 1):
            if all(h and divergence(h[-1]) for h in histories):
                break  # every model diverged ('record')
            start = time.perf_counter()
            lrs = [lr_at(schedule, epoch) for schedule in schedules]
            measured = one_epoch(epoch, lrs)
            seconds = (time.perf_counter() - start) / K
            for k, (train_elbo, train_objective, test_elbo, n_active) in enumerate(measured):
                if histories[k] and divergence(histories[k][-1]):
                    continue  # diverged earlier ('record'): its history ends there
                row = dict(epoch=epoch, lr=lrs[k], train_elbo=train_elbo,
                           train_objective=train_objective, test_elbo=test_elbo,
                           active_units=n_active, seconds=seconds,
                           precision=precision)  # fmt: skip
                histories[k].append(row)
                bad = divergence(row)
                if bad:
                    log(diverged_message(names[k], row, beta, bad))
                    if on_divergence == "raise":
                        if checkpoint is not None:
                            checkpoint.remove()
                        raise TrainingDiverged(diverged_message(names[k], row, beta, bad))
            log(epoch_line(epoch, epochs, histories, seconds * K))
            if checkpoint is not None:
                checkpoint.update(epoch, state(histories))
    if checkpoint is not None and all(h and divergence(h[-1]) for h in histories):
        checkpoint.remove()
    return histories


def epoch_line(epoch: int, epochs: int, histories: list[list[dict]], seconds: float) -> str:
    """The log line of an epoch: one model's losses and units, or K models' test ELBO range."""
    if len(histories) == 1:
        r = histories[0][-1]
        return (
            f"epoch {epoch}/{epochs} lr {r['lr']:g} train ELBO {r['train_elbo']:.3f} "
            f"test ELBO {r['test_elbo']:.3f} active units {r['active_units']} ({seconds:.1f} s)"
        )
    test = [h[-1]["test_elbo"] for h in histories if h and h[-1]["epoch"] == epoch]
    return (
        f"epoch {epoch}/{epochs}: {len(histories)} models, test ELBO "
        f"{min(test, default=math.nan):.2f} ... {max(test, default=math.nan):.2f} ({seconds:.1f} s)"
    )
