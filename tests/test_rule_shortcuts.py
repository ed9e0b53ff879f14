"""The shortcuts the rules take for speed give exactly what the long way gives.

Cell counting without building cells, the ASCII path of title_key, the search for non-ASCII lines,
one source line without splitting the text, and the schema checker that validates each property
value once.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from backlog_lint.model import Document, Section
from backlog_lint.parser.patterns import split_cells
from backlog_lint.rules.mojibake import _non_ascii_lines
from backlog_lint.rules.table_cell_count import cell_count
from backlog_lint.schema import _Checker, _validator
from backlog_lint.source import SourceText, Span
from backlog_lint.text import DASH_TRANS
from backlog_lint.workspace.titles import _repair, title_key

_SPACE_RE = re.compile(r"\s+")
_MARKUP_RE = re.compile(r"[`*_~]+")


def _title_key_long_way(title: str) -> str:
    repair = _repair()
    if repair is not None and not title.isascii():
        title = repair(title)  # type: ignore[operator]
    t = unicodedata.normalize("NFKC", title).translate(DASH_TRANS).casefold()
    t = _MARKUP_RE.sub("", t)
    return _SPACE_RE.sub(" ", t).strip(" .:;-")


@settings(max_examples=400)
@given(st.text(alphabet=" \t\x0b\x0c\x1c\x1f\x85\xa0|\\a-`*_~.:;—é", max_size=14))
def test_cell_count_and_title_key(text: str) -> None:
    assert cell_count(text) == len(split_cells(text))
    assert title_key(text) == _title_key_long_way(text)


@settings(max_examples=300)
@given(st.text(alphabet="ab é\n\r\u2028\x85", max_size=16))
def test_non_ascii_lines(text: str) -> None:
    doc = Document("x.md", SourceText.from_text(text), Section("", 0, Span(1, 1, 1, 1), None))
    want = [(n, line) for n, line in enumerate(doc.source.lines, 1) if not line.isascii()]
    assert list(_non_ascii_lines(doc)) == want


CLOSED = {
    "type": "object",
    "required": ["id", "title", "status"],
    "properties": {
        "id": {"type": "string", "maxLength": 6, "pattern": "^[A-Z]+-\\d+$"},
        "title": {"type": "string", "minLength": 4},
        "status": {"enum": ["todo", "done"]},
        "labels": {"type": "array", "items": {"type": "string", "minLength": 2}, "maxItems": 2},
        "owner": False,
    },
    "additionalProperties": False,
}
MIXED = {  # keywords across properties: validated whole
    "type": "object",
    "properties": {"status": {"enum": ["todo", "done"]}},
    "if": {"properties": {"status": {"const": "done"}}, "required": ["status"]},
    "then": {"required": ["completed"]},
    "minProperties": 2,
}
VALUES = st.one_of(st.sampled_from(["", "T-1", "TASK-100", "todo", "done", "Done", "x", "2024-02-30", "2024-01-05"]),
                   st.lists(st.sampled_from(["", "a", "core", "ops"]), max_size=3))
INSTANCES = st.dictionaries(st.sampled_from(["id", "title", "status", "labels", "owner", "effort", "due",
                                             "completed", "priority"]), VALUES, max_size=6)


def _shape(errors: list[Any]) -> list[tuple[Any, ...]]:
    return [(e.validator, list(e.absolute_path), e.message, e.validator_value) for e in errors]


@settings(max_examples=400)
@given(st.text(alphabet="ab é\n\r\u2028\x85", max_size=16))
def test_one_line_without_splitting(text: str) -> None:
    split = SourceText.from_text(text)
    lines, offsets = split.lines, split.line_offsets
    pieces = re.split(r"\r\n|\r|\n", text)  # the long way: markdown-it's line ends
    expected = pieces[:-1] if len(pieces) > 1 and pieces[-1] == "" else pieces
    assert lines == expected
    assert list(offsets) == [sum(len(p) for p in re.split(r"(\r\n|\r|\n)", text)[: 2 * k]) for k in range(len(lines))]
    lazy = SourceText.from_text(text)
    assert [lazy.line(n) for n in range(len(lines) + 2)] == ["", *lines, ""]
    assert lazy._lines is None  # nothing split
    assert lazy.line_offsets == offsets  # the offsets it made are the split's
    assert lazy.lines == lines and [lazy.line(n) for n in range(1, len(lines) + 1)] == lines


@settings(max_examples=300)
@given(INSTANCES)
def test_schema_checker_matches_jsonschema(data: dict[str, Any]) -> None:
    from jsonschema import Draft202012Validator, FormatChecker
    from referencing import Registry

    validators = [_validator(None)] + [Draft202012Validator(s, format_checker=FormatChecker(), registry=Registry())
                                       for s in (CLOSED, MIXED)]
    for validator in validators:
        checker = _Checker(validator)
        first = _shape(checker.errors(data))
        assert first == _shape(list(validator.iter_errors(data)))
        assert _shape(checker.errors(dict(data))) == first  # from its memos the second time
