"""One parse per formatting pass (#17, #19): mdformat renders our block tokens instead of parsing again.

What the shortcut relies on: our block parser is mdformat's plus front matter, so mdformat's core rules
and renderer on our block tokens give ``mdformat.text``'s output byte for byte.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mdformat
import pytest

from backlog_lint.format import canonical as formatter
from backlog_lint.format import one_parse
from backlog_lint.format.canonical import MDFORMAT_EXTENSIONS, MDFORMAT_OPTIONS, format_text
from backlog_lint.markdown import block_parser
from tests.conftest import SHARED

FIXTURES = Path(__file__).parent / "fixtures" / "format"
SAMPLES = [
    "# T\n\n- [ ] a\n- [x] b\n  - [ ] c\n\n1) one\n2) two\n",
    "| a | b |\n|---|:-:|\n| 1 | 2 |\n\nSee https://example.com and <https://x.org>, ~~gone~~.\n",
    "[x]: /u 'T'\n[x]: /v\n\n[x] [y][x] ![i](/p.png)\n\n> quote\n> - item\n\n***\n",
    "* a\n\n* b\n\n    code\n\n<div>\nhtml\n</div>\n\nline  \nbreak\\\nend\n",
    "Setext\n===\n\n- a\n\n  b\n- c\n\n10. ten\n\n&nbsp; &amp; \\* _e_ **s** `c`\n",
]


def _samples() -> list[str]:
    texts = list(SAMPLES) + [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.in.md"))]
    corpus = SHARED / "corpus"
    if corpus.is_dir():
        texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted(corpus.rglob("*.md"))[:150]]
    return texts


def test_one_parse__renders_as_mdformat_text() -> None:
    compared = 0
    for text in _samples():
        md = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
        if not md.endswith("\n"):
            md += "\n"
        env: dict[str, Any] = {}
        tokens = block_parser().parse(md, env)
        formatter._parse_inline(tokens, env)  # a pass's partial inline parse: the render must not depend on it
        if not one_parse.shareable(tokens):
            continue
        expected = mdformat.text(md, extensions=MDFORMAT_EXTENSIONS, options=MDFORMAT_OPTIONS)
        assert one_parse.render(md, tokens, env) == expected, text[:200]
        compared += 1
    assert compared >= len(SAMPLES)


def test_one_parse__a_pass_parses_the_text_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """`format --check` on a text with nothing set aside: one markdown-it block parse, no mdformat parse."""
    import markdown_it

    parses: list[str] = []
    real = markdown_it.MarkdownIt.parse

    def counting(self: markdown_it.MarkdownIt, src: str, env: Any = None) -> Any:
        parses.append(src)
        return real(self, src, env)

    monkeypatch.setattr(markdown_it.MarkdownIt, "parse", counting)
    text = "# T\n\n* [ ] a\n* [x] b\n"
    out = format_text(text, stable=False)
    assert out == "# T\n\n- [ ] a\n- [x] b\n"
    assert parses == [text]  # the pass's own block parse; mdformat's parse of the same text is gone
    parses.clear()
    assert format_text(text) == out
    assert parses == [text, out]  # one per pass: the formatting, and the stability pass


def test_one_parse__not_with_front_matter_or_deep_nesting() -> None:
    for text in ("---\na: 1\n---\n# T\n", "> " * 30 + "deep\n"):
        tokens = block_parser().parse(text, {})
        assert not one_parse.shareable(tokens)
