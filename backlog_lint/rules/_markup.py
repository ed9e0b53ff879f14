"""What markdown-it-py makes of a document: its tokens, parsed once per document for the rules that
judge how the text renders (a line joined to the entry above it, a tag that hides itself)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, cast

from backlog_lint.markdown import inline_children, walk_blocks

if TYPE_CHECKING:
    from markdown_it.token import Token

    from backlog_lint.model import Document, Link
    from backlog_lint.rules._rule import Context

_KEY = "markup-tokens:"

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


def tokens(ctx: Context, doc: Document) -> list[Mark]:
    """The block tokens of a document, shared by the rules of one run; `children` parses an inline one."""
    return _parsed(ctx, doc)[0]


def children(ctx: Context, doc: Document, tok: Mark) -> list[Token]:
    """The inline tokens of an `inline` block token, parsed on each use (most rules need none)."""
    return inline_children(tok, _parsed(ctx, doc)[1], keep=False)  # type: ignore[arg-type]


def _parsed(ctx: Context, doc: Document) -> tuple[list[Mark], dict]:
    # per-file rules get a Context of their own per document, so this holds one file's tokens at a time
    key = _KEY + doc.path
    cached = ctx.cache.get(key)
    if cached is None:
        env: dict = {}
        cached = (_marks(doc.source.text, env), env)
        ctx.cache[key] = cached
    return cast("tuple[list[Mark], dict]", cached)


def _marks(text: str, env: dict) -> list[Mark]:
    """The tokens of ``text`` as marks, read as markdown-it writes them (no list of its tokens is held)."""
    out: list[Mark] = []
    open_: list[tuple[Mark | None, list[int] | None]] = []  # containers whose map end is set once they close
    nums: list[int] = []  # one int object per line number, shared by every mark
    texts: dict[str, str] = {}
    closes: dict[tuple[str, int], Mark] = {}

    def num(n: int) -> int:
        if n >= len(nums):
            nums.extend(range(len(nums), n + 1024))
        return nums[n]

    def feed(tok: Token) -> None:
        t, m, nesting = tok.type, tok.map, tok.nesting
        if nesting == -1 and open_:
            opened, opened_map = open_.pop()
            if opened is not None and opened_map:
                opened.end = num(opened_map[1])
        mark = None
        if t not in _UNREAD:
            content = ""
            if t == "inline":  # a short content met again (`**Status:** Open`) is one string object
                content = tok.content
                if len(content) <= 32:
                    content = texts.setdefault(content, content)
            if nesting == -1 and m is None:
                # a closing token has no map (its opening one's end is set above): one mark for
                # every close of a type at a level, read by type, level and nesting only (50,000
                # heading items have 250,000 closes)
                mark = closes.get((t, tok.level))
                if mark is None:
                    mark = closes[(t, tok.level)] = _Close(t, -1, -1, tok.level)
            else:
                mark = _mark(t, num(m[0]) if m else -1, num(m[1]) if m else -1, tok.level, nesting, content)
            out.append(mark)
        if nesting == 1:
            open_.append((mark, m))

    walk_blocks(text, env, feed)
    return out


def with_containers(toks: list[Mark]) -> Iterator[tuple[int, Mark, tuple[Mark, ...]]]:
    """Each token with its index and the list items / block quotes it is inside, innermost last."""
    stack: list[Mark] = []
    for i, tok in enumerate(toks):
        if tok.type in ("list_item_close", "blockquote_close"):
            if stack:
                stack.pop()
            continue
        yield i, tok, tuple(stack)
        if tok.type in ("list_item_open", "blockquote_open"):
            stack.append(tok)


_BARE_WORD_RE = re.compile(r"^[\w-]+$")


def glued_wikilink(link: Link) -> bool:
    """`[[TASK-040]](research)`: a wiki link with a parenthesised note glued to it, which Markdown reads as
    an inline link named `[TASK-040]` to the relative URL `research` (a bare word: no path, no scheme)."""
    text = link.text
    return (link.kind == "inline" and len(text) > 2 and text.startswith("[") and text.endswith("]")
            and "[" not in text[1:-1] and bool(_BARE_WORD_RE.match(link.target.strip())))
