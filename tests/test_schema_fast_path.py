"""The bundled item schema is checked without jsonschema where every item plainly meets it: the same
findings as jsonschema's, and a run on such files does not import it (start-up)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from backlog_lint import pipeline, schema
from backlog_lint.config import load_config
from tests.conftest import SEEDS
from tests.helpers import config_for, write_tree

EDGES = """# Edge cases

### T-1: Dated
- **Created:** 2024-02-30
- **Due:** ٢٠٢٤-٠١-٠١
- **Labels:** a, , b

### T-2: Plain
- **Status:** Done
- **Labels:** x, y
- **Updated:** 2024-02-28
- **Dependencies:** T-1

### T-3:
- **Status:** Todo
"""


def _validate(root: Path, fast: bool, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int, str, str]]:
    cfg = load_config(root)
    ws, _ = pipeline.build_workspace(cfg, [], root)
    if not fast:
        monkeypatch.setattr(schema, "_all_plainly_valid", lambda docs, vocab: False)
    out = []
    for doc in ws.documents:  # one document at a time, as the per-file rules validate them
        found = schema.validate({}, [doc], cfg)
        out += [(e.doc.path, e.span.line, e.kind, e.message) for e in found]
    monkeypatch.undo()
    return out


def test_the_fast_path_finds_what_jsonschema_finds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"EDGES.md": EDGES}
    if SEEDS.is_dir():
        files.update({p.name: p.read_text(encoding="utf-8", errors="replace") for p in sorted(SEEDS.glob("*.md"))})
    write_tree(tmp_path, files)
    config_for(tmp_path)
    slow = _validate(tmp_path, False, monkeypatch)
    assert any(path == "EDGES.md" for path, *_ in slow)  # the edge cases are findings
    assert _validate(tmp_path, True, monkeypatch) == slow


def test_plainly_valid_items_need_no_jsonschema() -> None:
    assert schema._bundled_is_known()
    assert schema._plainly_valid({"title": "x", "status": "done", "labels": ["a"], "created": "2024-01-31"})
    for bad in ({}, {"title": ""}, {"title": "x", "labels": ["a", ""]}, {"title": "x", "due": "2024-02-30"},
                {"title": "x", "due": "٢٠٢٤-٠١-٠١"}, {"title": "x", "labels": "a"}, {"title": "x", "id": 3}):
        assert not schema._plainly_valid(bad), bad


def test_a_check_of_plainly_valid_files_does_not_import_jsonschema(tmp_path: Path) -> None:
    write_tree(tmp_path, {"TODO.md": "# Todo\n\n### T-1: One\n- **Status:** Done\n- **Labels:** a\n"})
    config_for(tmp_path)
    probe = ("import sys\nfrom backlog_lint.cli import main\n"
             "try:\n    main.main(args=['check', '--no-cache', 'TODO.md'], standalone_mode=False)\n"
             "finally:\n    print('jsonschema' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert out.stdout.strip().splitlines()[-1] == "False", out.stdout + out.stderr
