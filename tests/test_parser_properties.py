"""Property tests: the parser never raises and every span lies inside the text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backlog_lint.model import INVALID_ENCODING
from backlog_lint.parser import parse_bytes, parse_text
from tests.strategies import backlog
from tests.test_parser_corpus import assert_spans_inside

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(backlog())
def test_parser__backlog_shaped_input_never_raises(text: str) -> None:
    doc = parse_text(text, "x.md")
    assert_spans_inside(doc)


@SETTINGS
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_parser__arbitrary_text_never_raises(text: str) -> None:
    doc = parse_text(text, "x.md")
    assert_spans_inside(doc)


@SETTINGS
@given(st.binary(max_size=300))
def test_parser__arbitrary_bytes_never_raise(data: bytes) -> None:
    doc = parse_bytes(data, "x.md")
    assert_spans_inside(doc)
    if doc.problems and doc.problems[0].kind == INVALID_ENCODING:
        assert doc.items == []


def test_parser__crlf_bom_tabs_positions() -> None:
    text = "\ufeff# T\r\n\r\n### TODO-1: Tab\there — ü\r\n- **Status:** Done\r\n\t- [ ] sub\r\n"
    doc = parse_bytes(text.encode("utf-8"), "x.md")
    assert doc.source.bom and doc.source.newline == "\r\n"
    item = doc.items[0]
    assert item.id_raw == "TODO-1"
    assert (item.title_span.line, item.title_span.col) == (3, 13)
    assert doc.source.lines[2][item.title_span.col - 1 : item.title_span.end_col - 1] == "Tab\there — ü"
    status = item.get("status")
    assert (status.value_span.line, status.value_span.col, status.value_span.end_col) == (4, 15, 19)
    assert item.status == "done"


def test_dependencies__a_qualified_id_is_not_a_dependency() -> None:
    from backlog_lint.parser import parse_text

    doc = parse_text("### T-3: C\n- **Dependencies:** T-1, T-2 (docs — independent but same wave), T-4 (optional)\n")
    [item] = doc.items
    assert [r.target for r in item.refs if r.relation == "dependencies"] == ["T-1"]
    assert item.get("dependencies").values == ["T-1"]
