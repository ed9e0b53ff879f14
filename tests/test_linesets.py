"""LineSet: line numbers as runs, read like a frozenset of ints."""

from __future__ import annotations

import pickle

from backlog_lint.linesets import EMPTY, LineSet
from backlog_lint.model import Field
from backlog_lint.parser import parse_text
from backlog_lint.source import Span


def test_lineset__reads_like_the_set_of_its_lines() -> None:
    s = LineSet([(5, 7), (1, 1), (6, 9), (10, 10), (20, 19), (12, 12)])
    assert list(s) == [1, 5, 6, 7, 8, 9, 10, 12]
    assert len(s) == 8 and bool(s)
    assert all(n in s for n in (1, 5, 9, 10, 12))
    assert not any(n in s for n in (0, 2, 4, 11, 13, 19, 20, "5", None))
    assert s == frozenset({1, 5, 6, 7, 8, 9, 10, 12}) and s != {1, 5}
    assert sorted(s) == list(s) and set(s) == {1, 5, 6, 7, 8, 9, 10, 12}


def test_lineset__empty_is_false_and_equal_to_the_empty_set() -> None:
    assert not EMPTY and len(EMPTY) == 0 and list(EMPTY) == [] and 1 not in EMPTY
    assert LineSet.of([]) == EMPTY == frozenset()


def test_lineset__pickles_to_an_equal_set() -> None:
    s = LineSet.of([3, 4, 8, 100_000])
    back = pickle.loads(pickle.dumps(s))
    assert back == s and list(back) == [3, 4, 8, 100_000] and len(back) == 4


def test_document__code_blank_and_paragraph_lines() -> None:
    doc = parse_text("# T\n\nSome text\nmore text\n\n```\ncode\n```\n\n    indented\n")
    assert set(doc.blank_lines) == {2, 5, 9}
    assert set(doc.paragraph_lines) == {3, 4}
    assert set(doc.code_lines) == {6, 7, 8, 10}


def test_field__spans_on_one_line_and_across_lines_read_back_as_given() -> None:
    one = Field("status", "Status", "open", "Open", Span(3, 3, 3, 20), Span(3, 5, 3, 11), Span(3, 14, 3, 18), "bullet")
    assert one.key_span == Span(3, 5, 3, 11) and one.value_span == Span(3, 14, 3, 18)
    two = Field("status", "Status", "open", "Open", Span(3, 1, 4, 5), Span(3, 1, 3, 7), Span(4, 1, 4, 5), "heading")
    assert two.key_span == Span(3, 1, 3, 7) and two.value_span == Span(4, 1, 4, 5)
    assert one.values == () and one != two
    for f in (one, two):
        back = pickle.loads(pickle.dumps(f))
        assert back == f and back.key_span == f.key_span and back.value_span == f.value_span
