"""The seams docs/extending.md names: each stays the one place to change."""

import inspect
import re

import yaml
from conftest import REPO, load_config, target_rules

from vaeconcepts.data.registry import REGISTRY
from vaeconcepts.paper.model import VAE

SCHEMA = yaml.safe_load((REPO / "workflow" / "schemas" / "config.schema.yaml").read_text())


def test_a_model_setting_is_a_vae_parameter():
    """model.X in the config (a run may override it) reaches VAE(nz, **model) unchanged."""
    settings = set(SCHEMA["definitions"]["model_settings"]["properties"])
    params = set(inspect.signature(VAE).parameters) - {"nz", "n_pixels"}
    assert settings == params


def test_every_figure_has_its_script_caption_and_targets():
    scripts = {p.stem for p in (REPO / "workflow" / "scripts").glob("fig*.py")}
    assert scripts and scripts <= target_rules()
    for fig in scripts:
        assert (REPO / "report" / f"{fig}.rst").exists(), fig


def test_every_registered_dataset_is_a_valid_run_setting(tmp_path):
    for name, d in REGISTRY.items():
        assert d.name == name and d.shape[0] == d.shape[1] and len(set(d.classes)) == len(d.classes)
        sheet = tmp_path / f"{name}.yaml"
        sheet.write_text(yaml.safe_dump({"runs": {"other": {"dataset": name}}}))
        assert load_config(REPO / "config.yaml", sheet)["runs"]["other"]["dataset"] == name


def test_the_extending_page_names_places_that_exist():
    section = (REPO / "docs" / "extending.md").read_text()
    places = re.findall(r"`((?:src|rules|workflow|report|tests)/[\w/.{}<>-]+)`", section)
    assert len(places) >= 6
    for place in places:
        if "<" not in place and "{" not in place:
            assert (REPO / place).exists(), place
