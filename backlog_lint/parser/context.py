"""What every recogniser shares: the parse context (blocks, lines, vocabulary, the document being
built) and small helpers for source positions."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from backlog_lint.diagnostics import Severity
from backlog_lint.markdown import Inline, Interned, inline_children
from backlog_lint.model import (
    Document,
    Item,
    Problem,
    Section,
)
from backlog_lint.parser.blocks import Block
from backlog_lint.source import SourceText, Span
from backlog_lint.vocab import Vocabulary

if TYPE_CHECKING:
    from markdown_it.token import Token



@dataclass(slots=True)
class Ctx:
    path: str
    st: SourceText
    vocab: Vocabulary
    blocks: list[Block]
    doc: Document
    heading_blocks: list[int] = field(default_factory=list)
    section_of: list[int] = field(default_factory=list)  # block index -> heading ordinal (-1 = none)
    sections: list[Section] = field(default_factory=list)  # by heading ordinal
    owner: list[Item | None] = field(default_factory=list)  # block index -> owning item
    parent_of: list[int] = field(default_factory=list)  # heading ordinal -> parent ordinal (-1 = root)
    body_end: list[int] = field(default_factory=list)  # heading ordinal -> block index ending its body
    path_memo: dict[int, tuple[str, dict[str, str]]] = field(default_factory=dict)
    link_lines: list[int] = field(default_factory=list)  # line of each doc link, sorted
    env: dict = field(default_factory=dict)  # markdown-it's env (link reference definitions)
    lines: list[str] = field(default_factory=list)  # the source lines (read on every step: no property)
    # one string per short spelling of a field (`Status`, `Open`, `P1`), for the model build
    interned: Interned = field(default_factory=lambda: Interned(short=24))

    def __post_init__(self) -> None:
        self.lines = self.st.lines

    def kids(self, tok: Inline | None, *, keep: bool = True) -> list[Token] | None:
        """An inline token's children, parsed on first use (see markdown.inline_children); ``keep``
        false for a reader that is the only one to need them."""
        return inline_children(tok, self.env, keep=keep) if tok is not None else None


class BlockMarks:
    """A set of block indices, one byte per block of the document (the blocks items own: a set of
    450,000 indices and its copy were ~60 MB of a parse's peak)."""

    __slots__ = ("_flags",)

    def __init__(self, size: int) -> None:
        self._flags = bytearray(size)

    def __contains__(self, bi: object) -> bool:
        return isinstance(bi, int) and 0 <= bi < len(self._flags) and self._flags[bi] == 1

    def add(self, bi: int) -> None:
        self._flags[bi] = 1

    def update(self, indices: Iterable[int]) -> None:
        flags = self._flags
        for bi in indices:
            flags[bi] = 1

    def copy(self) -> BlockMarks:
        other = BlockMarks(0)
        other._flags = bytearray(self._flags)
        return other


def source_line(ctx: Ctx, n: int) -> str:
    lines = ctx.lines
    return lines[n - 1] if 0 < n <= len(lines) else ""


def span_in_line(ctx: Ctx, n: int, text: str, start: int = 0) -> Span:
    line = source_line(ctx, n)
    col = line.find(text, start) if text else -1
    if col < 0:
        stripped = len(line) - len(line.lstrip())
        return Span(n, stripped + 1, n, len(line) + 1)
    return Span(n, col + 1, n, col + len(text) + 1)


def block_span(ctx: Ctx, b: Block) -> Span:
    end = min(max(b.end_line, b.line), len(ctx.lines))
    first = source_line(ctx, b.line)
    indent = len(first) - len(first.lstrip())
    return Span(b.line, indent + 1, end, len(source_line(ctx, end)) + 1)


def problem(ctx: Ctx, span: Span, kind: str, message: str, severity: Severity = Severity.ERROR) -> None:
    """A problem met while parsing, for the rule named ``kind`` to report."""
    ctx.doc.problems.append(Problem(kind, span, message, severity))


_MARKUP_RE = re.compile(r"\*\*|__|~~|`")
_MARKUP_OR_BRACKET_RE = re.compile(r"\*\*|__|~~|`|\[")


def plain_text(raw: str) -> str:
    r"""``raw`` without ``**``, ``__``, ``~~``, backticks, and with ``[text](target)`` as ``text``.

    The same as ``re.sub(r"\*\*|__|~~|`|\[([^\]]*)\]\([^)]*\)", ...)``, in linear time: that pattern
    rescans to the end of the text from every ``[`` that is not a link (a line of 250,000 ``[a](``
    took minutes), while here the next ``]`` and ``)`` are found once and remembered.
    """
    if "[" not in raw:
        return _MARKUP_RE.sub("", raw).strip()
    out: list[str] = []
    pos = 0
    bracket = paren = -1  # the first "]" / ")" at or after the current search start (len(raw): none)
    end = len(raw)
    while True:
        m = _MARKUP_OR_BRACKET_RE.search(raw, pos)
        if m is None:
            out.append(raw[pos:])
            break
        out.append(raw[pos:m.start()])
        pos = m.end()
        if m.group() != "[":
            continue
        if bracket < pos:
            bracket = raw.find("]", pos)
            bracket = end if bracket < 0 else bracket
        if bracket + 1 < end and raw[bracket + 1] == "(":
            if paren < bracket + 2:
                paren = raw.find(")", bracket + 2)
                paren = end if paren < 0 else paren
            if paren < end:
                out.append(raw[pos:bracket])
                pos = paren + 1
                continue
        out.append("[")
    return "".join(out).strip()
