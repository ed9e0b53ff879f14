"""A pass's inline parse shared with mdformat's render (#19): a paragraph with a link is parsed once.

Where ``one_parse.same_inline`` holds, a pass parses the inline content with mdformat's inline parser
(``one_parse.parse_inline``) instead of ours, its readers (what is set aside, the file's style) read
those children, and mdformat's render keeps them. Pinned here: on such contents both parsers give the
same tokens but for what no reader looks at, and ``format_text`` gives the same result (or refusal)
with the sharing as without it, on random backlogs and on the corpus.
"""

from __future__ import annotations

from typing import Any

import mdformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backlog_lint.errors import TooComplex, UnsafeFormat
from backlog_lint.format import canonical as formatter
from backlog_lint.format import one_parse
from backlog_lint.format.canonical import MDFORMAT_EXTENSIONS, MDFORMAT_OPTIONS, format_text
from backlog_lint.markdown import Inline, _merge_text, block_parser, inline_children
from backlog_lint.source import SourceText
from tests.helpers import corpus_texts

# words, link and markup pieces, autolink starts, escapes, entities, breaks
_PIECES = ["a", "b c", "TODO-1", ":", " ", "  ", "\n", "  \n", "\\\n", "[", "]", "(", ")", "<", ">", "!", "*", "_",
           "`", "~~", "\\", "&amp;", "&", "#", "x.md", "/d", "[r1]", "[r2]", "[a](b)", "[a](<c d>)", "![i](p.png)",
           "[x][r1]", "[x][]", "[ ]", "[x]", "<https://e.org>", "<a@b.co>", "www.e.org", "http://e.org/x", "a@b.co",
           "mailto:a@b.co", "[a](/é)", "[a](b 'T')", "[a](b%zz)", "[a](\\(b)", "[[w]]", "é", "<b>", "&#32;"]
_DEFS = "\n\n[r1]: https://example.com/1\n[R2]: <x y> 'title'\n"


def _content() -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(_PIECES), min_size=1, max_size=14).map("".join)


def _shape(tokens: list[Any] | None) -> list[tuple[Any, ...]]:
    """What a token list holds but ``meta`` (mdformat's reference links carry their label there)."""
    return [(t.type, t.tag, t.nesting, t.level, dict(t.attrs), t.markup, t.info, t.content, _shape(t.children))
            for t in tokens or []]


@settings(max_examples=400, deadline=None)
@given(_content())
def test_shared_inline__same_tokens_as_ours_but_meta(content: str) -> None:
    env: dict[str, Any] = {}
    tokens = block_parser().parse(content + _DEFS, env)
    for tok in tokens:
        if tok.type != "inline" or not one_parse.same_inline(tok.content):
            continue
        ours = inline_children(Inline(tok.content), env)
        one_parse.parse_inline(tok, env)
        theirs = _merge_text(list(tok.children or []))  # text_join, which mdformat's core rules run later
        for child in theirs:
            if child.children:
                child.children = _merge_text(child.children)
        assert _shape(theirs) == _shape(ours), tok.content


def test_shared_inline__not_for_autolinks_or_deep_brackets() -> None:
    assert one_parse.same_inline("see [a](b) and [c][r1]")
    for text in ("www.example.org", "http://e.org", "a@b.co", "mailto:a@b.co", "[" * 10):
        assert not one_parse.same_inline(text)


def _formatted(text: str) -> str:
    try:
        return format_text(text)
    except (UnsafeFormat, TooComplex) as exc:
        return f"{type(exc).__name__}: {exc}"


def _both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """``format_text`` with the inline parse shared, and without (the code path before the sharing)."""
    shared = _formatted(text)
    with monkeypatch.context() as m:
        m.setattr(one_parse, "same_inline", lambda content: False)
        alone = _formatted(text)
    return shared, alone


@st.composite
def _backlog(draw: st.DrawFn) -> str:
    lines = ["# Backlog", ""]
    for i in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["- [ ] ", "- [x] ", "* ", "1. ", "", "> - "]))
        lines.append(f"{kind}TODO-{i}: {draw(_content())}")
    lines.append("")
    lines.extend(draw(st.lists(st.sampled_from(["[r1]: https://example.com/1", "[r2]: <x y>", "[r3]: /é",
                                                "[unused]: /u", "[r1]: /again"]), max_size=4)))
    return "\n".join(lines) + "\n"


@settings(max_examples=250, deadline=None)
@given(_backlog())
def test_shared_inline__format_text_as_without_sharing(text: str) -> None:
    with pytest.MonkeyPatch.context() as mp:
        shared, alone = _both(text, mp)
    assert shared == alone


def test_shared_inline__render_as_mdformat_text() -> None:
    """The render from shared children is ``mdformat.text``'s (the one_parse test, with the sharing on)."""
    text = ("# T\n\n- [ ] TODO-1: see [spec](docs/a.md), [it](#x) and [ref][r1]\n"
            "- [x] \\[ ] [ ] *a* `b` ~~c~~\n\n[r1]: /u\n")
    for sample in (text, text.replace("- [", "1. [")):
        st_ = SourceText.from_text(sample)
        env: dict[str, Any] = {}
        tokens = block_parser().parse(st_.normalized, env)
        parsed: set[int] = set()
        formatter._parse_inline(tokens, env, parsed)
        assert parsed
        expected = mdformat.text(sample, extensions=MDFORMAT_EXTENSIONS, options=MDFORMAT_OPTIONS)
        assert one_parse.render(sample, tokens, env, frozenset(parsed)) == expected


@pytest.mark.slow
def test_shared_inline__corpus_as_without_sharing(monkeypatch: pytest.MonkeyPatch) -> None:
    compared = 0
    for name, text in corpus_texts():
        shared, alone = _both(text, monkeypatch)
        assert shared == alone, name
        compared += 1
    assert compared > 400


def test_shared_inline__cells_of_a_plain_table_are_not_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The render parses only the inline tokens it renders: not the cells of a table laid out as plain."""
    from markdown_it.parser_inline import ParserInline

    md = "# T\n\n| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n"
    expected = mdformat.text(md, extensions=MDFORMAT_EXTENSIONS, options=MDFORMAT_OPTIONS)
    parsed: list[str] = []
    real = ParserInline.parse

    def counting(self: ParserInline, src: str, *args: Any) -> Any:
        parsed.append(src)
        return real(self, src, *args)

    monkeypatch.setattr(ParserInline, "parse", counting)
    env: dict[str, Any] = {}
    assert one_parse.render(md, block_parser().parse(md, env), env) == expected
    assert parsed == ["T"]  # the heading; the six cells are laid out from their text
