"""What every job script does first: its log, its errors into the log, SIGTERM and SIGINT handled.

`start_job` opens the job's `log:` file, which keeps the earlier failed attempts of the
same job under dated headers (Snakemake deletes a log before each attempt; the attempts
are kept in a hidden sibling until the job succeeds), sends an uncaught exception's
traceback into it, and turns SIGTERM (a cluster's time limit or preemption, `kill`) and
SIGINT (Ctrl-C in the terminal of `snakemake`, which reaches its jobs too) into an
exception: `finally` blocks run, so temporary files are removed and training writes its
checkpoint, and the job exits with status 143 (130 for SIGINT). `job_device` gives a GPU
job its GPU.
"""

from __future__ import annotations

import atexit
import logging
import os
import signal
import sys
import traceback
from datetime import datetime
from pathlib import Path

from vaeconcepts.infra.runlog import open_log

SIGTERM_STATUS = 128 + signal.SIGTERM


class Terminated(SystemExit):
    """Raised in the main thread when the job receives SIGTERM or SIGINT."""


def attempts_file(log_path: str | Path) -> Path:
    """Where a job's earlier attempts are kept until it succeeds."""
    path = Path(log_path)
    return path.with_name(f".{path.name}.attempts")


def start_job(snakemake, name: str = "vaeconcepts") -> logging.Logger:
    """The job's logger, with failed attempts kept, tracebacks logged, SIGTERM and SIGINT
    handled."""
    log_path = snakemake.log[0] if len(snakemake.log) else None
    log = open_log(log_path, name, history=attempts_file(log_path) if log_path else None)
    header = f"==== {snakemake.rule} {dict(snakemake.wildcards.items())} started"
    log.info(f"{header} {datetime.now().isoformat(timespec='seconds')} (pid {os.getpid()})")
    failed = []

    def excepthook(kind, value, tb):
        failed.append(kind)
        log.error("".join(traceback.format_exception(kind, value, tb)).rstrip())

    def terminate(signum, frame):
        failed.append(Terminated)
        log.error(f"terminated by signal {signal.Signals(signum).name}: stopping, cleaning up")
        raise Terminated(128 + signum)

    def at_exit():
        if not failed and log_path is not None:
            attempts_file(log_path).unlink(missing_ok=True)

    sys.excepthook = excepthook
    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGINT, terminate)
    atexit.register(at_exit)
    return log


def job_device(snakemake, log: logging.Logger):
    """This job's torch device (config `device`), with its own GPU when several run at once,
    and torch limited to the job's threads."""
    import torch

    from vaeconcepts.infra.devices import pick_device
    from vaeconcepts.infra.gpuslots import claim_gpu

    device_name = snakemake.params.device
    claim_gpu(device_name, log.info)  # before anything initialises CUDA
    torch.set_num_threads(snakemake.threads)
    return pick_device(device_name)
