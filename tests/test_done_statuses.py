"""One definition of done: the config's ``done-statuses`` is what every rule and the model call closed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from backlog_lint.cli import main
from tests.helpers import lint_text

TEXT = """# Backlog

### T-1: Export
- **Status:** Staged

- [ ] write the docs

### T-2: Import
- **Status:** Done

- [x] parse
"""

REVIEW_IS_DONE = 'status-values = ["todo", "in-progress", "staged", "done"]\ndone-statuses = ["done", "staged"]\n'
REVIEW_IS_OPEN = 'status-values = ["todo", "in-progress", "staged", "done"]\ndone-statuses = ["done"]\n'


@pytest.mark.parametrize(("toml", "closed"), [(REVIEW_IS_DONE, True), (REVIEW_IS_OPEN, False)])
def test_done_statuses__rules_follow_the_config(tmp_path: Path, toml: str, closed: bool) -> None:
    found = [(d.span.line, d.code) for d in lint_text(tmp_path, TEXT, toml=toml)]
    # an item that is done by the config's word while a box under it is open
    assert ((4, "BL401") in found or (3, "BL401") in found) is closed, found


@pytest.mark.parametrize(("toml", "closed"), [(REVIEW_IS_DONE, True), (REVIEW_IS_OPEN, False)])
def test_done_statuses__the_model_follows_the_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str,
                                                     closed: bool) -> None:
    (tmp_path / ".backlog-lint.toml").write_text('include = ["*.md"]\n' + toml, encoding="utf-8")
    (tmp_path / "BACKLOG.md").write_text(TEXT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    out = CliRunner().invoke(main, ["show", "--json", "BACKLOG.md"])
    assert out.exit_code == 0, out.output
    items = json.loads(out.output)["documents"][0]["items"]
    assert [(i["id"], i["status"], i["closed"]) for i in items] == [("T-1", "staged", closed), ("T-2", "done", True)]
