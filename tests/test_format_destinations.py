"""Plain link destinations are not read again before formatting (#19).

``protect._destinations`` finds the link destinations mdformat would print differently. A destination
that ``protect._plain_destination`` calls plain is taken as read, normalised and printed as written,
without markdown-it's destination parser and URL normaliser. Pinned here: what makes it plain holds
(markdown-it reads it whole, ``normalizeLink`` leaves it, mdformat prints it so), and ``_destinations``
finds the same with the shortcut as without it, on random documents and on every corpus file.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.common.utils import unescapeAll
from markdown_it.helpers import parseLinkDestination

from backlog_lint.format import canonical as formatter
from backlog_lint.format import protect
from backlog_lint.markdown import block_parser, parser
from backlog_lint.source import SourceText
from tests.helpers import corpus_texts

# pieces of destinations: schemes, hosts, paths, and characters that escape, end or get encoded
_DEST_PIECES = ["https://", "http://", "HTTP://", "mailto:", "//", "example.com", "a-b.c0", "x", "Z", "_", "9", "/",
                "#", "?", "=", "+", ",", ";", "!", "*", "'", "$", "~", ".", "-", ":", "@", "%", "%41", "%zz", "&",
                "&amp;", "\\", "\\)", "(", ")", "<", ">", " ", "\t", "\n", "é", "[", "]", '"', "`", "{", "|", "\x7f",
                "a" * 64 + ".io", ".." + "b" * 70]


def _dest() -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(_DEST_PIECES), max_size=8).map("".join)


@settings(max_examples=1500, deadline=None)
@given(_dest(), st.sampled_from(["", " ", ")", " 'T'", "\n", "x", "(", "\x01"]))
def test_plain_destination__is_read_normalised_and_printed_as_written(dest: str, after: str) -> None:
    text = "[a](" + dest + after
    end = protect._plain_destination(text, 4)
    if end < 0:
        return
    res = parseLinkDestination(text, 4, len(text))
    assert res.ok and res.pos == end
    raw = text[4:end]
    assert res.str == raw == unescapeAll(raw)
    assert parser().normalizeLink(raw) == raw
    assert protect._printed_destination(raw) == raw


def test_plain_destination__the_common_ones() -> None:
    for dest in ("docs/spec-1.md", "#todo-1", "https://example.com/1", "http://a.b.c/x?y=1#z", "../a_b.md"):
        assert protect._plain_destination(dest, 0) == len(dest), dest
    for dest in ("https://Example.com", "mailto:a@b.co", "//host/x", "a%20b", "a&amp;b", "a(b)", "é", "<a>", ""):
        assert protect._plain_destination(dest, 0) == -1, dest


def _found(text: str) -> dict[int, list[tuple[str, str, str]]]:
    st_ = SourceText.from_text(text)
    env: dict[str, Any] = {}
    tokens = block_parser().parse(st_.normalized, env)
    formatter._parse_inline(tokens, env, set())
    return protect._destinations(tokens, list(st_.lines))


def _both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """``_destinations`` with the shortcut, and without it (every destination read again, as before)."""
    fast = _found(text)
    with monkeypatch.context() as m:
        m.setattr(protect, "_plain_destination", lambda text, start: -1)
        slow = _found(text)
    return fast, slow


@st.composite
def _document(draw: st.DrawFn) -> str:
    lines = ["# Backlog", ""]
    for i in range(draw(st.integers(1, 5))):
        links = [draw(st.sampled_from(["[a](", "[b]( ", "![i](", "[c](<", "see ](", "[d]("])) + draw(_dest())
                 + draw(st.sampled_from([")", " 'T')", ">)", "", ") [e](x.md)", "\n  more)"])) for _ in range(3)]
        lines.append(f"- [ ] TODO-{i}: " + " ".join(links))
    lines.append("")
    lines.extend(f"[r{i}]: " + draw(_dest()) + draw(st.sampled_from(["", " 'T'", ")", "x"]))
                 for i in range(draw(st.integers(0, 4))))
    lines.append("[r0] [r1][] [x][r2] [r3]")
    return "\n".join(lines) + "\n"


@settings(max_examples=500, deadline=None)
@given(_document())
def test_destinations__as_without_the_shortcut(text: str) -> None:
    with pytest.MonkeyPatch.context() as mp:
        fast, slow = _both(text, mp)
    assert fast == slow


@pytest.mark.slow
def test_destinations__corpus_as_without_the_shortcut(monkeypatch: pytest.MonkeyPatch) -> None:
    found = 0
    for name, text in corpus_texts():
        fast, slow = _both(text, monkeypatch)
        assert fast == slow, name
        found += sum(map(len, fast.values()))
    assert found > 0
