"""Resumable training: the state of a training loop at an epoch's end, kept on disk.

A `Checkpoint` lives beside a job's outputs (not one of them). The loop hands it its state
after every epoch; it writes the state atomically every `every` epochs and, when the job
is terminated (SIGTERM, see `job.py`), the last state it was handed. A restarted job loads
it and goes on where it stopped, so the result is bit-identical to an uninterrupted run on
the same device. A checkpoint made with other settings is ignored, with a log line.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable, Iterator
from pathlib import Path

import torch

from vaeconcepts.infra.provenance import sha256
from vaeconcepts.infra.torchio import save_torch


def rng_state(g: torch.Generator) -> dict:
    """The states of the loop's generator and of torch's global ones (dropout draws from them)."""
    state = {"generator": g.get_state(), "torch": torch.get_rng_state()}
    if g.device.type == "cuda":
        state["cuda"] = torch.cuda.get_rng_state(g.device)
    return state


def set_rng_state(g: torch.Generator, state: dict) -> None:
    g.set_state(state["generator"])
    torch.set_rng_state(state["torch"])
    if "cuda" in state:
        torch.cuda.set_rng_state(state["cuda"], g.device)


class Checkpoint:
    """The training state of one job at `path`, valid only for the settings in `meta`."""

    def __init__(
        self, path: str | Path, meta: dict, every: int = 5, log: Callable[[str], None] = print
    ):
        self.path, self.meta, self.every, self.log = Path(path), meta, every, log
        self.last: dict | None = None

    def load(self) -> dict | None:
        """The saved state, or None when there is none or it was made with other settings."""
        if not self.path.exists():
            return None
        try:
            state = torch.load(self.path, map_location="cpu", weights_only=True)
        except Exception as exc:  # a checkpoint cut short by a crash: start afresh
            self.log(f"ignoring unreadable checkpoint {self.path} ({type(exc).__name__})")
            return None
        if state.get("meta") != self.meta:
            self.log(f"ignoring checkpoint {self.path}: made with other settings or seed")
            return None
        self.log(f"resuming from checkpoint {self.path} after epoch {state['epoch']}")
        return state

    def update(self, epoch: int, state: dict) -> None:
        """Keep a copy of the state after `epoch`; write it every `every` epochs."""
        self.last = {"meta": self.meta, "epoch": epoch, **copy.deepcopy(state)}
        if epoch % self.every == 0:
            self.save()

    def save(self) -> None:
        """Write the last state atomically (through a file handle: same bytes every time)."""
        if self.last is None:
            return
        save_torch(self.path, self.last)

    def remove(self) -> None:
        """Delete the checkpoint once the job's outputs are written."""
        self.path.unlink(missing_ok=True)

    @contextlib.contextmanager
    def saved_on_exit(self) -> Iterator[None]:
        """Write the last state if the block stops early (SIGTERM, Ctrl-C, an error)."""
        try:
            yield
        except BaseException:
            self.save()
            raise


def training_state(model, optimizer, g: torch.Generator, history: list) -> dict:
    """What a loop needs to go on: weights, optimiser, generators and the history so far."""
    return {
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict(),
        "rng": rng_state(g),
        "history": history,
    }


def resume(checkpoint: Checkpoint | None, model, optimizer, g: torch.Generator) -> tuple[list, int]:
    """Restore a loop from `checkpoint` if it holds a state: (history so far, epochs done)."""
    state = checkpoint.load() if checkpoint is not None else None
    if state is None:
        return [], 0
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    set_rng_state(g, state["rng"])
    return state["history"], state["epoch"]


def guard(checkpoint: Checkpoint | None):
    """checkpoint.saved_on_exit(), or nothing without a checkpoint."""
    return checkpoint.saved_on_exit() if checkpoint is not None else contextlib.nullcontext()


def job_checkpoint(path: str | Path, settings: dict, data: str | Path, device, log) -> Checkpoint:
    """The checkpoint of a training job (the five training scripts): valid only for its
    `settings`, the dataset file's checksum and the device type it ran on."""
    meta = {**settings, "data": sha256(data), "device": torch.device(device).type}
    return Checkpoint(path, meta, log=log)
