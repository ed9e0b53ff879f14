"""Link targets the file system cannot look up (issue 19): a finding, never an OSError (exit 3)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from backlog_lint import fslookup
from backlog_lint.fslookup import Lookup
from tests.robustness._support import Run, assert_no_crash, write


@pytest.mark.parametrize(("target", "why"), [
    pytest.param("a" * 300_000, "is too long to be a file name", id="one-name-300k"),
    pytest.param("a" * 256 + ".md", "is too long to be a file name", id="one-name-259"),
    pytest.param("/".join(["abc"] * 2000) + "/x.md", "is too long to be a file name", id="path-8k"),
    pytest.param("%00x.md", "contains a character no file name can hold (NUL)", id="nul-escaped"),
    pytest.param("docs/%00/x.md#frag", "contains a character no file name can hold (NUL)", id="nul-with-fragment"),
])
def test_link_target__impossible_path_is_a_finding(cli: Callable[..., Run], project: Path, target: str,
                                                   why: str) -> None:
    write(project / "BACKLOG.md", f"# Backlog\n\n- [ ] TODO-1: see [spec]({target}) and ![img]({target})\n")
    run = cli(project, "check", "--no-cache", "--output-format", "json", "BACKLOG.md")
    assert_no_crash(run, allowed=(1,))
    found = [f for f in json.loads(run.stdout) if f["code"] == "BL305"]
    assert len(found) == 2, run.describe()
    assert all(why in f["message"] and "fix the path" in f["message"] for f in found)
    assert all(len(f["message"]) < 1_300 for f in found)  # a 300 KB target is shortened in the message


def test_link_target__fix_and_format_survive_it(cli: Callable[..., Run], project: Path) -> None:
    write(project / "BACKLOG.md", "# Backlog\n\n* [ ] TODO-1: [x](" + "b" * 5_000 + ".md)\n\n---\n\n---\n")
    assert_no_crash(cli(project, "check", "--fix", "--no-cache", "BACKLOG.md"), allowed=(1,))
    assert_no_crash(cli(project, "format", "--no-cache", "BACKLOG.md"), allowed=(0,))
    assert (project / "BACKLOG.md").read_text(encoding="utf-8").count("---") == 1


def test_fslookup__never_raises(tmp_path: Path) -> None:
    (tmp_path / "f.md").write_text("x", encoding="utf-8")
    assert fslookup.lookup(tmp_path / "f.md") is Lookup.FILE
    assert fslookup.lookup(tmp_path) is Lookup.DIR
    assert fslookup.lookup(tmp_path / "missing.md") is Lookup.MISSING
    assert fslookup.lookup(tmp_path / ("n" * 300)) is Lookup.TOO_LONG
    assert fslookup.lookup(str(tmp_path) + "/a\0b") is Lookup.INVALID
    assert not fslookup.lookup(tmp_path / ("n" * 300)).exists
    assert fslookup.inside(tmp_path / "a\0b", tmp_path) in (True, False)
    assert fslookup.shown("x" * 10) == repr("x" * 10)
    assert "(100,000 characters)" in fslookup.shown("x" * 100_000)
