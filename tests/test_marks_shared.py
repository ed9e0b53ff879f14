"""The parser's walk hands the markup rules their marks (backlog_lint/marks.py): the same marks a
parse of their own makes, so the rules find the same; too many marks are not kept (memory)."""

from __future__ import annotations

from pathlib import Path

import pytest

from backlog_lint import marks as marks_module
from backlog_lint.config import load_config
from backlog_lint.marks import Mark, marks_of
from backlog_lint.parser import parse_bytes
from backlog_lint.pipeline.parsing import _parse_one
from backlog_lint.rules import _markup
from tests.conftest import PUBLIC, SEEDS

_TEXTS = [
    "# Plan\n\n- [ ] a\n  continued\n- [x] b\n\n> quote\n> - item\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    "# CRLF\r\n\r\n1. one\r\n2. two\r\n\r\n<div>\r\nhtml\r\n</div>\r\n\r\n```\r\ncode\r\n```\r\n",
    "---\nid: T-1\n---\n\n## T-1: a\n\n**Status:** Open\n\n[ref]: ./x.md\n\nSee [ref].\n",
]


def _sig(marks: list[Mark]) -> list[tuple[str, int, int, int, int, str]]:
    return [(m.type, m.start, m.end, m.level, m.nesting, m.content) for m in marks]


def _corpus() -> list[Path]:
    files = sorted(SEEDS.glob("*.md")) + sorted(PUBLIC.rglob("*.md"))
    if not files:
        pytest.skip("shared corpus not available")
    return files


def test_marks__the_parse_makes_the_marks_the_rules_would() -> None:
    checked = 0
    for data in [t.encode() for t in _TEXTS] + [p.read_bytes() for p in _corpus()]:
        shared: dict = {}
        doc = parse_bytes(data, "x.md", None, shared)
        if "marks" not in shared:
            continue  # an undecodable file, or one whose long lines the parser reads changed
        env: dict = {}
        own = marks_of(doc.source.text, env)
        assert _sig(shared["marks"]) == _sig(own)
        assert shared["env"].get("references", {}).keys() == env.get("references", {}).keys()
        checked += 1
    assert checked >= 30  # the work was done: texts and corpus files compared


def test_marks__the_rules_parse_nothing_again(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A file's per-file findings come from the parse's marks; the same findings as from a parse of the
    rules' own (here forced by dropping what the parse kept)."""
    calls: list[int] = []
    original = _markup.marks_of

    def spy(text: str, env: dict) -> list[Mark]:
        calls.append(len(text))
        return original(text, env)

    monkeypatch.setattr(_markup, "marks_of", spy)
    cfg = load_config(tmp_path)
    data = b"# Plan\n\n- [ ] first\nsecond line glued\n- [ ] <b>bold\n\n> a\nb\n"
    _, shared_findings = _parse_one(data, "BACKLOG.md", cfg, True)
    assert calls == []
    assert shared_findings, "the sample must give markup findings, or this test checks nothing"
    monkeypatch.setattr(marks_module, "SHARED_MARKS", 0)  # nothing kept: the rules parse themselves
    _, own_findings = _parse_one(data, "BACKLOG.md", cfg, True)
    assert calls == [len(data)]
    assert [str(d) for d in own_findings] == [str(d) for d in shared_findings]


def test_marks__too_many_are_not_kept() -> None:
    shared: dict = {}
    text = "".join(f"- [ ] entry {i}\n" for i in range(100))
    writer = marks_module.MarkWriter(limit=50)
    from backlog_lint.markdown import walk_blocks

    walk_blocks(text, {}, writer.feed)
    assert writer.marks is None
    parse_bytes(text.encode(), "x.md", None, shared)
    assert len(shared["marks"]) > 300  # under the real limit they are kept
