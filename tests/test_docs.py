"""The front door: the README's and docs' links resolve to files in the repository, and no
page sends a reader to a file outside it."""

import re

import pytest
from conftest import REPO
from PIL import Image

from vaeconcepts.figures import style

PAGES = [
    REPO / "README.md",
    REPO / "measurements" / "README.md",
    *sorted((REPO / "docs").glob("*.md")),
]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_links_resolve_inside_the_repository(page):
    text = page.read_text()
    links = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text)
    local = [t for t in links if not re.match(r"[a-z]+://", t)]
    for target in local:
        path = (page.parent / target).resolve()
        assert path.exists(), f"{page.name}: link to {target}, which does not exist"
        assert REPO in path.parents or path == REPO, f"{page.name}: {target} is outside"
    assert "DESIGN.md" not in text, f"{page.name} cites DESIGN.md, which is not in the repository"


def test_the_readme_is_a_front_page():
    readme = (REPO / "README.md").read_text()
    # one generated table (a row per claim); every measurement's own is in measurements/
    assert len(readme.splitlines()) <= 120
    assert "<!-- headline:start -->" in readme and "<!-- measured:start -->" not in readme
    commands = re.search(r"```bash\n(.*?)```", readme, re.S).group(1)
    assert ".venv/bin/snakemake" in commands and ".venv/bin/pytest" in commands
    for page in ("configuration", "running", "design", "science", "results", "speed",
                 "reliability", "extending"):  # fmt: skip
        assert f"(docs/{page}.md)" in readme, page


@pytest.mark.parametrize("name", ["quick-fig2.png", "quick-claims.png"])
def test_the_readme_pictures_were_drawn_by_the_current_figure_code(name):
    with Image.open(REPO / "docs" / name) as img:
        drawn_by = img.info.get("Figure code")
    assert drawn_by == style.figure_code(), (
        f"docs/{name} was drawn by other figure code ({drawn_by}): remake it with "
        "`snakemake readme_pictures --configfile presets/quick.yaml`"
    )
