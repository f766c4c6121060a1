"""Training precision: 'fp32' (the paper's) or 'bf16', bfloat16 matrix products under
autocast with fp32 master weights; the ELBO's terms, the loss and Adam's state stay fp32.

bf16 is refused where the device has no bf16 arithmetic of its own (a CPU without
AVX512_BF16 or AMX, a GPU without bf16 tensor cores): there it is emulated, slower than
fp32. Rollouts, latents and measures run in fp32 whatever a model was trained in.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from vaeconcepts.paper.model import PRECISIONS

# CPU flags (/proc/cpuinfo) of bf16 arithmetic: AVX-512 BF16 dot products, AMX tiles.
CPU_BF16_FLAGS = ("avx512_bf16", "amx_bf16")


def cpu_flags(cpuinfo: str | Path = "/proc/cpuinfo") -> set[str]:
    """The CPU's feature flags as Linux lists them (empty where there is no /proc/cpuinfo)."""
    try:
        text = Path(cpuinfo).read_text()
    except OSError:
        return set()
    for line in text.splitlines():
        if line.startswith("flags"):
            return set(line.partition(":")[2].split())
    return set()


def bf16_unsupported(device_type: str, flags: set[str] | None = None) -> str | None:
    """Why bf16 training would be emulated on `device_type` ('cpu' or 'cuda'), or None where
    the device has bf16 arithmetic. `flags`: the CPU's (default: `cpu_flags()`)."""
    if device_type == "cuda":
        import torch

        if not torch.cuda.is_bf16_supported(including_emulation=False):
            name = torch.cuda.get_device_name()
            return f"the GPU ({name}) has no bf16 tensor cores"
        return None
    flags = cpu_flags() if flags is None else flags
    if not flags & set(CPU_BF16_FLAGS):
        return f"the CPU has none of the bf16 instructions {', '.join(CPU_BF16_FLAGS)}"
    return None


def check_precision(precision: str, device_type: str, flags: set[str] | None = None) -> None:
    """Raise ValueError naming the reason if `precision` cannot run fast on `device_type`."""
    if precision not in PRECISIONS:
        raise ValueError(f"model precision {precision!r}: expected one of {PRECISIONS}")
    if precision == "bf16":
        why = bf16_unsupported(device_type, flags)
        if why:
            raise ValueError(
                f"model precision 'bf16' on {device_type}: {why}, so bf16 would be emulated "
                "and slower than fp32; set model.precision: fp32"
            )


def autocast(precision: str, device_type: str):
    """The context of a training step's forward pass: bf16 autocast, or nothing for fp32."""
    if precision != "bf16":
        return contextlib.nullcontext()
    import torch

    # no weight-cast cache: each weight is used once per step, and a CUDA graph needs it off
    return torch.autocast(device_type, dtype=torch.bfloat16, cache_enabled=False)
