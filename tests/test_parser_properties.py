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


_NODE_TEXT = st.text(alphabet=st.sampled_from(list("ab Z9-_'\"[](){}@:,#%✅\t")), max_size=24)


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, 6), _NODE_TEXT), max_size=12), st.booleans())
def test_mermaid_kanban__any_diagram_body_never_raises_and_titles_are_where_they_point(
        nodes: list[tuple[int, str]], kanban: bool) -> None:
    body = "\n".join(" " * indent + text for indent, text in nodes)
    text = f"# Board\n\n```mermaid\n{'kanban' if kanban else 'flowchart LR'}\n{body}\n```\n"
    doc = parse_text(text, "x.md")
    assert_spans_inside(doc)
    for item in doc.items:
        assert item.kind == "card" and kanban
        line = doc.source.lines[item.title_span.line - 1]
        assert line[item.title_span.col - 1 : item.title_span.end_col - 1] == item.title
        for f in item.fields:
            assert doc.source.lines[f.value_span.line - 1][f.value_span.col - 1 : f.value_span.end_col - 1] == f.value


def test_mermaid_kanban__cards_take_their_column_as_lane_and_metadata_as_fields() -> None:
    text = ("```mermaid\nkanban\n  todo[To Do]\n    a[Export]@{ assigned: 'ana', priority: 'High' }\n"
            "  Done\n    b[Import]\n```\n")
    doc = parse_text(text, "x.md")
    export, imp = doc.items
    assert (export.kind, export.title, export.status, imp.title, imp.status) == ("card", "Export", "todo", "Import",
                                                                                 "done")
    assert [(f.key, f.value) for f in export.fields] == [("owner", "ana"), ("priority", "High")]
