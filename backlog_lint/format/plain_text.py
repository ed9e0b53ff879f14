"""mdformat's text renderer with a shortcut for plain text, the same output (#19).

mdformat renders every text node through about ten escapes (backslashes, emphasis markers, square
brackets, ``<``, backticks, character references, blank lines, a ``!`` before a link), each a scan
or a regular expression: on a backlog of 6,250 task items with three links each, the 37,500 text
nodes of a pass took ~0.15 s. A text without any character those escapes look at (``TOUCHED``) comes
out of them as it went in, but for runs of spaces made one; when mdformat does not wrap lines
(``wrap = "keep"``), that is all its renderer does to it. Any other text goes to mdformat's own
renderer. one_parse.py adds this renderer as a parser extension for its render (``usable``);
``tests/test_format_plain_text.py`` pins it to mdformat's renderer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# what mdformat's text renderer escapes or replaces: tabs, backslashes, '*', '_', square brackets, '<',
# backticks, '&' (character references), newlines (blank lines), '!' (before a link)
TOUCHED = frozenset("\t\\*_[]<`&\n!")
_SPACES = re.compile(" {2,}")


def render_text(node: Any, context: Any) -> str:
    """What mdformat's text renderer returns for ``node``."""
    content: str = node.content
    if TOUCHED.isdisjoint(content) and not context.do_wrap:
        return _SPACES.sub(" ", content) if "  " in content else content
    return _mdformat_text(node, context)


def _mdformat_text(node: Any, context: Any) -> str:
    from mdformat.renderer._context import text

    return text(node, context)


RENDERERS: Mapping[str, Any] = {"text": render_text}  # mdformat's parser extension interface
POSTPROCESSORS: Mapping[str, Any] = {}


def usable(extensions: list[Any]) -> bool:
    """Whether the text renderer of a render with these parser extensions is mdformat's own, the one
    ``render_text`` stands for (no extension has a text renderer of its own)."""
    try:
        from mdformat.renderer import DEFAULT_RENDERERS
        from mdformat.renderer._context import text as text_renderer
    except ImportError:
        return False
    if DEFAULT_RENDERERS.get("text") is not text_renderer:
        return False
    return not any("text" in getattr(ext, "RENDERERS", {}) for ext in extensions)
