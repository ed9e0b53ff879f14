"""`check -` and `format -` with `--stdin-filename` (issue 15), in a real git repository, through the
installed command (a pipe, as an editor would use it)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import write_tree

EXE = Path(sys.executable).parent / "backlog-lint"
pytestmark = pytest.mark.skipif(shutil.which("git") is None or not EXE.exists(),
                                reason="git or the installed backlog-lint is missing")

ON_DISK = "# Backlog\n\n### T-1: Cache parsed models\n- **Status:** Todo\n"
ROADMAP = "# Roadmap\n\n### T-5: Ship it\n- **Dependencies:** T-1\n\n---\n\n---\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    write_tree(tmp_path, {"BACKLOG.md": ON_DISK, "docs/ROADMAP.md": ROADMAP})
    return tmp_path


def cli(repo: Path, stdin: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(EXE), *args], cwd=cwd or repo, input=stdin, capture_output=True, text=True,
                          timeout=60, check=False)


def test_stdin__check_reports_against_the_given_path_and_sees_the_project(repo: Path) -> None:
    text = ("# Backlog\n\n### T-2: Parallel parsing\n- **Dependencies:** T-5, T-7\n\n### T-5: Ship it twice\n"
            "- **Status:** Todo\n")
    proc = cli(repo, text, "check", "--no-color", "--no-cache", "-", "--stdin-filename", "BACKLOG.md")
    assert proc.returncode == 1, proc.stderr
    found = [line.split(": ")[0] + " " + line.split(": ")[1].split()[0] for line in proc.stdout.splitlines()
             if ": BL" in line]
    # T-5 is defined in docs/ROADMAP.md (the project is seen): a duplicate, reported at both ends since one
    # end is the text from stdin; T-7 is defined nowhere. The text stands in for BACKLOG.md on disk, so
    # T-1 is gone and ROADMAP's reference to it dangles, but that finding only involves a file not asked for.
    assert found == ["BACKLOG.md:4:26 BL304", "BACKLOG.md:6:5 BL301", "docs/ROADMAP.md:3:5 BL301"]
    assert "'T-7'" in proc.stdout
    assert "Checked 1 file." in proc.stdout
    assert (repo / "BACKLOG.md").read_text(encoding="utf-8") == ON_DISK  # nothing written


def test_stdin__check_of_a_new_file_in_a_subfolder(repo: Path) -> None:
    proc = cli(repo, "# Todo\n\n---\n\n---\n", "check", "--no-color", "--no-cache", "-", "--stdin-filename",
               "notes/TODO.md", cwd=repo / "docs")
    assert proc.returncode == 1
    assert "notes/TODO.md:5:1: BL102" in proc.stdout


def test_stdin__check_without_a_filename_names_it_stdin(repo: Path) -> None:
    proc = cli(repo, "# Todo\n\n---\n\n---\n", "check", "--no-color", "--no-cache", "-")
    assert proc.returncode == 1 and "stdin.md:5:1: BL102" in proc.stdout


def test_stdin__check_with_fix_or_other_paths_is_usage_error(repo: Path) -> None:
    proc = cli(repo, ON_DISK, "check", "--fix", "-")
    assert proc.returncode == 2 and "use `backlog-lint format -`" in proc.stderr
    proc = cli(repo, ON_DISK, "check", "-", "BACKLOG.md")
    assert proc.returncode == 2


def test_stdin__format_prints_the_formatted_text(repo: Path) -> None:
    proc = cli(repo, "# Backlog\n* one\n* two\n", "format", "-", "--stdin-filename", "BACKLOG.md")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "# Backlog\n\n- one\n- two\n"
    assert (repo / "BACKLOG.md").read_text(encoding="utf-8") == ON_DISK


def test_stdin__format_keeps_crlf_and_check_and_diff(repo: Path) -> None:
    proc = subprocess.run([str(EXE), "format", "-"], cwd=repo, input=b"# B\r\n* one\r\n", capture_output=True,
                          timeout=60, check=False)
    assert proc.returncode == 0 and proc.stdout == b"# B\r\n\r\n- one\r\n"
    assert cli(repo, "# B\n* one\n", "format", "--check", "-").returncode == 1
    assert cli(repo, "# B\n\n- one\n", "format", "--check", "-").returncode == 0
    proc = cli(repo, "# B\n* one\n", "format", "--diff", "-", "--stdin-filename", "TODO.md")
    assert proc.returncode == 1 and "--- a/TODO.md" in proc.stdout and "+- one" in proc.stdout
