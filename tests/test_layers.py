"""The library's layers (pyproject.toml [tool.importlinter]) hold: `lint-imports` passes."""

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO


def test_the_import_contracts_are_kept():
    tool = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    proc = subprocess.run([tool, "--no-cache"], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
