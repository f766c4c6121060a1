"""The one command line, `vaeconcepts`: its subcommands print or rewrite the generated blocks."""

import pytest
from conftest import REPO

from vaeconcepts.cli import main
from vaeconcepts.config.configdoc import END, START, table
from vaeconcepts.scorecard.markdown import claim_map, headline, tables

FOLDERS = sorted(str(p) for p in (REPO / "measurements").glob("*/") if p.is_dir())


def test_configdoc_prints_the_reference_and_rewrites_its_block(tmp_path, capsys):
    main(["configdoc"])
    assert capsys.readouterr().out == table() + "\n"
    page = tmp_path / "page.md"
    page.write_text(f"intro\n{START}\nold\n{END}\n")
    main(["configdoc", "--write", str(page)])
    assert page.read_text() == f"intro\n{START}\n{table()}\n{END}\n"


@pytest.mark.parametrize(
    "name, make", [("readme", tables), ("map", claim_map), ("headline", headline)]
)
def test_archive_prints_the_measured_blocks(name, make, capsys):
    main(["archive", name, *FOLDERS])
    assert capsys.readouterr().out == make(FOLDERS) + "\n"


def test_a_subcommand_is_required():
    with pytest.raises(SystemExit):
        main([])
    with pytest.raises(SystemExit):
        main(["archive"])
