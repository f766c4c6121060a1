"""`snakemake --report` after the tiny run: every figure and the key tables, captioned."""

import json
import re

import pytest
from conftest import TINY_RUN_TARGETS, TINY_RUNS, run_snakemake, target_rules

pytestmark = pytest.mark.e2e

RUNS = list(TINY_RUNS)
KEY_TABLES = ["distance_to_concept", "concept_dip", "min_distance", "stages", "latent_summary"]


def report_variable(html: str, name: str):
    """The JSON value the report assigns to `var name = ...` (results, categories, ...)."""
    m = re.search(rf"\bvar {name} = (?=[{{\"])", html)
    assert m, f"no `var {name}` in the report"
    return json.JSONDecoder().raw_decode(html, m.end())[0]


@pytest.fixture(scope="module")
def report(tiny_run):
    workdir, config = tiny_run
    run_snakemake(workdir, "--report", "results/report.html", *TINY_RUN_TARGETS, config=config)
    html = (workdir / "results/report.html").read_text()
    names = ("results", "categories", "workflow_desc")
    return {name: report_variable(html, name) for name in names}


def rendered(caption: str) -> bool:
    """Filled in, and read by docutils without complaint (an error becomes a "System Message"
    box and a "problematic" link in the report)."""
    filled = "{{" not in caption and "snakemake.config" not in caption
    clean = not re.search(r"system-message|System Message|problematic", caption)
    return bool(caption.strip()) and filled and clean


def test_every_caption_reads_without_a_docutils_message(report):
    captions = {path: entry["caption"] for path, entry in report["results"].items()}
    captions["workflow description"] = report["workflow_desc"]
    bad = [path for path, caption in captions.items() if not rendered(caption)]
    assert not bad, f"captions with a docutils system message or left unfilled: {bad}"


def test_every_figure_is_in_the_report_with_its_caption(report):
    figures = sorted(r for r in target_rules() if r.startswith("fig"))
    assert figures, "no target rule fig* in the workflow"
    for run in RUNS:
        for fig in figures:
            entry = report["results"].get(f"results/runs/{run}/figures/{fig}.png")
            assert entry is not None, f"{run}: {fig}.png is not in the report"
            assert entry["data_uri"].startswith("data:image/png")
            assert rendered(entry["caption"]), fig
            assert re.search(r"Fig(ure)?\.? ?[0-9AB]", entry["caption"]), f"{fig}: no paper figure"
            assert re.search(rf"Run <tt[^>]*>{run}</tt>", entry["caption"]), fig  # ``run``
        listed = [p for paths in report["categories"][run].values() for p in paths]
        assert {f"results/runs/{run}/figures/{f}.png" for f in figures} <= set(listed)
        fig4 = f"results/runs/{run}/figures/fig4.png"  # filed under its paper section
        assert fig4 in report["categories"][run]["3.2 Data hierarchy and inference (Fig. 4)"]


def test_key_tables_and_the_scorecard_are_in_the_report_with_captions(report):
    for run in RUNS:
        tables = [p for paths in report["categories"][run].values() for p in paths if ".csv" in p]
        assert {f"results/runs/{run}/stats/{name}.csv" for name in KEY_TABLES} <= set(tables)
        assert report["categories"][run]["Scorecard"] == [f"results/runs/{run}/stats/claims.csv"]
        for path in tables:
            assert rendered(report["results"][path]["caption"]), path
    study = [path for paths in report["categories"]["Scorecard"].values() for path in paths]
    assert sorted(study) == ["results/study/claims.csv", "results/study/claims.png"]
    assert "reproduced" in report["results"]["results/study/claims.png"]["caption"]


def test_the_report_describes_the_workflow_with_its_parameters(report, tiny_run):
    _, config = tiny_run
    desc = report["workflow_desc"]
    assert "Nagano, Karakida" in desc and rendered(desc)
    assert f"T = {config['inference']['T']}" in desc
    assert f"N_z = {config['main_nz']}" in desc
    assert "smoke test: " in desc  # the tiny run is not at the paper's scale, and says so


def test_a_report_of_other_settings_than_the_results_is_refused(tiny_run):
    """The README's `snakemake --report` without the run's configfile: its captions would
    describe config.yaml's settings, so it is refused, naming what differs."""
    workdir, config = tiny_run
    assert (workdir / "results/settings.yaml").exists()  # written when the run started
    proc = run_snakemake(workdir, "--report", "results/other.html", check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0 and not (workdir / "results/other.html").exists()
    assert "made with other settings than this config" in out and " there, " in out
    assert "--configfile test-config.yaml`" in out  # the file the run was given
