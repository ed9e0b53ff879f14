"""References to items removed since HEAD are found in files that were not checked (issue 15, item 6)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from backlog_lint.cli import main
from tests.helpers import write_tree

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

BACKLOG = "# Backlog\n\n### T-1: Cache\n- **Status:** Todo\n\n### T-2: Parse\n- **Status:** Todo\n"


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=cwd, check=True,
                   capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    git(tmp_path, "init", "-q")
    write_tree(tmp_path, {"BACKLOG.md": BACKLOG, "ROADMAP.md": "# Roadmap\n\n### R-1: Ship\n- **Dependencies:** T-2\n"})
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "init")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--no-cache", "--no-color", *args], catch_exceptions=False)
    return result.exit_code, result.stdout


def test_since__renumbered_item_reported_where_it_is_referenced(repo: Path) -> None:
    (repo / "BACKLOG.md").write_text(BACKLOG.replace("T-2", "T-3"), encoding="utf-8")
    code, out = check("BACKLOG.md")  # what pre-commit passes: the changed file only
    assert code == 1
    assert "ROADMAP.md:4:21: BL304 dependency 'T-2' names no item: it was removed from BACKLOG.md since HEAD; " \
           "point the reference at the item's new ID or remove it" in out


def test_since__item_moved_to_another_file_is_not_dangling(repo: Path) -> None:
    (repo / "BACKLOG.md").write_text(BACKLOG.split("\n### T-2")[0], encoding="utf-8")
    (repo / "TODO.md").write_text("# Todo\n\n### T-2: Parse\n- **Status:** Todo\n", encoding="utf-8")
    code, out = check("BACKLOG.md", "TODO.md")
    assert code == 0, out


def test_since__committed_state_is_not_a_removal(repo: Path) -> None:
    code, out = check("BACKLOG.md")
    assert code == 0, out


def test_since__outside_git_nothing_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, {"BACKLOG.md": BACKLOG.replace("T-2", "T-3"),
                          "ROADMAP.md": "# Roadmap\n\n### R-1: Ship\n- **Dependencies:** T-2\n"})
    monkeypatch.chdir(tmp_path)
    code, out = check("BACKLOG.md")
    assert code == 0, out  # the dangling reference is in a file not asked for, and there is no HEAD to compare
