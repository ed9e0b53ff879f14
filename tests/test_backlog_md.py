"""Living beside Backlog.md: `format` leaves its marker blocks exactly as its writer lays them out
(issue 15, item 5), so `backlog task edit` and the format hook no longer undo each other."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from backlog_lint.cli import main
from backlog_lint.format.canonical import format_text

pytestmark = pytest.mark.slow  # end-to-end: real processes, real tools; not in the fast loop

FIXTURES = Path(__file__).parent / "fixtures" / "backlog_md"
BACKLOG_MD_VERSION = "1.52.0"
TASKS = sorted(FIXTURES.glob("task-*.md"))


@pytest.mark.parametrize("path", TASKS, ids=[p.stem for p in TASKS])
def test_backlog_md__written_task_is_already_canonical(path: Path) -> None:
    text = path.read_bytes().decode("utf-8")
    assert "<!-- SECTION:DESCRIPTION:BEGIN -->" in text
    assert format_text(text, path=path.name) == text


def test_backlog_md__marker_blocks_and_the_heading_above_are_kept() -> None:
    text = (FIXTURES / "task-1.md").read_text(encoding="utf-8")
    assert "## Acceptance Criteria\n<!-- AC:BEGIN -->\n- [x] #1" in text  # no blank lines: as Backlog.md writes
    # what is outside the blocks is still formatted
    messy = text.replace("## Implementation Plan\n", "Implementation Plan\n-------------------\n")
    out = format_text(messy, path="task-1.md")
    assert out == text


def test_backlog_md__crlf_file_is_kept_too() -> None:
    text = (FIXTURES / "task-1.md").read_text(encoding="utf-8").replace("\n", "\r\n")
    assert format_text(text, path="task-1.md") == text


def test_backlog_md__blocks_that_are_not_backlog_mds_layout_are_formatted() -> None:
    """A marker pair inside a list item is no block of Backlog.md's: mdformat's rules apply there."""
    text = "# T\n\n- item\n  <!-- AC:BEGIN -->\n  * one\n  <!-- AC:END -->\n"
    assert format_text(text, path="t.md") != text


# --- the real Backlog.md CLI ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def backlog_cli(tmp_path_factory: pytest.TempPathFactory) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed: the byte fixtures above stand in for the real CLI")
    prefix = tmp_path_factory.mktemp("backlog-md")
    proc = subprocess.run([npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund",
                           f"backlog.md@{BACKLOG_MD_VERSION}"], capture_output=True, text=True, timeout=300,
                          check=False)
    exe = prefix / "node_modules" / ".bin" / "backlog"
    if proc.returncode != 0 or not exe.exists():
        pytest.skip(f"npm could not install backlog.md@{BACKLOG_MD_VERSION} (no registry?): "
                    f"{(proc.stderr or proc.stdout).strip()[-300:]}")
    return exe


def _backlog(exe: Path, cwd: Path, *args: str) -> None:
    env = {**os.environ, "HOME": str(cwd.parent / "home"), "NO_COLOR": "1"}
    proc = subprocess.run([str(exe), *args], cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_backlog_md__real_cli_edits_and_format_agree(backlog_cli: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "home").mkdir()
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    _backlog(backlog_cli, project, "init", "demo", "--defaults", "--integration-mode", "none")
    _backlog(backlog_cli, project, "task", "create", "Cache parser output", "-d", "Parse once, reuse.",
             "--ac", "Second run parses nothing", "--ac", "Cache survives restarts", "--dod", "Tests pass",
             "--plain")
    monkeypatch.chdir(project)

    def format_check() -> int:
        return CliRunner().invoke(main, ["format", "--check", "--no-cache", "backlog/tasks"]).exit_code

    assert format_check() == 0  # as Backlog.md wrote it
    _backlog(backlog_cli, project, "task", "edit", "1", "--plan", "1. Hash files\n2. Store models", "--notes",
             "Started with pickle", "--check-ac", "1", "-s", "In Progress", "--plain")
    (task,) = (project / "backlog" / "tasks").glob("task-1*.md")
    written = task.read_bytes()
    assert b"<!-- AC:BEGIN -->\n- [x] #1 Second run parses nothing" in written
    assert format_check() == 0  # after an edit too: the hook and the writer agree
    assert CliRunner().invoke(main, ["format", "--no-cache", "backlog/tasks"]).exit_code == 0
    assert task.read_bytes() == written
