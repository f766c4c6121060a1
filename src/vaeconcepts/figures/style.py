"""Shared look of the figures: sized for a paper column, saved as PNG and PDF."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from ..h5io import atomic_path  # noqa: E402

COLUMN_WIDTH = 3.5  # inches, one column of a two-column paper
FULL_WIDTH = 7.2

plt.rcParams.update(
    {
        "font.size": 8,
        "axes.titlesize": 8,
        "axes.labelsize": 8,
        "legend.fontsize": 7,
        "xtick.labelsize": 7,
        "ytick.labelsize": 7,
        "figure.dpi": 150,
        "savefig.dpi": 300,
        "savefig.bbox": "tight",
        "pdf.fonttype": 42,
        "svg.hashsalt": "vaeconcepts",
    }
)


def save(fig: plt.Figure, png: str | Path, pdf: str | Path) -> None:
    """Write `fig` atomically as PNG and PDF (no timestamps, so reruns give the same bytes)."""
    for path, fmt, meta in ((png, "png", {"Software": None}), (pdf, "pdf", {"CreationDate": None})):
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format=fmt, metadata=meta)
    plt.close(fig)
