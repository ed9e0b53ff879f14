"""Tables of plain text, laid out by mdformat-gfm's own table renderer without mdformat's inline parse
and render tree of every cell (#19).

mdformat renders a table cell by parsing its inline content, building a tree node for the cell, its
inline token and each inline child, and rendering the text nodes with its escapes. On a table of
12,500 rows that was ~70% of a formatting pass. A cell made only of characters no inline rule starts
at and no escape touches (``plain_cell``) parses into one text token whose rendering is its content
with runs of spaces made one: that is what this module gives it. A table whose every cell is plain
becomes one token of its own type (``collapse``, on the block tokens one_parse.py hands to mdformat),
and its renderer hands gfm's table renderer a stand-in of the table's tree: rows of cells with their
attributes and rendered text, so widths, padding, alignment and the delimiter row are gfm's own.
Any other table is left as it is. ``tests/test_format_plain_tables.py`` pins the output to
``mdformat.text``'s on random tables and on every corpus file.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it.token import Token

PLAIN_TABLE = "backlog_lint_plain_table"  # the token (and render tree node) type of a collapsed table

# Characters none of mdformat's inline rules (CommonMark, strikethrough, GFM autolinks: ``www.``, a
# scheme's ``:``, an e-mail's ``@``) starts at and none of its text escapes touches (backslash,
# ``*``, ``_``, ``[``, ``]``, ``<``, backtick, ``&``, ``~``, ``!`` before a link, ``|`` in a cell,
# tabs and newlines). ``.`` is one only without ``www.``.
_PLAIN = frozenset(string.ascii_letters + string.digits + " -,.;()'\"?/#%+=")
_SPACES = re.compile(" {2,}")


def plain_cell(content: str) -> str | None:
    """mdformat's rendering of a table cell whose inline content is ``content``, if it is plain text
    (else None): the text with each run of spaces made one space, as mdformat's text renderer does."""
    if not _PLAIN.issuperset(content) or "www." in content:
        return None
    return _SPACES.sub(" ", content) if "  " in content else content


def collapse(tokens: list[Token]) -> list[Token]:
    """``tokens`` with each table of plain cells (from its ``table_open`` to its ``table_close``) made one
    ``PLAIN_TABLE`` token; the list itself when there is none."""
    from markdown_it.token import Token

    out: list[Token] | None = None
    start = 0  # tokens[start:i] not copied to out yet
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        if tok.type != "table_open":
            i += 1
            continue
        end, rows = _plain_rows(tokens, i)
        if rows is None:
            i += 1
            continue
        if out is None:
            out = []
        out.extend(tokens[start:i])
        table = Token(PLAIN_TABLE, "table", 0, map=tok.map, level=tok.level, block=True, meta={"rows": rows})
        out.append(table)
        i = start = end
    if out is None:
        return tokens
    out.extend(tokens[start:])
    return out


def _plain_rows(tokens: list[Token], i: int) -> tuple[int, list[list[_Cell]] | None]:
    """The index after the table opened at ``i`` and its rows of cells, or None if one is not plain."""
    rows: list[list[_Cell]] = []
    j, n = i + 1, len(tokens)
    while j < n:
        tok = tokens[j]
        t = tok.type
        if t == "table_close":
            return j + 1, rows if rows else None
        if t == "tr_open":
            rows.append([])
        elif t in ("th_open", "td_open"):
            inline = tokens[j + 1] if j + 1 < n else None
            text = plain_cell(inline.content) if inline is not None and inline.type == "inline" else None
            if text is None or not rows:
                return j, None
            rows[-1].append(_Cell(t[:2], tok.attrs, text))
            j += 1
        elif t == "inline":
            return j, None  # an inline token outside a cell: not the shape the renderer knows
        j += 1
    return j, None


class _Cell:
    """A ``th`` or ``td`` node of the stand-in tree: its type, attributes and rendered text."""

    __slots__ = ("attrs", "text", "type")

    def __init__(self, kind: str, attrs: Mapping[str, Any], text: str) -> None:
        self.type = kind
        self.attrs = attrs
        self.text = text

    def render(self, context: Any) -> str:
        return self.text


class _Row:
    __slots__ = ()
    type = "tr"


class _Table:
    """What gfm's table renderer reads of a table node: its descendants in order (rows, then their cells)."""

    __slots__ = ("rows",)
    type = "table"

    def __init__(self, rows: list[list[_Cell]]) -> None:
        self.rows = rows

    def walk(self, *, include_self: bool = True) -> Iterator[Any]:
        if include_self:
            yield self
        row = _Row()
        for cells in self.rows:
            yield row
            yield from cells


def _render_plain_table(node: Any, context: Any) -> str:
    """A ``PLAIN_TABLE`` node: what the table renderer in use (gfm's, ``usable``) makes of the stand-in tree."""
    text: str = context.renderers["table"](_Table(node.meta["rows"]), context)
    return text


RENDERERS = {PLAIN_TABLE: _render_plain_table}  # mdformat's parser extension interface (one_parse.py adds it)
POSTPROCESSORS: dict[str, Any] = {}


def usable(extensions: list[Any]) -> bool:
    """Whether the cells' renderers are the ones ``plain_cell`` stands for: gfm's table cell renderer and
    mdformat's text renderer, with no postprocessor of cells, inline or text but gfm's (which leave
    plain text as it is)."""
    try:
        import mdformat_gfm._mdformat_plugin as gfm
        import mdformat_gfm._tables_plugin as tables
        from mdformat.renderer import DEFAULT_RENDERERS
        from mdformat.renderer._context import text as text_renderer
    except ImportError:
        return False
    if DEFAULT_RENDERERS.get("text") is not text_renderer:
        return False
    known_post = {("text", getattr(gfm, "_escape_text", None)), ("inline", getattr(gfm, "_postprocess_inline", None))}
    for ext in extensions:
        renderers = getattr(ext, "RENDERERS", {})
        for kind in ("td", "th", "inline", "text", "table"):
            fn = renderers.get(kind)
            if fn is None:
                continue
            if ext is not tables or (kind in ("td", "th") and fn is not getattr(tables, "_render_cell", None)) \
                    or (kind == "table" and fn is not getattr(tables, "_render_table", None)) \
                    or kind in ("inline", "text"):
                return False
        for kind, fn in getattr(ext, "POSTPROCESSORS", {}).items():
            if kind in ("td", "th", "table", "tr") or (kind in ("text", "inline") and (kind, fn) not in known_post):
                return False
    return True
