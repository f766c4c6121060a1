"""The configuration reference: every key of the schema has a description and the default
config.yaml ships, and docs/configuration.md is what the schema generates."""

import re

import yaml
from conftest import REPO

from vaeconcepts.config.configdoc import END, START, keys, table


def shipped(key: str):
    value = yaml.safe_load((REPO / "config.yaml").read_text())
    for part in key.split("."):
        value = value[part]
    return value


def test_every_key_has_a_description_and_the_default_config_yaml_ships():
    documented = dict(keys())
    assert len(documented) >= 45
    for key, node in documented.items():
        assert node.get("description", "").strip(), f"{key}: no description"
        assert "default" in node, f"{key}: no default"
        assert node["default"] == shipped(key), f"{key}: schema default is not config.yaml's"


def test_every_key_of_config_yaml_is_documented():
    documented = set(dict(keys()))

    def leaves(prefix, value):
        if isinstance(value, dict) and prefix not in documented:
            for name, item in value.items():
                yield from leaves(f"{prefix}.{name}" if prefix else name, item)
        else:
            yield prefix

    config = yaml.safe_load((REPO / "config.yaml").read_text())
    assert set(leaves("", config)) == documented


def test_the_configuration_page_is_what_the_schema_generates():
    page = (REPO / "docs" / "configuration.md").read_text()
    block = re.search(re.escape(START) + r"\n(.*?)\n" + re.escape(END), page, re.S)
    assert block, "docs/configuration.md has no generated block"
    assert block.group(1) == table(), (
        "docs/configuration.md differs from the schema: run "
        "`vaeconcepts configdoc --write docs/configuration.md`"
    )
