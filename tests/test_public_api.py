"""The public API (``backlog_lint.check / parse / format_text``) does what the command line does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import backlog_lint
from backlog_lint.cli import main

BACKLOG = """# Backlog

### TODO-1: Parser
- **Status:** Done
- **Depends on:** TODO-9

- [ ] still open
"""


def _project(root: Path) -> Path:
    (root / ".backlog-lint.toml").write_text('include = ["*.md"]\n', encoding="utf-8")
    (root / "BACKLOG.md").write_text(BACKLOG, encoding="utf-8")
    return root


def test_public_api__names_resolve() -> None:
    for name in backlog_lint.__all__:
        assert getattr(backlog_lint, name) is not None, name
    with pytest.raises(AttributeError):
        backlog_lint.no_such_name  # noqa: B018


def test_public_api__check_matches_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path)
    report = backlog_lint.check(cwd=root)
    assert report.files == ["BACKLOG.md"] and not report.ok
    codes = sorted(f.code for f in report.findings)
    assert codes == ["BL304", "BL401"]  # a dependency on no item, done with an open box
    monkeypatch.chdir(root)
    out = CliRunner().invoke(main, ["check", "--no-cache", "--output-format", "json"])
    cli_codes = sorted(d["code"] for d in json.loads(out.output))
    assert cli_codes == codes
    assert all(isinstance(f, backlog_lint.Finding) for f in report.findings)


def test_public_api__check_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    root = _project(tmp_path)
    with pytest.raises(backlog_lint.UsageError, match="no such file"):
        backlog_lint.check(["nope.md"], cwd=root)


def test_public_api__parse_and_format(tmp_path: Path) -> None:
    doc = backlog_lint.parse(BACKLOG, "BACKLOG.md")
    assert isinstance(doc, backlog_lint.Document)
    assert [(i.id, i.title, i.status) for i in doc.items] == [("TODO-1", "Parser", "done")]
    messy = "# Backlog\n\n* [ ] one\n* [x] two\n\n\n\n"
    out = backlog_lint.format_text(messy)
    assert out == "# Backlog\n\n- [ ] one\n- [x] two\n"
    assert backlog_lint.format_text(out) == out
    with pytest.raises(backlog_lint.UnsafeFormat):
        backlog_lint.format_text("- list\n\n  | a | b |\n  |---|---|\n  | 1 | 2 | 3 |\n")
