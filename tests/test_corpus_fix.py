"""Issue 5 acceptance: every corpus project survives `--fix --unsafe-fixes` and `format`.

Each top-level file or folder of the public corpus (and each seed) is its own project. After
`check --fix --unsafe-fixes` no fixable finding is left and a second run changes nothing;
`format` either rewrites with the model preserved or refuses, and a second run changes nothing.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from backlog_lint.cli import main
from tests.conftest import SEEDS, public_projects

PROJECTS = [*public_projects(), *(sorted(SEEDS.glob("*.md")) if SEEDS.is_dir() else [])]


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.md"))}


@pytest.fixture
def project(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    src: Path = request.param
    root = tmp_path / "p"
    root.mkdir()
    if src.is_dir():
        shutil.copytree(src, root / src.name)
    else:
        shutil.copy(src, root / src.name)
    (root / ".backlog-lint.toml").write_text('include = ["**/*.md"]\n', encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return root


def _run(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return r.exit_code, r.stdout + r.stderr


@pytest.mark.parametrize("project", PROJECTS, indirect=True, ids=lambda p: p.name[:50])
def test_corpus__fix_unsafe_converges_and_leaves_nothing_fixable(project: Path) -> None:
    code, out = _run("check", "--fix", "--unsafe-fixes", "--no-cache", "--output-format", "json")
    assert code in (0, 1), out
    after_first = _snapshot(project)
    findings = json.loads(out)
    assert [f for f in findings if f["fix"] is not None] == [], "fixable findings remain after --fix"
    code, out = _run("check", "--fix", "--unsafe-fixes", "--no-cache", "--output-format", "json")
    assert code in (0, 1), out
    assert _snapshot(project) == after_first, "a second --fix changed files again"


@pytest.mark.parametrize("project", PROJECTS, indirect=True, ids=lambda p: p.name[:50])
def test_corpus__format_is_safe_and_idempotent(project: Path) -> None:
    code, out = _run("format")
    assert code in (0, 3), out  # 3: refused, and said so
    if code == 3:
        assert "would change the backlog" in out
    first = _snapshot(project)
    code, out = _run("format", "--check")
    assert code in (0, 3), out
    assert _snapshot(project) == first
