"""Baseline: record today's findings, report only new ones (issue 15), in real git repositories."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from backlog_lint.cli import main
from tests.helpers import write_tree

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

BACKLOG = """# Backlog

### T-1: Cache parsed models
- **Status:** Done
- **Dependencies:** T-9

---

---

### T-2: Parallel parsing
- **Status:** Todo
"""


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=cwd, check=True,
                   capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    git(tmp_path, "init", "-q")
    write_tree(tmp_path, {"BACKLOG.md": BACKLOG, "docs/TODO.md": "# Todo\n\n- [ ] write docs\n"})
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "backlog")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check", "--no-cache", "--no-color", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def codes(out: str) -> list[str]:
    return [line.split(": ")[1].split()[0] for line in out.splitlines() if line.startswith(("BACKLOG", "docs"))]


def test_baseline__written_then_only_new_findings_fail(repo: Path) -> None:
    code, out, _ = check()
    assert code == 1 and sorted(codes(out)) == ["BL102", "BL304"]
    code, out, err = check("--write-baseline", "backlog-lint-baseline.json")
    assert code == 0 and "Wrote 2 findings to the baseline backlog-lint-baseline.json." in err
    data = json.loads((repo / "backlog-lint-baseline.json").read_text(encoding="utf-8"))
    assert data["version"] == 1 and {e["code"] for e in data["findings"]} == {"BL102", "BL304"}
    assert all(e["path"] == "BACKLOG.md" and len(e["fingerprint"]) == 64 for e in data["findings"])

    code, out, _ = check("--baseline", "backlog-lint-baseline.json")
    assert code == 0 and "All checks passed!" in out

    # a new finding fails; the recorded ones stay quiet
    (repo / "docs" / "TODO.md").write_text("# Todo\n\n- [ ] write docs\n\n---\n\n---\n", encoding="utf-8")
    code, out, _ = check("--baseline", "backlog-lint-baseline.json")
    assert code == 1 and codes(out) == ["BL102"] and "docs/TODO.md:7:1: BL102" in out


def test_baseline__survives_lines_moving(repo: Path) -> None:
    check("--write-baseline", "baseline.json")
    moved = BACKLOG.replace("# Backlog\n", "# Backlog\n\nSome words added on top.\n\nAnd more.\n")
    (repo / "BACKLOG.md").write_text(moved, encoding="utf-8")
    git(repo, "commit", "-qam", "move lines")
    code, out, err = check("--baseline", "baseline.json")
    assert code == 0, out
    assert "stale" not in err


def test_baseline__config_key_and_stale_entries(repo: Path) -> None:
    check("--write-baseline", "ci/baseline.json")
    (repo / ".backlog-lint.toml").write_text('baseline = "ci/baseline.json"\n', encoding="utf-8")
    fixed = BACKLOG.replace("---\n\n---\n", "---\n")
    (repo / "BACKLOG.md").write_text(fixed, encoding="utf-8")
    code, out, err = check()
    assert code == 0 and "All checks passed!" in out
    assert "1 entry of the baseline" in err and "no longer match a finding (fixed?)" in err
    assert "--write-baseline" in err and "stale: BACKLOG.md: BL102" in err
    # writing it again shrinks it
    check("--write-baseline", "ci/baseline.json")
    data = json.loads((repo / "ci" / "baseline.json").read_text(encoding="utf-8"))
    assert [e["code"] for e in data["findings"]] == ["BL304"]
    _, _, err = check()
    assert "stale" not in err


def test_baseline__counts_equal_findings(repo: Path) -> None:
    """Two equal findings need two entries: a second copy of a known problem is new."""
    check("--write-baseline", "baseline.json")
    (repo / "BACKLOG.md").write_text(BACKLOG + "\n---\n\n---\n", encoding="utf-8")
    code, out, _ = check("--baseline", "baseline.json")
    assert code == 1 and codes(out) == ["BL102"]


def test_baseline__entries_of_files_not_checked_are_not_stale(repo: Path) -> None:
    check("--write-baseline", "baseline.json")
    code, _, err = check("--baseline", "baseline.json", "docs/TODO.md")
    assert code == 0 and "stale" not in err


def test_baseline__missing_or_broken_file_is_usage_error(repo: Path) -> None:
    code, _, err = check("--baseline", "nope.json")
    assert code == 2 and "nope.json: baseline file not found; create it with `backlog-lint check " \
                         "--write-baseline nope.json`" in err
    (repo / "bad.json").write_text("{", encoding="utf-8")
    code, _, err = check("--baseline", "bad.json")
    assert code == 2 and "bad.json:1:2: the baseline is not valid JSON" in err
