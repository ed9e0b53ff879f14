from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run, so a gate never fails at random: a run that
# fails fails again, on any machine. BACKLOG_LINT_HYPOTHESIS_RANDOM=1 (or the long fuzz run,
# BACKLOG_LINT_FUZZ=1) draws new examples instead, to look for what the fixed ones miss.
if not (os.environ.get("BACKLOG_LINT_HYPOTHESIS_RANDOM") or os.environ.get("BACKLOG_LINT_FUZZ")):
    settings.register_profile("backlog-lint-fixed", derandomize=True)
    settings.load_profile("backlog-lint-fixed")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
PUBLIC = SHARED / "corpus" / "public"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", help="rewrite golden files from current output")


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


def seed(prefix: str) -> Path:
    """A seed file by its number prefix ('002')."""
    if not SEEDS.is_dir():
        pytest.skip("shared corpus not available")
    return next(SEEDS.glob(f"{prefix}_*.md"))


def public_projects() -> list[Path]:
    """Each top-level file or folder of the public corpus is its own project (hidden ones, such as a
    cache a run left there, are not entries)."""
    if not PUBLIC.is_dir():
        return []
    return sorted(p for p in PUBLIC.iterdir() if p.name != "MANIFEST.tsv" and not p.name.startswith("."))
