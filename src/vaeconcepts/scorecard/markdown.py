"""Markdown tables of the measured scorecards: one per measurement folder
(measurements/README.md's), the map of every 200-epoch run across folders
(docs/results.md's) and the headline, per claim the paper's settings and the best setting
(README.md's)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import yaml

from vaeconcepts.infra.paths import history_file, study_file

START, END = "<!-- measured:start -->", "<!-- measured:end -->"  # measurements/README.md
MAP_START, MAP_END = "<!-- map:start -->", "<!-- map:end -->"  # docs/results.md
SWEEP_CARD = "c8.csv"  # a Fig. 7 sweep's measurement: its one claim's scorecard row


def _title(folder: Path) -> str:
    first = (folder / "README.md").read_text().splitlines()[0]
    return first.lstrip("# ").strip()


def _final_test_elbo(folder: Path, run: str, nz: str) -> float | None:
    """The test ELBO at the last epoch of a run's model, or None without its history."""
    path = history_file(folder, run, nz)
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
    study = pd.read_csv(study_file(folder), dtype=str, keep_default_na=False)
    runs = study[study["kind"] == "run"]
    groups = study[study["kind"] == "seeds"]
    names = list(dict.fromkeys(runs["run"]))
    claims = list(dict.fromkeys(runs["claim"]))
    main = {n: runs[(runs["run"] == n) & (runs["claim"] == "C2")].iloc[0] for n in names}
    head = ["claim", "paper"] + [f"`{n}` ({main[n]['epochs']} ep.)" for n in names]
    # seeds share their noisy inputs (the top-level seed makes them): the models' spread
    head += [f"{g} (mean ± sd of the models; inputs shared)" for g in dict.fromkeys(groups["run"])]
    out = [
        f"**{folder.name}**: {_title(folder)} ([files]({folder.name}/))",
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


def sweep_table(folder: Path) -> str:
    """A Fig. 7 sweep's measurement as a Markdown table: C8, its value, verdict and note."""
    card = pd.read_csv(folder / SWEEP_CARD, dtype=str, keep_default_na=False).iloc[0]
    epochs = yaml.safe_load((folder / "config.yaml").read_text())["sweep"]["epochs"]
    return "\n".join([
        f"**{folder.name}**: {_title(folder)} ([files]({folder.name}/))",
        "",
        f"| claim | paper | the sweep ({epochs} ep.) | note |",
        "|---|---|---|---|",
        f"| {card['claim']} {card['where']} | {card['paper']} | {_cell(card)} | {card['note']} |",
    ])  # fmt: skip


def tables(folders: Sequence[str | Path]) -> str:
    """Every workflow measurement's table (a folder with study/claims.csv, or a sweep's with
    c8.csv; a benchmark's folder has none), in the order of their folder names (dates first)."""
    sweeps = [Path(f) for f in folders if (Path(f) / SWEEP_CARD).is_file()]
    found = sorted([*_scorecard_folders(folders), *sweeps], key=lambda p: p.name)
    return "\n\n".join(sweep_table(p) if p in sweeps else table(p) for p in found)


def _scorecard_folders(folders: Sequence[str | Path]) -> list[Path]:
    """The workflow measurements among `folders` (those with a scorecard), by name (date)."""
    found = {Path(f) for f in folders if study_file(f).is_file()}
    return sorted(found, key=lambda p: p.name)


def _map_columns(folder: Path, epochs: str) -> list[tuple[str, pd.DataFrame, list[str]]]:
    """A folder's columns of the map: (heading, claim rows, runs of the test ELBO), one per
    group of seeds (its mean ± sd) and one per run outside them, at `epochs`; a sweep's one."""
    name = folder.name[11:]
    if (folder / SWEEP_CARD).is_file():
        card = pd.read_csv(folder / SWEEP_CARD, dtype=str, keep_default_na=False)
        sweep_epochs = yaml.safe_load((folder / "config.yaml").read_text())["sweep"]["epochs"]
        return [(f"{name}: the Fig. 7 sweep ({sweep_epochs} ep.)", card.set_index("claim"), [])]
    study = pd.read_csv(study_file(folder), dtype=str, keep_default_na=False)
    runs = study[study["kind"] == "run"]
    at = set(runs.loc[(runs["claim"] == "C2") & (runs["epochs"] == epochs), "run"])
    columns, grouped = [], set()
    for group in dict.fromkeys(study.loc[study["kind"] == "seeds", "run"]):
        members = group.split(" + ")
        if set(members) <= at:
            rows = study[(study["kind"] == "seeds") & (study["run"] == group)]
            heading = f"{name}: `{members[0]}` × {len(members)} seeds (mean ± sd)"
            columns.append((heading, rows.set_index("claim"), members))
            grouped |= set(members)
    for run in dict.fromkeys(runs["run"]):
        if run in at and run not in grouped:
            columns.append((f"{name}: `{run}`", runs[runs["run"] == run].set_index("claim"), [run]))
    return columns


def _without_pooled_runs(columns: list[tuple]) -> list[tuple]:
    """The map's columns less each one-run column whose run another folder pooled into a group
    of seeds with the same scorecard (claim, ours, verdict): the group's column shows it."""
    studies = {folder: pd.read_csv(study_file(folder), dtype=str,
                                   keep_default_na=False)
               for _, folder, _, members in columns if members}  # fmt: skip

    def card(folder: Path, run: str) -> list[tuple[str, str, str]]:
        s = studies[folder]
        rows = s[(s["kind"] == "run") & (s["run"] == run)]
        return list(zip(rows["claim"], rows["ours"], rows["verdict"], strict=True))

    def pooled(folder: Path, run: str) -> bool:
        return any(other != folder and len(group) > 1 and run in group
                   and card(other, run) == card(folder, run)
                   for _, other, _, group in columns)  # fmt: skip

    return [c for c in columns if len(c[3]) != 1 or not pooled(c[1], c[3][0])]


def claim_map(folders: Sequence[str | Path], epochs: str = "200") -> str:
    """One table of every setting measured at `epochs` (the main model's), across measurement
    folders: rows the claims and the test ELBO; one column per group of seeds (mean ± sd and
    verdict counts), per run outside a group, and per sweep (C8); cells value: verdict."""
    sweeps = sorted((Path(f) for f in folders if (Path(f) / SWEEP_CARD).is_file()),
                    key=lambda p: p.name)  # fmt: skip
    columns = [(heading, folder, rows, members)
               for folder in [*_scorecard_folders(folders), *sweeps]
               for heading, rows, members in _map_columns(folder, epochs)]  # fmt: skip
    columns = _without_pooled_runs(columns)
    if not columns:
        return f"(no run measured at {epochs} epochs)"
    claims = list(dict.fromkeys(c for _, _, rows, _ in columns for c in rows.index))
    out = [
        "| claim | paper | " + " | ".join(c[0] for c in columns) + " |",
        "|---" * (len(columns) + 2) + "|",
    ]
    for claim in claims:  # where and paper's value from the first column that has the claim
        first = next(rows for _, _, rows, _ in columns if claim in rows.index)
        cells = [f"{claim} {first.loc[claim, 'where']}", first.loc[claim, "paper"]]
        cells += [_cell(rows.loc[claim]) if claim in rows.index else "–"
                  for _, _, rows, _ in columns]  # fmt: skip
        out.append("| " + " | ".join(cells) + " |")
    elbo = [_elbo_cell([_final_test_elbo(f, run, rows.loc["C2", "nz"]) for run in members])
            if members else "–" for _, f, rows, members in columns]  # fmt: skip
    out.append("| test ELBO | – | " + " | ".join(elbo) + " |")
    return "\n".join(out)


HEAD_START, HEAD_END = "<!-- headline:start -->", "<!-- headline:end -->"  # README.md
_VERDICT = re.compile(r"(not reproduced|reproduced|partly|not run)(?: (\d+))?")


def verdict_score(verdict: str) -> float | None:
    """A run's or a seed group's verdict as a number: the share of runs reproduced, partly
    counting half ('reproduced 2, partly 1' -> 5/6); None where no run measured the claim."""
    counts = {"reproduced": 0, "partly": 0, "not reproduced": 0}
    for word, n in _VERDICT.findall(verdict):
        if word in counts:
            counts[word] += int(n or 1)
    runs = sum(counts.values())
    return (counts["reproduced"] + counts["partly"] / 2) / runs if runs else None


def headline(folders: Sequence[str | Path], epochs: str = "200") -> str:
    """The README's table: per claim, the paper's value, ours under the paper's settings (its
    seeds' mean where a group of `paper` seeds measured it) and the best measured setting
    (highest verdict_score at `epochs`; ties: more seeds, then the earlier folder)."""
    sweeps = sorted((Path(f) for f in folders if (Path(f) / SWEEP_CARD).is_file()),
                    key=lambda p: p.name)  # fmt: skip
    columns = [(heading.removesuffix(" (mean ± sd)"), rows, members)
               for folder in [*_scorecard_folders(folders), *sweeps]
               for heading, rows, members in _map_columns(folder, epochs)]  # fmt: skip
    first = next(rows for _, rows, _ in columns if "C1" in rows.index)
    out = ["| claim | paper | ours, the paper's settings | the best measured setting |",
           "|---|---|---|---|"]  # fmt: skip
    for claim in first.index:
        measured = [(label, rows.loc[claim], members) for label, rows, members in columns
                    if claim in rows.index
                    and verdict_score(rows.loc[claim, "verdict"]) is not None]  # fmt: skip
        paper = [c for c in measured if c[2][:1] == ["paper"] or not c[2]]
        paper.sort(key=lambda c: len(c[2]) < 2)  # a group of seeds first, stable by date
        best = max(measured, key=lambda c: (verdict_score(c[1]["verdict"]), len(c[2])),
                   default=None)  # fmt: skip
        cells = [f"{claim} {first.loc[claim, 'where']}", first.loc[claim, "paper"]]
        cells += [f"{_cell(c[1])} ({c[0]})" if c else "not run" for c in (paper[:1] or [None])]
        cells.append(f"{_cell(best[1])} ({best[0]})" if best else "not run")
        cells = [cell.replace(" (mean ± sd)", "") for cell in cells]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)
