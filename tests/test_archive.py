"""Measurements kept in the repository: a run's small files collected, and the README's
measured tables, which must be what `vaeconcepts archive readme` prints."""

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from vaeconcepts.cli import draw_study
from vaeconcepts.infra.blocks import replace_block
from vaeconcepts.scorecard.archive import collect, merged_config, pool
from vaeconcepts.scorecard.markdown import (
    END,
    HEAD_END,
    HEAD_START,
    MAP_END,
    MAP_START,
    START,
    claim_map,
    headline,
    table,
    tables,
    verdict_score,
)

ROOT = Path(__file__).resolve().parents[1]


def fake_results(root: Path) -> Path:
    """A finished run's results/ with two seeds of one setting and their scorecards."""
    rows = []
    for run, seed, c2 in (("paper", 0, "27"), ("seed1", 1, "25")):
        stats = root / "runs" / run / "stats"
        stats.mkdir(parents=True)
        for claim, ours, verdict in (("C1", "10 of 10 labels", "reproduced"),
                                     ("C2", f"{c2} / 100", "not reproduced"),
                                     ("C8", "", "not run")):  # fmt: skip
            row = dict(kind="run", run=run, claim=claim, where="Fig. x", text="a claim",
                       paper="14", ours=ours)  # fmt: skip
            value = float(ours.split()[0]) if ours else None
            rows.append(row | dict(verdict=verdict, value=value, value_b=None, nz=100,
                                   epochs=200, seed=seed))  # fmt: skip
        pd.DataFrame([r for r in rows if r["run"] == run]).to_csv(stats / "claims.csv")
        (stats / "stages.csv").write_text("p,stage\n0.0,I\n")
        (stats / "big.h5").write_bytes(b"not kept")
        models = root / "runs" / run / "models" / "nz100"
        models.mkdir(parents=True)
        pd.DataFrame({"epoch": [1, 2], "test_elbo": [-120.0, -100.5 - seed]}).to_csv(
            models / "history.csv", index=False
        )
        (models / "model.pt").write_bytes(b"not kept")
        bench = root / "benchmarks" / "runs" / run / "train"
        bench.mkdir(parents=True)
        (bench / "nz100.tsv").write_text("s\th:m:s\n1800\t0:30:00\n")
    # A run and an N_z of another measurement that shares the results folder: not kept.
    (root / "runs" / "paper" / "models" / "nz20").mkdir()
    (root / "runs" / "paper" / "models" / "nz20" / "history.csv").write_text("epoch\n1\n")
    (root / "runs" / "other" / "stats").mkdir(parents=True)
    (root / "runs" / "other" / "stats" / "stages.csv").write_text("p,stage\n0.0,I\n")
    for rel in ("runs/paper/train/nz20.tsv", "runs/other/train/nz100.tsv"):
        (root / "benchmarks" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "benchmarks" / rel).write_text("s\th:m:s\n36000\t10:00:00\n")
    for claim, ours, verdict in (("C1", "10 ± 0 (mean ± sd)", "reproduced 2"),
                                 ("C2", "26 ± 1.4 (mean ± sd)", "not reproduced 2"),
                                 ("C8", "", "not run 2")):  # fmt: skip
        rows.append(dict(kind="seeds", run="paper + seed1", claim=claim, where="Fig. x",
                         paper="14", ours=ours, verdict=verdict, nz=100, epochs=200))  # fmt: skip
    (root / "study").mkdir()
    pd.DataFrame(rows).to_csv(root / "study" / "claims.csv", index=False)
    (root / "study" / "claims.png").write_bytes(b"\x89PNG")
    return root


def test_collect_keeps_the_small_files_the_command_and_the_merged_config(tmp_path):
    results = fake_results(tmp_path / "results")
    base = tmp_path / "config.yaml"
    base.write_text(
        "seed: 0\ntrain: {batch_size: 100, per_nz: {}}\nnz: [2, 100]\n"
        "main_nz: 100\nonset: {nz: [100]}\nsweep: {nz: [20]}\nruns: {paper: {}}\n"
    )
    preset = tmp_path / "preset.yaml"
    preset.write_text("nz: [100]\nruns: {seed1: {seed: 1}}\n")
    config = merged_config([str(preset)], ["seed=3", "train={per_nz: {}}"], base)
    assert config == {"seed": 3, "train": {"batch_size": 100, "per_nz": {}}, "nz": [100],
                      "main_nz": 100, "onset": {"nz": [100]}, "sweep": {"nz": [20]},
                      "runs": {"paper": {}, "seed1": {"seed": 1}}}  # fmt: skip
    dest = tmp_path / "measurements" / "2026-01-01-seeds"
    collect(results, dest, "Two seeds", "snakemake --configfile x.yaml", config, "abc123")
    kept = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file())
    assert kept == ["README.md", "config.yaml", "runs/paper/claims.csv",
                    "runs/paper/models/nz100/history.csv", "runs/paper/stages.csv",
                    "runs/seed1/claims.csv", "runs/seed1/models/nz100/history.csv",
                    "runs/seed1/stages.csv", "study/claims.csv", "study/claims.png"]  # fmt: skip
    readme = (dest / "README.md").read_text()
    assert readme.startswith("# Two seeds\n")
    assert "`snakemake --configfile x.yaml`" in readme and "abc123" in readme
    assert "- time: 1.0 h of jobs in all" in readme  # the two 30-min trainings, not the 10-h others
    assert yaml.safe_load((dest / "config.yaml").read_text()) == config


def test_the_table_gives_each_run_and_each_group_of_seeds(tmp_path):
    results = fake_results(tmp_path / "results")
    dest = tmp_path / "2026-01-01-seeds"
    config = dict(runs={"paper": {}, "seed1": {}}, nz=[100], main_nz=100, onset={"nz": []},
                  sweep={"nz": []})  # fmt: skip
    collect(results, dest, "Two seeds", "snakemake", config, "abc123")
    lines = table(dest).splitlines()
    assert lines[0].startswith("**2026-01-01-seeds**: Two seeds")
    assert lines[2] == ("| claim | paper | `paper` (200 ep.) | `seed1` (200 ep.) | "
                        "paper + seed1 (mean ± sd of the models; inputs shared) |")  # fmt: skip
    assert ("| C2 Fig. x | 14 | 27 / 100: not reproduced | 25 / 100: not reproduced | "
            "26 ± 1.4 (mean ± sd): not reproduced 2 |") in lines  # fmt: skip
    assert "| C8 Fig. x | 14 | not run | not run | not run |" in lines
    # the group's test ELBO: mean ± sample sd of its members' last epochs (-100.5, -101.5)
    assert "| test ELBO | – | -100.50 | -101.50 | -101.00 ± 0.71 |" in lines


def test_runs_measured_apart_are_pooled_into_one_study_of_their_seeds(tmp_path):
    config = dict(seed=0, runs={"paper": {}, "seed1": {"seed": 1}}, nz=[100], main_nz=100,
                  onset={"nz": []}, sweep={"nz": []})  # fmt: skip
    first = tmp_path / "2026-01-01-seeds"
    collect(fake_results(tmp_path / "results"), first, "Two seeds", "snakemake", config, "abc")
    # a third seed, made later in another clone: its results/ folder, not yet collected
    later = tmp_path / "later"
    stats, models = later / "runs" / "seed2" / "stats", later / "runs" / "seed2" / "models"
    stats.mkdir(parents=True)
    card = pd.read_csv(first / "runs" / "seed1" / "claims.csv").assign(run="seed2", seed=2)
    card.loc[card["claim"] == "C2", ["ours", "value"]] = ["20 / 100", 20.0]
    card.to_csv(stats / "claims.csv", index=False)
    (models / "nz100").mkdir(parents=True)
    pd.DataFrame({"epoch": [2], "test_elbo": [-99.0]}).to_csv(models / "nz100" / "history.csv")
    later_config = config | {"runs": {"paper": {}, "seed2": {"seed": 2}}}
    sources = [(later, later_config, "def"), (first, config, "abc")]
    dest = tmp_path / "2026-01-02-three-seeds"
    pool(sources, ["paper", "seed1", "seed2"], dest, "Three seeds", "pool", draw=draw_study)
    assert (dest / "study" / "claims.png").stat().st_size > 0
    study = pd.read_csv(dest / "study" / "claims.csv")
    group = study[(study["kind"] == "seeds") & (study["claim"] == "C2")].iloc[0]
    assert (group["run"], group["n_runs"], group["seed"]) == ("paper + seed1 + seed2", 3, "0,1,2")
    assert (dest / "runs" / "seed2" / "models" / "nz100" / "history.csv").is_file()
    readme = (dest / "README.md").read_text()
    assert "`seed2`: `../later/`, commit def" in readme  # a sibling: by its relative path
    assert "`seed1`: `../2026-01-01-seeds/`, commit abc" in readme
    assert "`paper`: `../later/`" not in readme  # later's paper has no scorecard there
    assert list(yaml.safe_load((dest / "config.yaml").read_text())["runs"]) == [
        "paper", "seed1", "seed2"]  # fmt: skip
    with pytest.raises(FileNotFoundError, match="run 'seed3': no source holds its scorecard"):
        pool(sources, ["paper", "seed3"], tmp_path / "x", "x", "x")
    other = (later, later_config | {"nz": [20]}, "def")
    with pytest.raises(ValueError, match="run 'seed2': its source .* differs in nz"):
        pool([(first, config, "abc"), other], ["paper", "seed2"], tmp_path / "y", "y", "y")


def test_a_readme_block_is_replaced_and_a_missing_one_is_an_error():
    text = f"intro\n{START}\nold\n{END}\nrest\n"
    assert replace_block(text, "new", START, END) == f"intro\n{START}\nnew\n{END}\nrest\n"
    with pytest.raises(ValueError, match="no <!-- measured:start -->"):
        replace_block("no block", "new", START, END)


def _block(page: Path, start: str, end: str) -> str:
    found = re.search(re.escape(start) + r"\n(.*?)\n" + re.escape(end), page.read_text(), re.S)
    assert found, f"{page.relative_to(ROOT)} has no {start} ... {end} block"
    return found.group(1)


def test_the_measurements_tables_are_what_the_command_prints():
    folders = sorted(p for p in (ROOT / "measurements").glob("*/") if p.is_dir())
    assert folders, "measurements/ holds no measurement"
    here = [p.relative_to(ROOT) for p in folders]
    assert _block(ROOT / "measurements" / "README.md", START, END) == tables(here), (
        "measurements/README.md's tables differ from the files: run "
        "`vaeconcepts archive readme measurements/*/ --write measurements/README.md`"
    )


def test_the_readme_headline_is_what_the_command_prints():
    folders = sorted(p for p in (ROOT / "measurements").glob("*/") if p.is_dir())
    here = [p.relative_to(ROOT) for p in folders]
    assert _block(ROOT / "README.md", HEAD_START, HEAD_END) == headline(here), (
        "README.md's headline table differs from the files: run "
        "`vaeconcepts archive headline measurements/*/ --write README.md`"
    )


def test_the_headline_takes_the_paper_seeds_and_the_best_share_of_seeds():
    assert verdict_score("reproduced 2, partly 1") == pytest.approx(5 / 6)
    assert verdict_score("not reproduced") == 0 and verdict_score("not run 3") is None
    names = ("2026-11-29-paper-seeds", "2026-12-03-beta2-seeds-bf16")
    rows = {r.split(" | ")[0]: r for r in headline([ROOT / "measurements" / n for n in names])
            .splitlines()[2:]}  # fmt: skip
    # C2: the paper's seeds reproduce it in none of 3 fully; beta2 in all 3
    assert "(paper-seeds: `paper` × 3 seeds)" in rows["| C2 Fig. 3a"].split(" | ")[2]
    assert rows["| C2 Fig. 3a"].endswith("reproduced 3 (beta2-seeds-bf16: `beta2` × 3 seeds) |")


def test_the_results_pages_map_is_what_the_command_prints():
    folders = sorted(p for p in (ROOT / "measurements").glob("*/") if p.is_dir())
    assert _block(ROOT / "docs" / "results.md", MAP_START, MAP_END) == claim_map(folders), (
        "docs/results.md's map differs from the files: run "
        "`vaeconcepts archive map measurements/*/ --write docs/results.md`"
    )


def test_the_claim_map_has_a_column_per_setting_at_200_epochs_and_per_sweep():
    names = ("2026-11-29-screen", "2026-11-29-paper-seeds", "2026-12-02-sweep-cpu-bf16")
    lines = claim_map([ROOT / "measurements" / n for n in names]).splitlines()
    # no column of the screen's runs (50 epochs); the three seeds are one column
    assert lines[0] == ("| claim | paper | paper-seeds: `paper` × 3 seeds (mean ± sd) | "
                        "sweep-cpu-bf16: the Fig. 7 sweep (100 ep.) |")  # fmt: skip
    assert ("| C2 Fig. 3a | 14 / 100 | 25.33 ± 1.5 (mean ± sd): partly 1, not reproduced 2 "
            "| – |") in lines  # fmt: skip
    assert ("| C8 Fig. 7 | peak near 14, flat after | not run | "
            "flat after 14: True; rises to 14: True: reproduced |") in lines  # fmt: skip
    assert lines[-1] == "| test ELBO | – | -97.84 ± 0.08 | – |"


def test_a_sweeps_measurement_has_a_table_of_its_c8():
    folder = ROOT / "measurements" / "2026-12-02-sweep-cpu-bf16"
    lines = tables([folder]).splitlines()
    assert lines[2] == "| claim | paper | the sweep (100 ep.) | note |"
    assert lines[4].startswith(
        "| C8 Fig. 7 | peak near 14, flat after | flat after 14: True; "
        "rises to 14: True: reproduced | best over 1 of the paper's 9"
    )


def test_the_claim_map_shows_a_run_pooled_into_seeds_once():
    names = ("2026-12-02-readings-bf16", "2026-12-03-beta2-seeds-bf16")
    header = claim_map([ROOT / "measurements" / n for n in names]).splitlines()[0]
    # readings-bf16's beta2 is seed 0 of the pooled group: only the group's column shows it
    assert "readings-bf16: `beta2`" not in header
    assert "beta2-seeds-bf16: `beta2` × 3 seeds (mean ± sd)" in header
    assert "readings-bf16: `two-layers`" in header  # not pooled in these folders
