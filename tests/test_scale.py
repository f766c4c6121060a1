"""The scale stamp: what sets a run apart from the paper's protocol, on every figure, the
scorecard and the report's landing page; none at the paper's scale."""

import jinja2
from conftest import REPO, load_config

from vaeconcepts.config.runs import run_config
from vaeconcepts.config.scale import scale_stamp, study_stamp


def load(*presets: str) -> dict:
    return load_config(REPO / "config.yaml", *(REPO / "presets" / p for p in presets))


def test_the_paper_settings_carry_no_stamp():
    assert scale_stamp(run_config(load(), "paper")) is None


def test_the_quick_preset_says_it_is_a_smoke_test():
    cfg = run_config(load("quick.yaml"), "paper")
    assert scale_stamp(cfg) == (
        "smoke test: 5 epochs, 3,000 training images, N_z = 20, 30-40 trials: not a reproduction"
    )


def test_each_difference_is_named_alone():
    cfg = run_config(load(), "paper")
    cfg["classifier"]["n_trials"] = 30
    assert scale_stamp(cfg) == "smoke test: 30 trials: not a reproduction"
    cfg = run_config(load(), "paper")
    cfg["train"]["per_nz"] = {"100": {"schedule": [{"lr": 5e-4, "epochs": 300}]}}
    assert scale_stamp(cfg) == "not the paper's scale: 300 epochs: not a reproduction"
    cfg = run_config(load(), "paper")
    cfg["train"]["per_nz"] = {"5": {"schedule": [{"lr": 5e-4, "epochs": 3}]}}
    assert scale_stamp(cfg) is None  # only the main model's epochs count


def test_a_study_stamp_is_the_common_one_or_one_line_per_run():
    assert study_stamp({"paper": None, "beta2": None}) is None
    assert study_stamp({"paper": "a", "beta2": "a"}) == "a"
    assert study_stamp({"paper": None, "beta2": "b", "x": "c"}) == "beta2: b\nx: c"


def render_landing_page(config: dict) -> str:
    class Snakemake:  # what snakemake's report gives the template
        pass

    Snakemake.config = config
    template = (REPO / "report" / "workflow.rst").read_text()
    return jinja2.Template(template).render(snakemake=Snakemake)


def test_the_report_landing_page_carries_the_stamp():
    """The Snakefile sets config['_scale'] when it makes a report (see its --report branch)."""
    config = load("quick.yaml")
    page = render_landing_page({**config, "_scale": "smoke test: 5 epochs: not a reproduction"})
    assert "\n\n**smoke test: 5 epochs: not a reproduction**\n\n" in page
    assert "smoke test" not in render_landing_page({**config, "_scale": None})
    snakefile = (REPO / "Snakefile").read_text()
    assert 'config["_scale"] = study_stamp(' in snakefile
