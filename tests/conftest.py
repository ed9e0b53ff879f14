from __future__ import annotations

from pathlib import Path

import pytest

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
