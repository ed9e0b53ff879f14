"""The parser reads inline markup on demand: the same children as markdown-it's own inline pass."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backlog_lint.markdown import block_parser, inline_children, parser
from tests.conftest import PUBLIC, SEEDS


def _shape(tokens: list | None) -> list[tuple]:
    return [(t.type, t.tag, t.content, t.markup, t.info, sorted(t.attrs.items()), _shape(t.children))
            for t in tokens or ()]


def _both(text: str) -> tuple[list[list[tuple]], list[list[tuple]]]:
    """Inline children per inline token: from the full parser, and parsed lazily after the block pass."""
    full = [_shape(t.children) for t in parser().parse(text, {}) if t.type == "inline"]
    env: dict = {}
    lazy = [_shape(inline_children(t, env)) for t in block_parser().parse(text, env) if t.type == "inline"]
    return full, lazy


def test_block_parser__leaves_inline_tokens_unparsed() -> None:
    tokens = block_parser().parse("# Title *x*\n\n- [ ] see [docs](a.md)\n", {})
    inline = [t for t in tokens if t.type == "inline"]
    assert [t.content for t in inline] == ["Title *x*", "[ ] see [docs](a.md)"]
    assert all(t.children == [] for t in inline)


@pytest.mark.parametrize("text", [
    "plain words - with: punctuation # and = signs",
    "a *b* _c_ ~~d~~ `e` [f](g) ![h *i*](j) <http://k> &amp; \\*l\\*",
    "[ref] and [full][ref]\n\n[ref]: https://example.com\n",
    "line one  \nline two\\\nthree\nfour",
    "| a | *b* |\n|---|---|\n| `c` | [d](e) |\n",
    "<span>html</span> and <!-- comment -->",
    "",
])
def test_inline_children__equal_to_full_parse(text: str) -> None:
    full, lazy = _both(text)
    assert lazy == full


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared corpus not available")
def test_inline_children__equal_to_full_parse_on_the_corpus() -> None:
    files = sorted(SEEDS.glob("*.md")) + sorted(p for p in PUBLIC.rglob("*.md"))[:150]
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        full, lazy = _both(text)
        assert lazy == full, path.name


_ALPHABET = st.sampled_from([*"ab -:#|*_`~[]()!<>&\\\n\t", "[ ] ", "- ", "**", "http://x", "&amp;", "1. "])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_inline_children__equal_to_full_parse_on_random_markup(text: str) -> None:
    full, lazy = _both(text)
    assert lazy == full


def test_inline_children__parses_once(tmp_path: Path) -> None:
    env: dict = {}
    tok = next(t for t in block_parser().parse("a *b*\n", env) if t.type == "inline")
    first = inline_children(tok, env)
    assert inline_children(tok, env) is first


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared corpus not available")
def test_link_prefilter__skips_no_link(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks without '<' or a '[' past the checkbox are not parsed for links: none is lost."""
    from backlog_lint.dump import document_dict
    from backlog_lint.parser import links, parse_text

    files = sorted(SEEDS.glob("*.md")) + sorted(p for p in PUBLIC.rglob("*.md"))[:150]
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in files]
    texts.append("- [ ] plain task\n- [x] task with [link](a.md)\n- [ ] <https://x.org>\n\n[x]: b.md\n")
    filtered = [(document_dict(d), d.links) for d in (parse_text(t) for t in texts)]
    monkeypatch.setattr(links, "_may_link", lambda content, env: True)
    everything = [(document_dict(d), d.links) for d in (parse_text(t) for t in texts)]
    assert filtered == everything


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared corpus not available")
def test_blocks__streamed_equal_to_walked_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """The token stream is walked and dropped in batches: the smallest batch gives the blocks a
    batch larger than any file gives (every token read after the whole parse)."""
    from backlog_lint.parser.blocks import _Stream, parse_blocks

    def blocks(text: str) -> list[tuple]:
        return [(b.kind, b.line, b.end_line, b.level, b.depth, b.parent, b.para, b.ordered, b.markup, b.content,
                 b.quote, b.setext, b.inline.content if b.inline else None,
                 [(ln, [c.content if c else None for c in cells]) for ln, cells in b.rows])
                for b in parse_blocks(text, {})]

    files = sorted(SEEDS.glob("*.md")) + sorted(p for p in PUBLIC.rglob("*.md"))[:150]
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in files]
    monkeypatch.setattr(_Stream, "BATCH", 10**9)
    whole = [blocks(t) for t in texts]
    monkeypatch.setattr(_Stream, "BATCH", _Stream.LAG + 1)
    for path, text, expected in zip(files, texts, whole, strict=True):
        assert blocks(text) == expected, path.name
