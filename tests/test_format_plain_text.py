"""mdformat's text renderer with a shortcut for plain text (#19): byte for byte what ``mdformat.text``
gives, on random documents, and the shortcut is taken."""

from __future__ import annotations

from typing import Any

import mdformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backlog_lint.format import one_parse, plain_text
from backlog_lint.format.canonical import MDFORMAT_EXTENSIONS, MDFORMAT_OPTIONS
from backlog_lint.markdown import block_parser
from tests.helpers import corpus_texts

# characters the shortcut passes through, and the ones it leaves to mdformat's renderer
_PLAIN = "abcwxyz019 -,.;:()'\"?/#%+=@~|é中😀\u00a0\u2003"
_TOUCHED = "".join(sorted(plain_text.TOUCHED))


def _expected(md: str) -> str:
    return mdformat.text(md, extensions=MDFORMAT_EXTENSIONS, options=MDFORMAT_OPTIONS)


def _rendered(md: str) -> str:
    env: dict[str, Any] = {}
    return one_parse.render(md, block_parser().parse(md, env), env)


# texts that come out of the parser holding what mdformat escapes: character references, '!' before a link
_SPECIAL = ["&amp;amp;", "\\&copy;", "&#38;#33;", "a\\!", "&#33;", "wow&#33;", "\\\\", "\\_x\\_"]


def _words(alphabet: str) -> st.SearchStrategy[str]:
    return st.text(alphabet, min_size=1, max_size=16) | st.sampled_from(_SPECIAL)


@st.composite
def _document(draw: st.DrawFn, plain_only: bool) -> str:
    alphabet = _PLAIN if plain_only else _PLAIN + _TOUCHED
    blocks = []
    for _ in range(draw(st.integers(1, 5))):
        words = [draw(_words(alphabet)) for _ in range(draw(st.integers(1, 4)))]
        kind = draw(st.sampled_from(["", "# ", "- [ ] ", "1. ", "> ", "link", "em", "table"]))
        if kind == "link":
            blocks.append(f"{words[0]}[{words[-1]}](x.md) **{words[0]}** {words[-1]}[r]")
        elif kind == "em":
            blocks.append(f"*{words[0]}* _{words[-1]}_ `{words[0]}` ~~{words[-1]}~~")
        elif kind == "table":
            blocks.append(f"| a | {words[0]} |\n|---|---|\n| {words[-1]} | [l](y) |")
        else:
            blocks.append(kind + "  ".join(words))
    return "\n\n".join(blocks) + "\n\n[r]: /u\n"


@settings(max_examples=300, deadline=None)
@given(_document(plain_only=False))
def test_plain_text__random_documents_render_as_mdformat(md: str) -> None:
    assert _rendered(md) == _expected(md)


@settings(max_examples=300, deadline=None)
@given(_document(plain_only=True))
def test_plain_text__random_plain_documents_render_as_mdformat(md: str) -> None:
    assert _rendered(md) == _expected(md)


def test_plain_text__the_shortcut_is_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    assert plain_text.usable(one_parse._mdit().options["parser_extension"])
    md = "- [ ] TODO-1: see [spec](docs/a.md),  and  more\n- [ ] TODO-2: *a* snake_case\n"
    expected = _expected(md)
    real = plain_text._mdformat_text
    calls: list[str] = []

    def spy(node: Any, context: Any) -> str:
        calls.append(node.content)
        return real(node, context)

    monkeypatch.setattr(plain_text, "_mdformat_text", spy)  # mdformat's renderer, which render_text falls back to
    assert _rendered(md) == expected
    assert calls == [" snake_case"]  # the one text with a character mdformat escapes


def test_plain_text__not_over_a_text_renderer_of_an_extension() -> None:
    class Other:
        RENDERERS = {"text": lambda node, ctx: ""}  # noqa: RUF012

    assert not plain_text.usable([Other])


@pytest.mark.slow
def test_plain_text__corpus_renders_as_mdformat() -> None:
    compared = 0
    for name, md in corpus_texts():
        tokens = block_parser().parse(md, {})
        if any(t.type == "front_matter" for t in tokens) or not one_parse.shareable(tokens):
            continue
        try:
            expected = _expected(md)
        except Exception:  # mdformat itself fails on a few odd files
            continue
        assert _rendered(md) == expected, name
        compared += 1
    assert compared > 250
