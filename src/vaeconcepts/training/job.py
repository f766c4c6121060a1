"""One training job: what a job script builds once from the config and the wildcards, and
what the trainers (single, stacked, the sweep's) and the epoch loop take."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from vaeconcepts.training.checkpoint import Checkpoint
from vaeconcepts.training.epochs import total_epochs


@dataclass(frozen=True)
class Member:
    """One VAE of a job: its N_z, schedule [{lr, epochs}, ...] (section 2), seed (its initial
    weights, data order and test-ELBO draws) and its name in messages."""

    nz: int
    schedule: Sequence[dict]
    seed: int
    name: str = ""


@dataclass
class TrainingJob:
    """The VAEs a job trains (one, or K side by side) and what they share.

    `model`: VAE(nz, **model)'s settings (hidden, n_samples, init, beta, layers, objective,
    precision); `binarize` 'dynamic' draws a binary image each epoch and binarises the test
    set once with a seed from `run_seed`; `data` the dataset file, on `device`. An epoch
    that is not finite raises TrainingDiverged ('raise') or ends that model's history
    ('record', the Fig. 7 sweep)."""

    members: list[Member]
    batch_size: int
    model: dict = field(default_factory=dict)
    binarize: str = "none"
    run_seed: int = 0
    data: str | Path | None = None
    device: str = "cpu"
    cuda_graph: bool = False
    on_divergence: str = "raise"
    checkpoint: Checkpoint | None = None
    log: Callable[[str], None] = print

    @property
    def schedules(self) -> list[Sequence[dict]]:
        return [m.schedule for m in self.members]

    @property
    def seeds(self) -> list[int]:
        return [m.seed for m in self.members]

    @property
    def names(self) -> list[str]:
        return [m.name or f"model {k}" for k, m in enumerate(self.members)]

    @property
    def epochs(self) -> int:
        """The epochs of every member (equal: one step trains them all)."""
        return total_epochs(self.schedules)

    @property
    def dynamic(self) -> bool:
        return self.binarize == "dynamic"


def one_vae(schedule: Sequence[dict], batch_size: int, seed: int, **shared) -> TrainingJob:
    """A job of one VAE (its settings as TrainingJob's keywords; `name` its member's)."""
    member = Member(shared.pop("nz", 0), schedule, seed, shared.pop("name", ""))
    return TrainingJob([member], batch_size, **shared)


def side_by_side(
    schedules: Sequence[Sequence[dict]],
    batch_size: int,
    seeds: Sequence[int],
    names: Sequence[str] | None = None,
    **shared,
) -> TrainingJob:
    """A job of K VAEs trained as one, member k through schedules[k] with seeds[k]."""
    names = list(names) if names is not None else [""] * len(seeds)
    members = [
        Member(0, s, seed, name) for s, seed, name in zip(schedules, seeds, names, strict=True)
    ]
    return TrainingJob(members, batch_size, **shared)
