"""Every corpus file parses; every span lies inside its text; show --json validates."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from backlog_lint.dump import document_dict
from backlog_lint.model import Document
from backlog_lint.parser import parse_bytes
from backlog_lint.resources import load_schema
from backlog_lint.source import Span
from tests.conftest import SHARED

pytestmark = pytest.mark.slow  # the whole shared corpus: not in the fast loop


def corpus_files() -> list[Path]:
    root = SHARED / "corpus"
    return sorted(p for p in root.rglob("*.md")) if root.is_dir() else []


def spans(doc: Document) -> Iterator[tuple[str, Span]]:
    for item in doc.items:
        yield "item", item.span
        yield "title", item.title_span
        for f in item.fields:
            yield f"field {f.key}", f.span
            yield f"value {f.key}", f.value_span
            yield f"key {f.key}", f.key_span
        for t in item.all_tasks():
            yield "task", t.span
        for r in item.refs:
            yield f"ref {r.target}", r.span
        for s in item.signals:
            yield "signal", s.span
    for lk in doc.links:
        yield "link", lk.span
    for h in doc.headings:
        yield "heading", h.span
    for row in doc.index:
        yield "index", row.ref.span


def assert_spans_inside(doc: Document) -> None:
    lines = doc.source.lines
    for what, s in spans(doc):
        assert 1 <= s.line <= s.end_line <= max(len(lines), 1), (what, s)
        assert 1 <= s.col <= len(lines[s.line - 1]) + 1, (what, s, lines[s.line - 1])
        assert 1 <= s.end_col <= len(lines[s.end_line - 1]) + 1, (what, s)
        if s.line == s.end_line:
            assert s.col <= s.end_col, (what, s)


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name[:60])
def test_corpus__parses_with_spans_inside(path: Path) -> None:
    doc = parse_bytes(path.read_bytes(), path.name)
    assert_spans_inside(doc)


def test_corpus__show_json_validates_against_model_schema() -> None:
    files = corpus_files()
    if not files:
        pytest.skip("shared corpus not available")
    validator = Draft202012Validator(load_schema("model.schema.json"))
    docs = [document_dict(parse_bytes(p.read_bytes(), p.name)) for p in files]
    payload = json.loads(json.dumps({"version": "0", "documents": docs}))
    errors = list(validator.iter_errors(payload))
    assert not errors, errors[0].message


def test_item_title_spans_point_at_titles() -> None:
    files = corpus_files()
    if not files:
        pytest.skip("shared corpus not available")
    checked = 0
    for p in files:
        doc = parse_bytes(p.read_bytes(), p.name)
        for item in doc.items:
            one_line = item.title_span.line == item.title_span.end_line
            if item.kind in ("heading", "table-row") and item.title and one_line:
                text = doc.source.lines[item.title_span.line - 1][item.title_span.col - 1 : item.title_span.end_col - 1]
                # the title drops code-span backticks and emphasis markers; the source line keeps them
                bare = text.replace("`", "").replace("*", "")
                assert item.title.split()[0].strip("`*") in bare or item.title in text, (p.name, item.title, text)
                checked += 1
    assert checked > 100
