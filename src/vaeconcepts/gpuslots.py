"""One GPU per running job on a workstation with several GPUs.

Snakemake gives local jobs no GPU of their own: every job sees all GPUs and
torch puts them all on GPU 0. Every GPU rule therefore declares the resource
`gpu=1`, `snakemake --resources gpu=N` runs at most N of them at once, and
each job calls `claim_gpu()` before torch touches CUDA. It takes the lowest
free *slot*, a file lock (`flock`) in a directory shared by all jobs of the
machine, and sets `CUDA_VISIBLE_DEVICES` to that slot's GPU:

    slot 0 -> GPU 0, slot 1 -> GPU 1, ..., slot n -> GPU 0 again, ...

so up to n concurrent jobs get n different GPUs, and more (when `gpu` is not
limited) share them evenly. The lock is held until the process ends, also when
it crashes, and the slot is then free for the next job.

Under SLURM (`SLURM_JOB_ID` set) the scheduler binds GPUs and nothing is done.
`VAECONCEPTS_GPUS` sets the number of GPUs instead of asking `nvidia-smi`
(tests fake it), `VAECONCEPTS_GPU_LOCKS` the lock directory.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

GPUS_ENV = "VAECONCEPTS_GPUS"
LOCKS_ENV = "VAECONCEPTS_GPU_LOCKS"
MAX_ROUNDS = 64  # jobs sharing one GPU before claim_gpu gives up

_held: list[int] = []  # file descriptors of this process's slots, open until it exits


def count_gpus() -> int:
    """Number of NVIDIA GPUs: $VAECONCEPTS_GPUS if set, else nvidia-smi's count, else 0.

    Does not initialise CUDA (torch would then ignore a later CUDA_VISIBLE_DEVICES).
    """
    if os.environ.get(GPUS_ENV, "") != "":
        return int(os.environ[GPUS_ENV])
    if shutil.which("nvidia-smi") is None:
        return 0
    try:
        out = subprocess.run(
            ["nvidia-smi", "--query-gpu=index", "--format=csv,noheader"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return 0
    return sum(1 for line in out.splitlines() if line.strip())


def visible_gpus() -> list[str]:
    """The GPUs jobs may use: the entries of CUDA_VISIBLE_DEVICES when it is set
    (a user's restriction, e.g. "2,3"), else "0" ... "n-1"."""
    if "CUDA_VISIBLE_DEVICES" in os.environ:
        return [g.strip() for g in os.environ["CUDA_VISIBLE_DEVICES"].split(",") if g.strip()]
    return [str(i) for i in range(count_gpus())]


def lock_dir() -> Path:
    """$VAECONCEPTS_GPU_LOCKS, else one directory per user in the system's temp folder."""
    default = Path(tempfile.gettempdir()) / f"vaeconcepts-gpu-slots-{os.getuid()}"
    return Path(os.environ.get(LOCKS_ENV) or default)


def acquire_slot(gpus: list[str], directory: str | Path) -> tuple[int, int]:
    """Lock the lowest free slot; return (slot, file descriptor holding the lock).

    Slot s is GPU gpus[s % n] in round s // n; its lock file is `gpu{id}.{round}.lock`,
    named by the GPU so that jobs with different CUDA_VISIBLE_DEVICES agree.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for slot in range(MAX_ROUNDS * len(gpus)):
        gpu, round_ = gpus[slot % len(gpus)], slot // len(gpus)
        fd = os.open(directory / f"gpu{gpu}.{round_}.lock", os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        return slot, fd
    raise RuntimeError(f"all {MAX_ROUNDS * len(gpus)} GPU slots in {directory} are taken")


def claim_gpu(device: str = "auto", log: Callable[[str], None] | None = None) -> str | None:
    """Give this process its own GPU (sets CUDA_VISIBLE_DEVICES); return its id or None.

    Call before anything initialises CUDA. Does nothing for `device: cpu`, under
    SLURM, and on a machine without GPUs. The slot is held until the process exits.
    """
    if device == "cpu" or "SLURM_JOB_ID" in os.environ:
        return None
    gpus = visible_gpus()
    if not gpus:
        return None
    slot, fd = acquire_slot(gpus, lock_dir())
    _held.append(fd)
    gpu = gpus[slot % len(gpus)]
    os.environ["CUDA_VISIBLE_DEVICES"] = gpu
    if log is not None:
        log(f"GPU slot {slot} of {len(gpus)} GPUs: CUDA_VISIBLE_DEVICES={gpu}")
    return gpu


def release_gpus() -> None:
    """Free the slots this process holds (they are freed at exit anyway)."""
    while _held:
        os.close(_held.pop())
