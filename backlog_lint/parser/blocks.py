"""One pass over markdown-it's flat token stream into a list of positioned blocks.

markdown-it gives block tokens a line ``map`` but inline tokens none, so the rest
of the parser reads columns from the source lines themselves.

The stream is walked as markdown-it writes it (``parse_blocks``): a token is read once a few
more have followed it (a rule sets a token's fields right after pushing it) and then dropped,
so a file of a million tokens never holds them all (a table of 100,000 rows is 1.4 million
tokens, ~500 MB). Blocks keep only what the parser reads of an inline token: its content,
and its children once parsed (``markdown.Inline``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from backlog_lint.markdown import Inline, Interned, TokenStream, walk_blocks

_Stream = TokenStream  # the stream parse_blocks walks (tests shrink its batch)

if TYPE_CHECKING:
    from markdown_it.token import Token

    from backlog_lint.marks import MarkWriter


class Block:
    """A block of the document, as the recognisers read it.

    Each kind holds only its own fields (the others read as the class defaults below): a
    paragraph is 7 slots instead of the 14 every block had, and a backlog of 50,000 heading
    items is 450,000 blocks.
    """

    __slots__ = ("depth", "end_line", "kind", "line", "parent", "quote")
    kind: str  # heading | paragraph | list_item | table | fence | code | html | hr | front_matter
    line: int  # 1-based first line
    end_line: int  # 1-based last line (inclusive)
    depth: int  # number of enclosing list items
    parent: int  # index of the enclosing list_item block (-1: none)
    quote: int  # number of enclosing block quotes
    # the fields of other kinds of block
    level: int = 0  # heading level
    inline: Inline | None = None  # heading / paragraph inline content
    para: int = -1  # list_item: index of its first paragraph block
    ordered: bool = False  # list_item
    markup: str = ""  # heading, list_item, fence, code, hr
    content: str = ""  # fence / code: the info string; html, front_matter: the text
    setext: bool = False  # heading
    rows: Sequence[tuple[int, list[Inline | None]]] = ()  # table

    def __init__(self, kind: str, line: int, end_line: int, depth: int = 0, parent: int = -1, quote: int = 0) -> None:
        self.kind = kind
        self.line = line
        self.end_line = end_line
        self.depth = depth
        self.parent = parent
        self.quote = quote

    def __repr__(self) -> str:
        names = ("kind", "line", "end_line", "level", "depth", "parent", "inline", "para", "ordered", "markup",
                 "content", "quote", "setext", "rows")
        return "Block(" + ", ".join(f"{n}={getattr(self, n)!r}" for n in names) + ")"


class _Heading(Block):
    __slots__ = ("inline", "level", "markup", "setext")

    def __init__(self, line: int, end_line: int, depth: int, parent: int, quote: int, level: int,
                 markup: str) -> None:
        Block.__init__(self, "heading", line, end_line, depth, parent, quote)
        self.level = level
        self.markup = markup
        self.setext = markup in ("=", "-")
        self.inline = None


class _Paragraph(Block):
    __slots__ = ("inline",)

    def __init__(self, line: int, end_line: int, depth: int, parent: int, quote: int) -> None:
        Block.__init__(self, "paragraph", line, end_line, depth, parent, quote)
        self.inline = None


class _ListItem(Block):
    __slots__ = ("markup", "ordered", "para")

    def __init__(self, line: int, end_line: int, depth: int, parent: int, quote: int, ordered: bool,
                 markup: str) -> None:
        Block.__init__(self, "list_item", line, end_line, depth, parent, quote)
        self.ordered = ordered
        self.markup = markup
        self.para = -1


class _Marked(Block):  # fence, code, hr, html, front_matter
    __slots__ = ("content", "markup")

    def __init__(self, kind: str, line: int, end_line: int, depth: int, parent: int, quote: int, markup: str = "",
                 content: str = "") -> None:
        Block.__init__(self, kind, line, end_line, depth, parent, quote)
        self.markup = markup
        self.content = content


class _Table(Block):
    __slots__ = ("rows",)

    def __init__(self, line: int, end_line: int, depth: int, parent: int, quote: int) -> None:
        Block.__init__(self, "table", line, end_line, depth, parent, quote)
        self.rows = ()


def parse_blocks(text: str, env: dict[str, Any], marks: MarkWriter | None = None) -> list[Block]:
    """Block-parse ``text`` (``markdown.block_parser``) straight into blocks; ``env`` gets the link
    reference definitions; ``marks`` is fed every token too (the markup rules' marks), and the blocks
    share its one object per line number and short text. Raises RecursionError as markdown-it does."""
    walker = _Walker(marks.interned if marks is not None else None)
    if marks is None:
        walk_blocks(text, env, walker.feed)
    else:
        feed, also = walker.feed, marks.feed

        def both(tok: Token) -> None:
            feed(tok)
            also(tok)

        walk_blocks(text, env, both)
    return walker.blocks


class _Walker:
    """The walk itself, one token at a time."""

    __slots__ = ("blocks", "cells", "item_stack", "list_stack", "num", "quote", "row_line", "rows",
                 "table", "text", "want_inline")

    def __init__(self, interned: Interned | None = None) -> None:
        self.blocks: list[Block] = []
        self.item_stack: list[tuple[int, list[int] | None]] = []  # (block index, the token's map)
        self.list_stack: list[bool] = []  # ordered?
        self.quote = 0
        self.want_inline: _Heading | _Paragraph | None = None  # a heading or paragraph whose inline token comes next
        self.table: tuple[_Table, list[int] | None] | None = None  # the table being read
        self.row_line = 0
        shared = interned if interned is not None else Interned()
        # the one int object for a line number (or block index), shared by every block and span, and one
        # string for a short inline content met again and again
        self.num, self.text = shared.num, shared.text
        self.rows: list[tuple[int, list[Inline | None]]] = []
        self.cells: list[Inline | None] = []

    def feed(self, tok: Token) -> None:
        t = tok.type
        blocks = self.blocks
        if self.want_inline is not None:
            if t == "inline":
                self.want_inline.inline = Inline(self.text(tok.content))
            self.want_inline = None
            return
        if self.table is not None:
            self._table_token(tok)
            return
        item_stack = self.item_stack
        parent = item_stack[-1][0] if item_stack else -1
        if t == "heading_open":
            m = tok.map or [0, 1]
            h = _Heading(self.num(m[0] + 1), self.num(m[1]), len(item_stack), parent, self.quote,
                         int(tok.tag[1]), tok.markup)
            blocks.append(h)
            self.want_inline = h
        elif t == "paragraph_open":
            m = tok.map or [0, 1]
            b = _Paragraph(self.num(m[0] + 1), self.num(m[1]), len(item_stack), parent, self.quote)
            blocks.append(b)
            if parent >= 0:
                owner = blocks[parent]  # always a list item: only list items are pushed on item_stack
                if isinstance(owner, _ListItem) and owner.para == -1 and owner.line == m[0] + 1:
                    owner.para = self.num(len(blocks) - 1)
            self.want_inline = b
        elif t in ("bullet_list_open", "ordered_list_open"):
            self.list_stack.append(t == "ordered_list_open")
        elif t in ("bullet_list_close", "ordered_list_close"):
            if self.list_stack:
                self.list_stack.pop()
        elif t == "list_item_open":
            m = tok.map or [0, 1]
            blocks.append(_ListItem(self.num(m[0] + 1), m[1], len(item_stack), parent, self.quote,
                                    bool(self.list_stack and self.list_stack[-1]), tok.markup))
            item_stack.append((self.num(len(blocks) - 1), tok.map))
        elif t == "list_item_close":
            if item_stack:
                bi, item_map = item_stack.pop()
                if item_map is not None:  # its end is known now
                    blocks[bi].end_line = self.num(item_map[1])
        elif t == "blockquote_open":
            self.quote += 1
        elif t == "blockquote_close":
            self.quote = max(self.quote - 1, 0)
        elif t in ("fence", "code_block"):
            m = tok.map or [0, 1]
            blocks.append(_Marked("fence" if t == "fence" else "code", self.num(m[0] + 1), self.num(m[1]),
                                  len(item_stack), parent, self.quote, tok.markup, tok.info))
        elif t == "html_block":
            m = tok.map or [0, 1]
            blocks.append(_Marked("html", self.num(m[0] + 1), self.num(m[1]), len(item_stack), parent, self.quote,
                                  content=tok.content))
        elif t == "hr":
            m = tok.map or [0, 1]
            blocks.append(_Marked("hr", self.num(m[0] + 1), self.num(m[1]), len(item_stack), parent, self.quote,
                                  tok.markup))
        elif t == "front_matter":
            m = tok.map or [0, 1]
            blocks.append(_Marked("front_matter", m[0] + 1, m[1], 0, -1, 0, content=tok.content))
        elif t == "table_open":
            m = tok.map or [0, 1]
            self.table = (_Table(m[0] + 1, m[1], len(item_stack), parent, self.quote), tok.map)
            self.rows = []

    def _table_token(self, tok: Token) -> None:
        t = tok.type
        assert self.table is not None
        if t == "tr_open":
            self.row_line = self.num((tok.map or [0, 1])[0] + 1)
            self.cells = []
        elif t == "inline":
            self.cells.append(Inline(self.text(tok.content)))
        elif t == "tr_close":
            self.rows.append((self.row_line, self.cells))
        elif t == "table_close":
            table, table_map = self.table
            table.rows = self.rows
            self.rows = []
            if table_map is not None:
                table.end_line = self.num(table_map[1])
            self.blocks.append(table)
            self.table = None
