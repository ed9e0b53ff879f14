"""Marks: what the markup rules read of markdown-it's block tokens, small enough to hold for a whole
document (a type, a line map, a level, a nesting and an inline token's content).

The parser makes them while it walks the tokens for its own blocks (``MarkWriter``, fed the same
stream), so the rules need not parse the document again; a document with more tokens than
``SHARED_MARKS`` (far beyond issue 19's sizes) does not keep them through the parse, and the rules
parse it again themselves (``marks_of``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from backlog_lint.markdown import Interned, walk_blocks

if TYPE_CHECKING:
    from markdown_it.token import Token

# Marks kept from the parser's walk for the rules, at most (~64 bytes each, about 130 MB; an 8 MB file
# of heading items with field lines has 1.2 million): beyond that the parse drops them and the rules
# parse the document again, so that a file far beyond issue 19's sizes does not hold both at once
SHARED_MARKS = 2_000_000

# tokens no rule reads: the closing tokens of paragraphs and headings (only their inline token lies
# between them and their opening token), and a table's closing, row and cell tokens (its inline
# tokens are kept; no list or quote can sit in a table). Rules that track levels or containers see
# the same without them; a heading item of four field lines is 20 tokens instead of 25, a table row
# 4 instead of 14.
_UNREAD = frozenset(("paragraph_close", "heading_close", "table_close", "thead_open", "thead_close", "tbody_open",
                     "tbody_close", "tr_open", "tr_close", "th_open", "th_close", "td_open", "td_close"))


class Mark:
    """What the markup rules read of a block token: its type, line map, level, nesting, and an inline
    token's content (the others' content is "": no rule reads a fence's or an HTML block's).

    A markdown-it ``Token`` with its two dicts and map list is ~350 bytes; a backlog of 50,000
    heading items is a million tokens, held while every markup rule runs. Inline children are
    parsed again on each use (``children``), never kept. The nesting is the class's (``_Open``,
    ``_Close``) and only an inline mark has a content slot: 64 bytes a mark instead of 80.
    """

    __slots__ = ("end", "level", "start", "type")
    children = None  # what markdown.inline_children reads: never parsed before
    nesting = 0
    content = ""

    def __init__(self, type_: str, start: int, end: int, level: int) -> None:
        self.type = type_
        self.start = start  # map[0], -1 when the token has no map
        self.end = end
        self.level = level

    @property
    def map(self) -> tuple[int, int] | None:
        """As markdown-it's ``map``: [first line, line after the last], 0-based, or None."""
        return None if self.start < 0 else (self.start, self.end)


class _Open(Mark):
    __slots__ = ()
    nesting = 1


class _Close(Mark):
    __slots__ = ()
    nesting = -1


class _InlineMark(Mark):
    __slots__ = ("content",)

    def __init__(self, type_: str, start: int, end: int, level: int, content: str) -> None:
        Mark.__init__(self, type_, start, end, level)
        self.content = content


def _mark(type_: str, start: int, end: int, level: int, nesting: int, content: str) -> Mark:
    if type_ == "inline":
        return _InlineMark(type_, start, end, level, content)
    if nesting == 1:
        return _Open(type_, start, end, level)
    if nesting == -1:
        return _Close(type_, start, end, level)
    return Mark(type_, start, end, level)


class MarkWriter:
    """Marks made from a stream of block tokens as markdown-it writes them (``walk_blocks``'s feed).

    With ``limit``, more marks than that make it give up (``marks`` is then None): a caller that
    has them uses them, one that has not parses again.
    """

    __slots__ = ("closes", "interned", "limit", "marks", "open_")

    def __init__(self, limit: int | None = None) -> None:
        self.marks: list[Mark] | None = []
        self.limit = limit
        self.open_: list[tuple[Mark | None, list[int] | None]] = []  # containers whose map end is set once they close
        self.interned = Interned()  # one int per line number, one string per short text (shared with the blocks)
        self.closes: dict[tuple[str, int], Mark] = {}

    def feed(self, tok: Token) -> None:
        out = self.marks
        if out is None:
            return
        t, m, nesting = tok.type, tok.map, tok.nesting
        open_, num = self.open_, self.interned.num
        if nesting == -1 and open_:
            opened, opened_map = open_.pop()
            if opened is not None and opened_map:
                opened.end = num(opened_map[1])
        mark = None
        if t not in _UNREAD:
            content = ""
            if t == "inline":  # a short content met again (`**Status:** Open`) is one string object
                content = self.interned.text(tok.content)
            if nesting == -1 and m is None:
                # a closing token has no map (its opening one's end is set above): one mark for
                # every close of a type at a level, read by type, level and nesting only (50,000
                # heading items have 250,000 closes)
                mark = self.closes.get((t, tok.level))
                if mark is None:
                    mark = self.closes[(t, tok.level)] = _Close(t, -1, -1, tok.level)
            else:
                mark = _mark(t, num(m[0]) if m else -1, num(m[1]) if m else -1, tok.level, nesting, content)
            out.append(mark)
            if self.limit is not None and len(out) > self.limit:
                self.marks = None  # too many to keep through the parse
                self.open_ = []
                return
        if nesting == 1:
            open_.append((mark, m))


    def done(self) -> list[Mark] | None:
        """The marks (None if there were too many), the writer's working state let go."""
        self.interned, self.closes, self.open_ = Interned(), {}, []
        return self.marks


def marks_of(text: str, env: dict) -> list[Mark]:
    """The tokens of ``text`` as marks, read as markdown-it writes them (no list of its tokens is held)."""
    writer = MarkWriter()
    walk_blocks(text, env, writer.feed)
    marks = writer.done()
    assert marks is not None
    return marks
