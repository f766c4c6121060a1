"""Markdown tables of the measured scorecards: one per measurement folder (the README's)
and the map of every 200-epoch run across folders (docs/science.md's)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

START, END = "<!-- measured:start -->", "<!-- measured:end -->"  # README.md
MAP_START, MAP_END = "<!-- map:start -->", "<!-- map:end -->"  # docs/science.md


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
    return "\n\n".join(table(p) for p in _scorecard_folders(folders))


def _scorecard_folders(folders: Sequence[str | Path]) -> list[Path]:
    """The workflow measurements among `folders` (those with a scorecard), by name (date)."""
    found = {Path(f) for f in folders if (Path(f) / "study" / "claims.csv").is_file()}
    return sorted(found, key=lambda p: p.name)


def claim_map(folders: Sequence[str | Path], epochs: str = "200") -> str:
    """One table of every run measured at `epochs` (the main model's), across measurement
    folders: rows the claims and the test ELBO, one column per run, cells value: verdict."""
    columns = []  # (heading, folder, run rows)
    for folder in _scorecard_folders(folders):
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
    out = [
        "| claim | paper | " + " | ".join(c[0] for c in columns) + " |",
        "|---" * (len(columns) + 2) + "|",
    ]
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
