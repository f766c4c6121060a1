"""Measurements kept in the repository: a finished run's small files copied to
`measurements/{date}-{name}/`, and the README's measured-scorecard tables made from them.

    python -m vaeconcepts.measured collect NAME --title TEXT --command TEXT [--configfile F ...]
                                           [--config KEY=VALUE ...] [--results results]
    python -m vaeconcepts.measured measurements/*/            # print the tables
    python -m vaeconcepts.measured --readme README.md measurements/*/   # rewrite them there
    python -m vaeconcepts.measured --map docs/science.md measurements/*/  # the claim map
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import yaml

from .runs import model_nz, run_names

# Per run, the tables a measurement keeps (results/runs/{run}/stats/), when the run made them.
RUN_TABLES = (
    "claims.csv",
    "latent_summary.csv",
    "min_distance.csv",
    "stages.csv",
    "onset.csv",
    "generalization.csv",
)
START, END = "<!-- measured:start -->", "<!-- measured:end -->"
MAP_START, MAP_END = "<!-- map:start -->", "<!-- map:end -->"  # docs/science.md
CONFIG_FILE = "config.yaml"  # the merged config, in each measurement


def merged_config(
    configfiles: Sequence[str], overrides: Sequence[str], base: str | Path = "config.yaml"
) -> dict:
    """The config Snakemake ran with, merged as it merges them: the workflow's config.yaml,
    each --configfile, then --config KEY=VALUE."""
    from snakemake.cli import parse_config
    from snakemake.utils import update_config

    config = yaml.safe_load(Path(base).read_text())
    for path in configfiles:
        update_config(config, yaml.safe_load(Path(path).read_text()) or {})
    update_config(config, parse_config(list(overrides)))
    return config


def machine() -> str:
    """One line on where this ran: processor, cores, GPU, Python and torch."""
    import torch

    cpu = platform.processor() or platform.machine()
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no GPU"
    return (
        f"{platform.system()} {cpu}, {os.cpu_count()} cores, {gpu}; Python "
        f"{platform.python_version()}, torch {torch.__version__}"
    )


def _measured(rel: Path, config: dict) -> bool:
    """Whether a results/benchmarks/ file is a job of `config`'s runs and latent sizes (the
    sweep's N_z under sweep/, the models' elsewhere)."""
    if rel.parts[0] == "runs" and rel.parts[1] not in config["runs"]:
        return False
    nz = config["sweep"]["nz"] if "sweep" in rel.parts else model_nz(config)
    return all(int(n) in nz for part in rel.parts for n in re.findall(r"(?:^|_)nz(\d+)", part))


def job_times(results: Path, config: dict) -> tuple[float, float]:
    """(hours of the measured jobs summed, hours from the first one's start to the last
    one's end), from results/benchmarks/; other runs and N_z in the same folder not counted."""
    seconds, starts, ends = 0.0, [], []
    for tsv in (results / "benchmarks").glob("**/*.tsv"):
        if _measured(tsv.relative_to(results / "benchmarks"), config):
            s = pd.read_csv(tsv, sep="\t")["s"].sum()
            seconds += s
            ends.append(tsv.stat().st_mtime)
            starts.append(ends[-1] - s)
    return seconds / 3600, (max(ends) - min(starts)) / 3600 if ends else 0.0


def collect(
    results: Path,
    dest: Path,
    title: str,
    command: str,
    config: dict,
    commit: str,
    note: str = "",
) -> list[Path]:
    """Copy the small files of `config`'s runs and latent sizes from `results` to `dest` and
    write its README.md (title, command, commit, machine, times) and the merged config; the
    files written. Other runs and N_z that share the results folder are left out."""
    runs = run_names(config)
    if not (results / "study" / "claims.csv").is_file():
        raise FileNotFoundError(f"{results / 'study' / 'claims.csv'}: the run has no scorecard")
    dest.mkdir(parents=True, exist_ok=True)
    written = []

    def keep(src: Path, rel: str) -> None:
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)
        written.append(target)

    keep(results / "study" / "claims.csv", "study/claims.csv")
    keep(results / "study" / "claims.png", "study/claims.png")
    for run in runs:
        for name in RUN_TABLES:
            if (results / "runs" / run / "stats" / name).is_file():
                keep(results / "runs" / run / "stats" / name, f"runs/{run}/{name}")
        for n in model_nz(config):
            history = results / "runs" / run / "models" / f"nz{n}" / "history.csv"
            if history.is_file():
                keep(history, f"runs/{run}/models/nz{n}/history.csv")
    (dest / CONFIG_FILE).write_text(yaml.safe_dump(config, sort_keys=False))
    job_hours, span_hours = job_times(results, config)
    lines = [
        f"# {title}",
        "",
        f"- command: `{command}`",
        f"- commit: {commit}",
        f"- machine: {machine()}",
        f"- time: {job_hours:.1f} h of jobs in all, {span_hours:.1f} h from the first job's "
        f"start to the last one's end (results/benchmarks/)",
        f"- collected: {datetime.date.today().isoformat()}, with "
        f"`python -m vaeconcepts.measured collect`",
        f"- runs: {', '.join(runs)}",
        "",
        "Files: `config.yaml` (the merged config), `study/claims.csv` and `claims.png` (every "
        "run's scorecard), and per run `runs/{run}/`: its tables and each model's "
        "`history.csv`.",
    ]
    if note:
        lines += ["", note]
    (dest / "README.md").write_text("\n".join(lines) + "\n")
    return [*written, dest / CONFIG_FILE, dest / "README.md"]


def _title(folder: Path) -> str:
    first = (folder / "README.md").read_text().splitlines()[0]
    return first.lstrip("# ").strip()


def _final_test_elbo(folder: Path, run: str, nz: str) -> float | None:
    """The test ELBO at the last epoch of a run's model, or None without its history."""
    path = folder / "runs" / run / "models" / f"nz{nz}" / "history.csv"
    if not path.is_file():
        return None
    return float(pd.read_csv(path)["test_elbo"].iloc[-1])


def _elbo_cell(values: list[float | None]) -> str:
    """One run's test ELBO, or a seed group's mean ± sd (sample sd, as the scorecard's)."""
    found = [v for v in values if v is not None]
    if len(found) < len(values) or not found:
        return "–"
    if len(found) == 1:
        return f"{found[0]:.2f}"
    return f"{pd.Series(found).mean():.2f} ± {pd.Series(found).std():.2f}"


def _cell(row: pd.Series) -> str:
    if re.fullmatch(r"not run( \d+)?", row["verdict"]):  # one run, or a group's count
        return "not run"
    return f"{row['ours']}: {row['verdict']}".replace("|", "/")


def table(folder: Path) -> str:
    """A measurement's scorecard as a Markdown table: one column per run (its value in the
    scorecard's words and its verdict), one per group of seeds (mean ± sd, verdict counts)."""
    study = pd.read_csv(folder / "study" / "claims.csv", dtype=str, keep_default_na=False)
    runs = study[study["kind"] == "run"]
    groups = study[study["kind"] == "seeds"]
    names = list(dict.fromkeys(runs["run"]))
    claims = list(dict.fromkeys(runs["claim"]))
    main = {n: runs[(runs["run"] == n) & (runs["claim"] == "C2")].iloc[0] for n in names}
    head = ["claim", "paper"] + [f"`{n}` ({main[n]['epochs']} ep.)" for n in names]
    # seeds share their noisy inputs (the top-level seed makes them): the models' spread
    head += [f"{g} (mean ± sd of the models; inputs shared)" for g in dict.fromkeys(groups["run"])]
    out = [
        f"**{folder.name}**: {_title(folder)} ([files]({folder.as_posix()}/))",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    for claim in claims:
        rows = runs[runs["claim"] == claim]
        first = rows.iloc[0]
        cells = [f"{claim} {first['where']}", first["paper"]]
        cells += [_cell(rows[rows["run"] == name].iloc[0]) for name in names]
        for g in dict.fromkeys(groups["run"]):
            cells.append(_cell(groups[(groups["run"] == g) & (groups["claim"] == claim)].iloc[0]))
        out.append("| " + " | ".join(cells) + " |")
    elbo = ["test ELBO", "–"]
    elbo += [_elbo_cell([_final_test_elbo(folder, n, main[n]["nz"])]) for n in names]
    for g in dict.fromkeys(groups["run"]):
        members = g.split(" + ")
        elbo.append(_elbo_cell([_final_test_elbo(folder, n, main[n]["nz"]) for n in members]))
    out.append("| " + " | ".join(elbo) + " |")
    return "\n".join(out)


def tables(folders: Sequence[str | Path]) -> str:
    """Every workflow measurement's table (a folder with study/claims.csv; a benchmark's
    folder has none), in the order of their folder names (dates first)."""
    paths = sorted({Path(f) for f in folders if (Path(f) / "study" / "claims.csv").is_file()},
                   key=lambda p: p.name)  # fmt: skip
    return "\n\n".join(table(p) for p in paths)


def claim_map(folders: Sequence[str | Path], epochs: str = "200") -> str:
    """One table of every run measured at `epochs` (the main model's), across measurement
    folders: rows the claims and the test ELBO, one column per run, cells value: verdict."""
    columns = []  # (heading, folder, run rows)
    for folder in sorted({Path(f) for f in folders if (Path(f) / "study" / "claims.csv").is_file()},
                         key=lambda p: p.name):  # fmt: skip
        study = pd.read_csv(folder / "study" / "claims.csv", dtype=str, keep_default_na=False)
        runs = study[study["kind"] == "run"]
        for run in dict.fromkeys(runs["run"]):
            rows = runs[runs["run"] == run].set_index("claim")
            if rows.loc["C2", "epochs"] == epochs:
                columns.append((f"{folder.name[11:]}: `{run}`", folder, run, rows))
    if not columns:
        return f"(no run measured at {epochs} epochs)"
    claims = list(dict.fromkeys(c for _, _, _, rows in columns for c in rows.index))
    first = columns[0][3]
    out = ["| claim | paper | " + " | ".join(c[0] for c in columns) + " |",
           "|" + "---|" * (len(columns) + 2)]  # fmt: skip
    for claim in claims:
        cells = [f"{claim} {first.loc[claim, 'where']}", first.loc[claim, "paper"]]
        cells += [_cell(rows.loc[claim]) if claim in rows.index else "–"
                  for _, _, _, rows in columns]  # fmt: skip
        out.append("| " + " | ".join(cells) + " |")
    elbo = [_elbo_cell([_final_test_elbo(f, run, rows.loc["C2", "nz"])])
            for _, f, run, rows in columns]  # fmt: skip
    out.append("| test ELBO | – | " + " | ".join(elbo) + " |")
    return "\n".join(out)


def replace_block(text: str, block: str, start: str = START, end: str = END) -> str:
    """`text` with what lies between the markers `start` and `end` replaced by `block`."""
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if not pattern.search(text):
        raise ValueError(f"no {start} ... {end} block to replace")
    return pattern.sub(lambda _: f"{start}\n{block}\n{end}", text)


def main(argv: Sequence[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["collect"]:
        p = argparse.ArgumentParser(prog="python -m vaeconcepts.measured collect")
        p.add_argument("name", help="measurements/{date}-{name}/")
        p.add_argument("--title", required=True)
        p.add_argument("--command", required=True, help="the snakemake command it ran")
        p.add_argument("--configfile", nargs="*", default=[])
        p.add_argument("--config", nargs="*", default=[])
        p.add_argument("--results", default="results")
        p.add_argument("--commit", default=None)
        p.add_argument("--note", default="")
        p.add_argument("--to", default=None, help="measurements folder (default: ./measurements)")
        p.add_argument("--date", default=datetime.date.today().isoformat())
        a = p.parse_args(argv[1:])
        commit = (
            a.commit
            or subprocess.run(
                ["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True
            ).stdout.strip()
        )
        dest = Path(a.to or "measurements") / f"{a.date}-{a.name}"
        config = merged_config(a.configfile, a.config)
        files = collect(Path(a.results), dest, a.title, a.command, config, commit, a.note)
        print(f"{len(files)} files in {dest}")
        return
    p = argparse.ArgumentParser(prog="python -m vaeconcepts.measured")
    p.add_argument("folders", nargs="+")
    p.add_argument("--readme", help="rewrite the measured block of this file instead")
    p.add_argument("--map", help="rewrite the map block (200-epoch runs) of this file instead")
    a = p.parse_args(argv)
    if a.map:
        path = Path(a.map)
        path.write_text(replace_block(path.read_text(), claim_map(a.folders), MAP_START, MAP_END))
        return
    block = tables(a.folders)
    if a.readme:
        path = Path(a.readme)
        path.write_text(replace_block(path.read_text(), block))
    else:
        print(block)


if __name__ == "__main__":
    main()
