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
from backlog_lint.source import SourceText
from tests.conftest import SHARED

FIXTURES = Path(__file__).parent / "fixtures" / "format"
SAMPLES = [
    "# T\n\n- [ ] a\n- [x] b\n  - [ ] c\n\n1) one\n2) two\n",
    "| a | b |\n|---|:-:|\n| 1 | 2 |\n\nSee https://example.com and <https://x.org>, ~~gone~~.\n",
    "[x]: /u 'T'\n[x]: /v\n\n[x] [y][x] ![i](/p.png)\n\n> quote\n> - item\n\n***\n",
    "* a\n\n* b\n\n    code\n\n<div>\nhtml\n</div>\n\nline  \nbreak\\\nend\n",
    "Setext\n===\n\n- a\n\n  b\n- c\n\n10. ten\n\n&nbsp; &amp; \\* _e_ **s** `c`\n",
    "---\ntitle: x\n---\n# T\n\n[r]: /u\n[r]: /v\n\n* [ ] a [r]\n---\n\nend",
]


def _samples() -> list[str]:
    texts = list(SAMPLES) + [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.in.md"))]
    corpus = SHARED / "corpus"
    if corpus.is_dir():
        texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted(corpus.rglob("*.md"))[:150]]
    return texts


def test_one_parse__renders_as_mdformat_text() -> None:
    compared = fronted = 0
    for text in _samples():
        st = SourceText.from_text(text.replace("\x00", ""))
        norm, lines = st.normalized, list(st.lines)
        env: dict[str, Any] = {}
        tokens = block_parser().parse(norm, env)
        formatter._parse_inline(tokens, env)  # a pass's partial inline parse: the render must not depend on it
        fm_end = tokens[0].map[1] if tokens and tokens[0].type == "front_matter" and tokens[0].map else 0
        md = "\n".join(lines[fm_end:]) + "\n"
        one_parse.offer(md, norm, lines, fm_end, tokens, env)
        ready = one_parse.take(md)
        if ready is None:
            continue
        expected = mdformat.text(md, extensions=MDFORMAT_EXTENSIONS, options=MDFORMAT_OPTIONS)
        assert one_parse.render(md, *ready) == expected, text[:200]
        compared += 1
        fronted += bool(fm_end)
    assert compared >= len(SAMPLES) and fronted >= 1


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


def test_one_parse__not_when_set_aside_or_deep() -> None:
    deep = "> " * 30 + "deep\n"
    assert not one_parse.shareable(block_parser().parse(deep, {}))
    text = "# T\n\n```\ncode\n```\n"  # a fence is set aside: mdformat gets another text
    one_parse.offer("# T\n\n<!--blfmt0:0-->\n", text, text.split("\n")[:-1], 0, block_parser().parse(text, {}), {})
    assert one_parse.take("# T\n\n<!--blfmt0:0-->\n") is None
