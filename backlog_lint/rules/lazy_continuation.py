"""BL119 lazy-continuation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.model import Document
from backlog_lint.rules._markup import tokens, with_containers
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

if TYPE_CHECKING:
    from markdown_it.token import Token

# a field line: "**Update**: ...", "**Plans:** 3", "Owner: ana", "验收标准：..." (a short key, then a colon)
_BOLD_FIELD_RE = re.compile(r"^(?P<key>(?:\*\*|__)[^*_\n]{1,40}?(?::(?:\*\*|__)|(?:\*\*|__)\s*:))(?=\s|$)")
_PLAIN_FIELD_RE = re.compile(r"^(?P<key>[^\W\d_][^:：()\[\]`*_<>|#\n]{0,30}?\s*[:：])(?=\s|$|(?<=：))")
_MARKER_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+]|\d{1,9}[.)])(?P<space>[ \t]*)")
MAX_KEY_WORDS = 4


@rule("BL119", "lazy-continuation", severity=Severity.WARNING, per_file=True)
def lazy_continuation(ctx: Context) -> Iterator[Diagnostic]:
    """Field line written under a list or quote without a blank line, so it joins the last entry.

    ## What it does
    Finds a field line (`**Update**: ...`, `Owner: ana`) written right below a
    list entry or a block quote, indented less than the entry's text (or without
    the quote's `>`), with no blank line between them.

    ## Why is this bad?
    Markdown reads such a line as the continuation of the paragraph above it
    (a "lazy" continuation line): the field renders inside the last entry or
    the quote, run together with its text ("Reasoning field for decisions
    Update: Fully implemented"), and reads as part of that entry.

    ## Example
    ```markdown
    - User attribution
    - Reasoning field for decisions
    **Update**: Fully implemented
    ```

    ## Use instead
    ```markdown
    - User attribution
    - Reasoning field for decisions

    **Update**: Fully implemented
    ```

    ## Fix
    Not fixable: put a blank line before the field line (or indent it under the
    entry it belongs to and end the line above with two spaces).
    """
    for doc in ctx.documents():
        toks = tokens(ctx, doc)
        if not any(t.type in ("bullet_list_open", "ordered_list_open", "blockquote_open") for t in toks):
            continue
        lines = doc.source.lines
        for _, tok, containers in with_containers(toks):
            if tok.type != "paragraph_open" or not containers or tok.map is None:
                continue
            inner = containers[-1]
            quote = inner.type == "blockquote_open"
            quotes = sum(1 for c in containers if c.type == "blockquote_open")
            if (quote and len(containers) > 1) or (not quote and quotes):
                continue  # a quote in a list or a list in a quote: the lazy test below would not be exact
            first, end = tok.map
            content_col = _content_col(lines, inner) if inner.type == "list_item_open" else 0
            if content_col is None:
                continue
            for i in range(first + 1, min(end, len(lines))):
                line = lines[i]
                if inner.type == "blockquote_open":
                    if line.lstrip().startswith(">"):
                        continue
                elif _indent(line) >= content_col:
                    continue
                key = _field_key(line.strip())
                if key is None:
                    continue
                yield _report(ctx, doc, i + 1, line, key, inner.type == "blockquote_open")
                break


def _report(ctx: Context, doc: Document, n: int, line: str, key: str, quote: bool) -> Diagnostic:
    col = len(line) - len(line.lstrip()) + 1
    where = "the block quote above it" if quote else "the list entry above it"
    return ctx.report(doc, Span(n, col, n, col + len(key)),
                      f"the field line {key!r} continues {where} (no blank line between them), so it renders "
                      f"inside it, run together with its text: put a blank line before it")


def _field_key(text: str) -> str | None:
    m = _BOLD_FIELD_RE.match(text)
    if m is not None:
        return m.group("key")
    m = _PLAIN_FIELD_RE.match(text)
    if m is None or len(m.group("key").split()) > MAX_KEY_WORDS or text[0].islower():
        return None  # "by hand: the parser ..." is a wrapped sentence going on, not a field
    return m.group("key")


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())


def _content_col(lines: list[str], item: Token) -> int | None:
    """The column where a list entry's text starts (its continuation lines must reach it)."""
    assert item.map is not None
    m = _MARKER_RE.match(lines[item.map[0]].expandtabs(4))
    if m is None:
        return None
    space = len(m.group("space"))
    return len(m.group("indent")) + len(m.group("marker")) + (space if 1 <= space <= 4 else 1)
