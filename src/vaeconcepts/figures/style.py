"""Shared look of the figures: sized for a paper column, saved as PNG and PDF."""

from __future__ import annotations

import functools
import hashlib
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from vaeconcepts.infra.atomic import atomic_path  # noqa: E402

COLUMN_WIDTH = 3.5  # inches, one column of a two-column paper
FULL_WIDTH = 7.2
# Ten labels told apart by colour (Paul Tol's colour-blind-safe "muted" scheme) and marker.
LABEL_COLOURS = ("#332288", "#88CCEE", "#44AA99", "#117733", "#999933",
                 "#DDCC77", "#CC6677", "#882255", "#AA4499", "#777777")  # fmt: skip
LABEL_MARKERS = ("o", "s", "^", "v", "D", "P", "X", "*", "h", "<")


def label_style(k: int) -> dict:
    """Colour and marker of label k (cycled beyond ten)."""
    return {"color": LABEL_COLOURS[k % 10], "marker": LABEL_MARKERS[k % 10]}


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


@functools.cache
def figure_code() -> str:
    """A fingerprint of the code that draws the figures (this package's sources): saved in
    every PNG, so that a picture kept in the repository can be told stale."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


STAMP_COLOUR = "#b2182b"


def stamp(fig: plt.Figure, text: str) -> None:
    """Write `text` (config.scale.scale_stamp: a run not at the paper's scale) in red above
    everything drawn on `fig`, wrapped to its width."""
    box = fig.get_tightbbox(fig.canvas.get_renderer())  # inches
    fontsize = 7
    width = int(max(box.width, 2.0) * 72 / (0.55 * fontsize))  # characters per line
    lines = [w for line in text.splitlines() for w in textwrap.wrap(line, width)]
    fig.text(
        (box.x0 + box.x1) / 2 / fig.get_figwidth(), (box.y1 + 0.04) / fig.get_figheight(),
        "\n".join(lines), ha="center", va="bottom", fontsize=fontsize, color=STAMP_COLOUR,
        fontweight="bold",
    )  # fmt: skip


def save(
    fig: plt.Figure,
    png: str | Path,
    pdf: str | Path,
    prov: str | None = None,
    scale: str | None = None,
) -> None:
    """Write `fig` atomically as PNG and PDF (no timestamps, so reruns give the same bytes).

    `prov` (provenance.provenance) goes into the PNG's Description and the PDF's Subject;
    `figure_code()` into the PNG's "Figure code"; `scale` (config.scale.scale_stamp), when
    not None, is stamped on the figure.
    """
    if scale:
        stamp(fig, scale)
    png_meta, pdf_meta = {"Software": None, "Figure code": figure_code()}, {"CreationDate": None}
    if prov is not None:
        png_meta["Description"], pdf_meta["Subject"] = prov, prov
    for path, fmt, meta in ((png, "png", png_meta), (pdf, "pdf", pdf_meta)):
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format=fmt, metadata=meta)
    plt.close(fig)
