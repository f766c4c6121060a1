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

When only one GPU is visible there is nothing to choose and no slot is taken: so
under a scheduler that binds one GPU per job (SLURM's `--gpus=1`), while a local run
inside an allocation of several GPUs (`salloc --gpus=4`) uses the slots over them.
`VAECONCEPTS_GPUS` sets the number of GPUs instead of asking `nvidia-smi`
(tests fake it), `VAECONCEPTS_GPU_LOCKS` the lock directory.

The lock directory is private: created with mode 0700, and refused (GPULockError) when
it is not a directory of this user closed to others; lock files are opened without
following symbolic links, so nothing planted there can redirect a write.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

GPUS_ENV = "VAECONCEPTS_GPUS"
LOCKS_ENV = "VAECONCEPTS_GPU_LOCKS"
MAX_ROUNDS = 64  # jobs sharing one GPU before claim_gpu gives up

_held: list[int] = []  # file descriptors of this process's slots, open until it exits


class GPULockError(RuntimeError):
    """The GPU lock directory or a lock file is not safe to use."""


def count_gpus() -> int:
    """Number of NVIDIA GPUs: $VAECONCEPTS_GPUS if set, else nvidia-smi's count, else 0
    (with a logged warning naming the cause where nvidia-smi is there but fails).

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
    except (OSError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", None) or exc
        logging.getLogger("vaeconcepts").warning(
            f"nvidia-smi failed ({str(detail).strip()}): counting no GPUs, so this job gets "
            f"no GPU of its own and may share GPU 0 with others; set {GPUS_ENV} to the "
            "number of GPUs"
        )
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
    directory = private_dir(directory)
    for slot in range(MAX_ROUNDS * len(gpus)):
        gpu, round_ = gpus[slot % len(gpus)], slot // len(gpus)
        path = directory / f"gpu{gpu}.{round_}.lock"
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        except OSError as exc:
            if path.is_symlink():
                raise GPULockError(f"{path}: a symbolic link, not a lock file; remove it") from None
            raise GPULockError(f"{path}: cannot open the lock file ({exc})") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        return slot, fd
    raise RuntimeError(f"all {MAX_ROUNDS * len(gpus)} GPU slots in {directory} are taken")


def private_dir(directory: str | Path) -> Path:
    """The lock directory, created 0700 if missing; GPULockError unless it is a real
    directory (not a link) of this user that no one else may write or read."""
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    try:
        directory.mkdir(mode=0o700)
    except FileExistsError:
        pass
    st = os.lstat(directory)
    fix = f"remove it, or set {LOCKS_ENV} to a directory of your own"
    if not stat.S_ISDIR(st.st_mode):
        raise GPULockError(f"{directory}: GPU lock path is not a directory (a link?); {fix}")
    if st.st_uid != os.getuid():
        raise GPULockError(
            f"{directory}: GPU lock directory owned by uid {st.st_uid}, not by you "
            f"(uid {os.getuid()}); {fix}"
        )
    if st.st_mode & 0o077:
        raise GPULockError(
            f"{directory}: GPU lock directory has mode {oct(st.st_mode & 0o777)}, open to "
            f"others; `chmod 700 {directory}` or {fix}"
        )
    return directory


def claim_gpu(device: str = "auto", log: Callable[[str], None] | None = None) -> str | None:
    """Give this process its own GPU (sets CUDA_VISIBLE_DEVICES); return its id or None.

    Call before anything initialises CUDA. Does nothing for `device: cpu` and on a
    machine without GPUs; with one visible GPU (one bound by a scheduler) returns it
    without a slot. The slot is held until the process exits.
    """
    if device == "cpu":
        return None
    gpus = visible_gpus()
    if not gpus:
        return None
    if len(gpus) == 1:
        return gpus[0]
    slot, fd = acquire_slot(gpus, lock_dir())
    _held.append(fd)
    gpu = gpus[slot % len(gpus)]
    os.environ["CUDA_VISIBLE_DEVICES"] = gpu
    if log is not None:
        log(f"GPU slot {slot} of {len(gpus)} GPUs: CUDA_VISIBLE_DEVICES={gpu}")
    return gpu
