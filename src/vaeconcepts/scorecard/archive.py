"""The archive of measurements kept in the repository: a finished run's small files copied to
`measurements/{date}-{name}/` (`collect`), runs measured apart pooled into one (`pool`).
Its command line is `vaeconcepts archive` (cli.py)."""

from __future__ import annotations

import datetime
import os
import platform
import re
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
import yaml

from vaeconcepts.config.runs import model_nz, run_names, seed_groups
from vaeconcepts.infra.paths import history_file, kept_file, stats_file, study_file
from vaeconcepts.scorecard.study import study

# Per run, the tables a measurement keeps (results/runs/{run}/stats/), when the run made them.
RUN_TABLES = (
    "claims.csv",
    "latent_summary.csv",
    "min_distance.csv",
    "stages.csv",
    "onset.csv",
    "generalization.csv",
    # issue 37: where repeated inference goes (C12-C19)
    "nearest_memory.csv",
    "nearest_memory_trials.csv.gz",
    "attractors.csv",
    "attractor_trials.csv",
    "attractor_summary.csv",
    "clustering.csv",
    "recall.csv",
    "min_distance_nz.csv",
    "stages_nz.csv",
)
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
    if not study_file(results).is_file():
        raise FileNotFoundError(f"{study_file(results)}: the run has no scorecard")
    dest.mkdir(parents=True, exist_ok=True)
    written = []

    def keep(src: Path, rel: str) -> None:
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)
        written.append(target)

    keep(study_file(results), "study/claims.csv")
    keep(results / "study" / "claims.png", "study/claims.png")
    for run in runs:
        for rel, src in _run_files(results, run, config).items():
            keep(src, rel)
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
        f"- collected: {datetime.date.today().isoformat()}, with `vaeconcepts archive collect`",
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


def _run_files(root: Path, run: str, config: dict) -> dict[str, Path]:
    """A run's small files by their place in a measurement (`runs/{run}/...`), found in a
    results/ folder (`runs/{run}/stats/`) or in a measurement folder (`runs/{run}/`)."""
    results = (Path(root) / "runs" / run / "stats").is_dir()
    files = {f"runs/{run}/{name}": Path(stats_file(run, name, root)) if results
             else kept_file(root, run, name) for name in RUN_TABLES}  # fmt: skip
    for n in model_nz(config):
        files[f"runs/{run}/models/nz{n}/history.csv"] = history_file(root, run, n)
    return {rel: path for rel, path in files.items() if path.is_file()}


def commit_of(folder: Path) -> str:
    """The commit a measurement folder's README names."""
    found = re.search(r"^- commit: (\S+)", (folder / "README.md").read_text(), re.M)
    return found.group(1) if found else "unknown"


def _where(root: Path, dest: Path) -> str:
    """A source as a reader of `dest`'s README finds it: a sibling (another measurement) by its
    relative path, anything else (a results folder) by its absolute one."""
    root, dest = Path(root).resolve(), Path(dest).resolve()
    if root.parent == dest.parent:
        return f"`../{root.name}/`"
    return f"`{root}`"


def _pool_readme(title: str, command: str, origin: dict, dest: Path, date: str | None) -> str:
    """A pooled measurement's README: its command and each run's source and commit."""
    lines = [
        f"# {title}",
        "",
        f"- command: `{command}`",
        "- runs, each from where it was measured (the scorecards and histories are copies):",
        *(
            f"  - `{run}`: {_where(root, dest)}, commit {commit}"
            for run, (root, commit) in origin.items()
        ),  # fmt: skip
        f"- pooled: {date or datetime.date.today().isoformat()}, with "
        "`vaeconcepts archive pool` (one study over the runs: "
        "its seed groups' mean ± sd)",
        "",
        "Files: `config.yaml` (the shared settings and the runs' entries), `study/claims.csv` "
        "and `claims.png`, and per run `runs/{run}/`: its tables and each model's `history.csv`.",
    ]
    return "\n".join(lines) + "\n"


def pool(
    sources: Sequence[tuple[Path, dict, str]],
    runs: Sequence[str],
    dest: Path,
    title: str,
    command: str,
    date: str | None = None,
    draw: Callable[[pd.DataFrame, Path], None] | None = None,
) -> list[Path]:
    """Runs measured apart (the seeds of one setting made in two sessions, say) as one
    measurement: each run's files from the first source that has its scorecard, and one study
    over them with their seed groups. `sources`: (folder, its merged config, its commit);
    `draw(study, png)` draws the study's figure (`vaeconcepts archive pool` passes it)."""
    common = {k: v for k, v in sources[0][1].items() if k != "runs"}
    entries, origin = {}, {}
    for run in runs:
        card = f"runs/{run}/claims.csv"
        found = [(root, cfg, commit) for root, cfg, commit in sources
                 if run in cfg["runs"] and card in _run_files(root, run, cfg)]  # fmt: skip
        if not found:
            raise FileNotFoundError(f"run {run!r}: no source holds its scorecard (claims.csv)")
        root, cfg, commit = found[0]
        differ = sorted(k for k in {*cfg, *common} - {"runs"} if cfg.get(k) != common.get(k))
        if differ:
            raise ValueError(f"run {run!r}: its source {root} differs in {', '.join(differ)}")
        entries[run], origin[run] = cfg["runs"][run], (root, commit)
    config = common | {"runs": entries}
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for run, (root, _) in origin.items():
        for rel, src in _run_files(root, run, config).items():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest / rel)
            written.append(dest / rel)
    cards = pd.concat([pd.read_csv(dest / "runs" / run / "claims.csv") for run in runs])
    table = study(cards.reset_index(drop=True), seed_groups(config))
    (dest / "study").mkdir(exist_ok=True)
    table.to_csv(study_file(dest), index=False)
    figure = [dest / "study" / "claims.png"] if draw else []
    if draw:
        draw(table, figure[0])
    (dest / CONFIG_FILE).write_text(yaml.safe_dump(config, sort_keys=False))
    (dest / "README.md").write_text(_pool_readme(title, command, origin, dest, date))
    return [
        *written,
        dest / "study" / "claims.csv",
        *figure,
        dest / CONFIG_FILE,
        dest / "README.md",
    ]
