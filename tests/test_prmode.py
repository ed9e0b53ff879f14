"""Pull-request mode, `check --base REF` (issue 15), in real git repositories with branches."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from backlog_lint.cli import main

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

BACKLOG = """# Backlog

### T-1: Cache parsed models
- **Status:** Todo

### T-2: Parallel parsing
- **Status:** Todo

---

---
"""
ROADMAP = "# Roadmap\n\n### R-1: Ship it\n- **Dependencies:** T-2\n"


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c",
                           "commit.gpgsign=false", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """main with a backlog (and an old problem, the repeated break on line 11); a branch `feature` off it."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write(root / "BACKLOG.md", BACKLOG)
    write(root / "ROADMAP.md", ROADMAP)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "init")
    git(root, "checkout", "-qb", "feature")
    monkeypatch.chdir(root)
    return root


def check(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check", "--no-cache", "--no-color", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def found(out: str) -> list[str]:
    return [line.split(": ")[0] + " " + line.split(": ")[1].split()[0] for line in out.splitlines() if ": BL" in line]


def test_prmode__only_changed_lines_are_reported(repo: Path) -> None:
    write(repo / "BACKLOG.md", BACKLOG + "\n### T-3: Watch mode\n- **Status:** Todo\n- **Dependencies:** T-9\n")
    code, out, _ = check()
    assert sorted(found(out)) == ["BACKLOG.md:11:1 BL102", "BACKLOG.md:15:21 BL304"]  # a full run
    code, out, err = check("--base", "main")
    assert code == 1, err
    assert found(out) == ["BACKLOG.md:15:21 BL304"]  # the old repeated break is not this change's doing


def test_prmode__committed_change_on_the_branch_counts(repo: Path) -> None:
    write(repo / "ROADMAP.md", ROADMAP + "\n---\n\n---\n")
    git(repo, "commit", "-qam", "two breaks")
    code, out, _ = check("--base", "main")
    assert code == 1 and found(out) == ["ROADMAP.md:8:1 BL102"]


def test_prmode__no_change_no_findings(repo: Path) -> None:
    code, out, _ = check("--base", "main")
    assert code == 0 and "All checks passed!" in out


def test_prmode__deleted_item_still_referenced_and_removed_instead_of_closed(repo: Path) -> None:
    write(repo / "BACKLOG.md", BACKLOG.replace("### T-2: Parallel parsing\n- **Status:** Todo\n\n", ""))
    code, out, _ = check("--base", "main")
    assert code == 1
    assert "ROADMAP.md:4:21: BL304 dependency 'T-2' names no item: it was removed from BACKLOG.md since main" in out
    assert "BACKLOG.md:6:5: BL310 open item 'T-2' (todo) was removed, not closed (it was on line 6 at main): set " \
           "its status to done or cancelled instead" in out


def test_prmode__closed_item_removed_is_fine_and_renumbering_is_caught(repo: Path) -> None:
    write(repo / "BACKLOG.md", BACKLOG.replace("### T-2: Parallel parsing\n- **Status:** Todo",
                                               "### T-2: Parallel parsing\n- **Status:** Done"))
    git(repo, "commit", "-qam", "close T-2")
    write(repo / "BACKLOG.md", BACKLOG.replace("### T-2: Parallel parsing\n- **Status:** Todo\n\n", ""))
    _, out, _ = check("--base", "main")
    assert "BL310" in out  # open at the base (main): the branch's own closing does not count as closed there
    git(repo, "checkout", "-q", "--", ".")
    git(repo, "checkout", "-q", "main")
    write(repo / "BACKLOG.md", BACKLOG.replace("- **Status:** Todo\n\n---", "- **Status:** Done\n\n---"))
    git(repo, "commit", "-qam", "close T-2 on main")
    git(repo, "checkout", "-q", "-B", "feature2")
    write(repo / "BACKLOG.md", BACKLOG.replace("### T-2: Parallel parsing\n- **Status:** Todo\n\n", ""))
    _, out, _ = check("--base", "main")
    assert "BL310" not in out  # done at the base: removing it loses nothing
    assert "BL304" in out  # but ROADMAP still names it


def test_prmode__same_next_id_picked_on_two_branches(repo: Path) -> None:
    git(repo, "checkout", "-q", "main")
    write(repo / "BACKLOG.md", BACKLOG + "\n### T-3: Watch mode\n- **Status:** Todo\n")
    git(repo, "commit", "-qam", "main takes T-3")
    git(repo, "checkout", "-q", "feature")
    write(repo / "BACKLOG.md", BACKLOG + "\n### T-3: Plugin API\n- **Status:** Todo\n")
    git(repo, "commit", "-qam", "feature takes T-3 too")
    code, out, _ = check("--base", "main")
    assert code == 1
    assert "BACKLOG.md:13:5: BL301 item ID 'T-3' is new on this branch, but main has given it to 'Watch mode' " \
           "(BACKLOG.md:13) since: renumber this item" in out
    # the same item reaching both branches is no collision
    write(repo / "BACKLOG.md", BACKLOG + "\n### T-3: Watch mode\n- **Status:** Todo\n")
    git(repo, "commit", "-qam", "same item")
    code, out, _ = check("--base", "main")
    assert "BL301" not in out


def test_prmode__missing_base_says_how_to_fetch_it(repo: Path) -> None:
    code, _, err = check("--base", "origin/main")
    assert code == 2
    assert "--base origin/main: the base revision 'origin/main' is not in this clone" in err
    assert "`fetch-depth: 0`" in err


def test_prmode__shallow_clone_is_a_clear_error(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git(repo, "checkout", "-q", "main")
    for n in range(3):
        write(repo / "BACKLOG.md", BACKLOG + f"\n<!-- {n} -->\n")
        git(repo, "commit", "-qam", f"main {n}")
    git(repo, "checkout", "-q", "feature")
    write(repo / "BACKLOG.md", BACKLOG + "\nmore\n")
    git(repo, "commit", "-qam", "feature work")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", "--no-single-branch", f"file://{repo}", str(clone))
    git(clone, "checkout", "-q", "feature")
    monkeypatch.chdir(clone)
    code, _, err = check("--base", "origin/main")
    assert code == 2
    assert "cannot find where HEAD branched from 'origin/main': the clone is shallow" in err
    assert "fetch-depth: 0" in err


def test_prmode__outside_git_is_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "BACKLOG.md", BACKLOG)
    monkeypatch.chdir(tmp_path)
    code, _, err = check("--base", "main")
    assert code == 2 and "--base needs a git work tree" in err


def test_prmode__cannot_fix(repo: Path) -> None:
    code, _, err = check("--base", "main", "--fix")
    assert code == 2 and "cannot be combined with --fix" in err
