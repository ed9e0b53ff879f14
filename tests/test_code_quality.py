"""The code base stays ruff clean (the linter is a test dependency)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


def test_ruff_clean() -> None:
    ruff = Path(sys.executable).parent / "ruff"
    exe = str(ruff) if ruff.exists() else shutil.which("ruff")
    if exe is None:
        pytest.skip("ruff not installed")
    targets = [d for d in ("backlog_lint", "tests", "benchmarks") if (REPO / d).is_dir()]
    result = subprocess.run([exe, "check", "--output-format", "concise", *targets],
                            cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_clean() -> None:
    """The package type-checks (mypy is a test dependency; the settings are in pyproject.toml)."""
    result = subprocess.run([sys.executable, "-m", "mypy", "backlog_lint"], cwd=REPO, capture_output=True, text=True)
    assert "No module named mypy" not in result.stderr, "mypy is a test dependency: pip install -e '.[test]'"
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout
