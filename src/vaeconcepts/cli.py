"""The command line: `vaeconcepts archive collect|pool|readme|headline|map`, `vaeconcepts fidelity`,
`vaeconcepts configdoc` (one argparse parser with subcommands; the console script)."""

from __future__ import annotations

import argparse
import datetime
import subprocess
from collections.abc import Sequence
from pathlib import Path
from tempfile import TemporaryDirectory

import pandas as pd
import yaml

from vaeconcepts.config import configdoc
from vaeconcepts.figures import claims, style
from vaeconcepts.infra import paths
from vaeconcepts.infra.blocks import replace_block
from vaeconcepts.scorecard import archive, fidelity, markdown


def _head() -> str:
    """The commit checked out here ('unknown' outside a git work tree)."""
    head = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True)
    return head.stdout.strip() or "unknown"


def draw_study(table: pd.DataFrame, png: Path) -> None:
    """The study's scorecard figure as PNG (its PDF is not kept in a measurement)."""
    with TemporaryDirectory() as tmp:
        style.save(claims.plot(table), png, Path(tmp) / "claims.pdf")


def _write_or_print(block: str, path: str | None, start: str, end: str) -> None:
    """Rewrite the block between `start` and `end` of `path`, or print it without a path."""
    if path is None:
        print(block)
        return
    target = Path(path)
    target.write_text(replace_block(target.read_text(), block, start, end))


def collect(a: argparse.Namespace) -> None:
    dest = paths.measurement_folder(a.to, a.date, a.name)
    config = archive.merged_config(a.configfile, a.config)
    commit = a.commit or _head()
    files = archive.collect(Path(a.results), dest, a.title, a.command, config, commit, a.note)
    print(f"{len(files)} files in {dest}")


def pool(a: argparse.Namespace) -> None:
    sources = []
    if a.results:
        config = archive.merged_config(a.configfile, a.config)
        sources.append((Path(a.results), config, _head()))
    for folder in map(Path, a.folders):
        config = yaml.safe_load((folder / archive.CONFIG_FILE).read_text())
        sources.append((folder, config, archive.commit_of(folder)))
    dest = paths.measurement_folder(a.to, a.date, a.name)
    files = archive.pool(sources, a.runs, dest, a.title, a.command, a.date, draw=draw_study)
    print(f"{len(files)} files in {dest}")


def readme(a: argparse.Namespace) -> None:
    _write_or_print(markdown.tables(a.folders), a.write, markdown.START, markdown.END)


def headline(a: argparse.Namespace) -> None:
    block = markdown.headline(a.folders)
    _write_or_print(block, a.write, markdown.HEAD_START, markdown.HEAD_END)


def claim_map(a: argparse.Namespace) -> None:
    block = markdown.claim_map(a.folders)
    _write_or_print(block, a.write, markdown.MAP_START, markdown.MAP_END)


def compare(a: argparse.Namespace) -> None:
    ref, cand = fidelity.seed_values(a.reference), fidelity.seed_values(a.candidate)
    table, holds = fidelity.compare(ref, cand)
    if a.to:
        table.to_csv(a.to, index=False)
    print(table.to_string(index=False))
    print(f"\nchanges no claim: {'yes' if holds else 'no'}")


def reference(a: argparse.Namespace) -> None:
    _write_or_print(configdoc.table(), a.write, configdoc.START, configdoc.END)


def _archive_parsers(sub) -> None:
    arch = sub.add_parser("archive", help="keep finished runs in measurements/").add_subparsers(
        required=True
    )
    today = datetime.date.today().isoformat()
    p = arch.add_parser("collect", help="copy a finished results/ into measurements/")
    p.add_argument("name", help="measurements/{date}-{name}/")
    p.add_argument("--title", required=True)
    p.add_argument("--command", required=True, help="the snakemake command it ran")
    p.add_argument("--configfile", nargs="*", default=[])
    p.add_argument("--config", nargs="*", default=[])
    p.add_argument("--results", default="results")
    p.add_argument("--commit", default=None, help="default: the commit checked out")
    p.add_argument("--note", default="")
    p.add_argument("--to", default="measurements", help="the measurements folder")
    p.add_argument("--date", default=today)
    p.set_defaults(run=collect)
    p = arch.add_parser("pool", help="runs measured apart as one measurement")
    p.add_argument("name", help="measurements/{date}-{name}/")
    p.add_argument("--title", required=True)
    p.add_argument("--command", required=True, help="how the runs were made and pooled")
    p.add_argument("--runs", nargs="+", required=True)
    p.add_argument("--from", dest="folders", nargs="*", default=[],
                   help="measurement folders that hold runs")  # fmt: skip
    p.add_argument("--results", default=None, help="a results/ folder that holds runs")
    p.add_argument("--configfile", nargs="*", default=[], help="with --results")
    p.add_argument("--config", nargs="*", default=[], help="with --results")
    p.add_argument("--to", default="measurements", help="the measurements folder")
    p.add_argument("--date", default=today)
    p.set_defaults(run=pool)
    for name, run, what in (("readme", readme, "every measurement's table"),
                            ("headline", headline, "the headline table (README.md)"),
                            ("map", claim_map, "the claim map (200-epoch runs)")):  # fmt: skip
        p = arch.add_parser(name, help=f"print {what}, or rewrite them in a file")
        p.add_argument("folders", nargs="+", help="measurement folders")
        p.add_argument("--write", help=f"rewrite the block of {what} in this Markdown file")
        p.set_defaults(run=run)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="vaeconcepts", description=__doc__.splitlines()[0])
    sub = top.add_subparsers(required=True)
    _archive_parsers(sub)
    p = sub.add_parser("fidelity", help=fidelity.__doc__.splitlines()[0])
    p.add_argument("reference", help="measurement folder of the reference seeds")
    p.add_argument("candidate", help="measurement folder of the candidate's seeds")
    p.add_argument("--to", help="write the table here (CSV)")
    p.set_defaults(run=compare)
    p = sub.add_parser("configdoc", help="the configuration reference, from the schema")
    p.add_argument("--write", help="rewrite the reference block of this Markdown file")
    p.set_defaults(run=reference)
    return top


def main(argv: Sequence[str] | None = None) -> None:
    args = parser().parse_args(argv)
    args.run(args)
