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
    from backlog_lint.rules._markup import Mark

# a field line: "**Update**: ...", "**Plans:** 3", "Owner: ana", "验收标准：..." (a short key, then a colon)
_BOLD_FIELD_RE = re.compile(r"^(?P<key>(?:\*\*|__)[^*_\n]{1,40}?(?::(?:\*\*|__)|(?:\*\*|__)\s*:))(?=\s|$)")
# (a plain key needs a value: "It looks like:" ending a sentence before a code block is prose going on)
_PLAIN_FIELD_RE = re.compile(r"^(?P<key>[^\W\d_][^:：()\[\]`*_<>|#\n]{0,30}?\s*[:：])(?:\s+|(?<=：))\S")
_MARKER_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+]|\d{1,9}[.)])(?P<space>[ \t]*)")
MAX_KEY_WORDS = 4


@rule("BL119", "lazy-continuation", severity=Severity.WARNING, per_file=True)
def lazy_continuation(ctx: Context) -> Iterator[Diagnostic]:
    """Field line written under a list or quote without a blank line, so it joins the last entry.

    ## What it does
    Finds a field line (`**Update**: ...`, `Owner: ana`) written right below a
    list entry or a block quote, indented less than the entry's text (or without
    the quote's `>`), with no blank line between them; and a bold field line
    indented into the last entry of a list when the same file writes that field
    on a line of its own after such lists elsewhere (`**Plans:** 3 plans` below
    each phase's criteria).

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
        own = _top_level_keys(toks, lines)
        for _, tok, containers in with_containers(toks):
            if tok.type != "paragraph_open" or not containers or tok.map is None:
                continue
            inner = containers[-1]
            quote = inner.type == "blockquote_open"
            quotes = sum(1 for c in containers if c.type == "blockquote_open")
            if (quote and len(containers) > 1) or (not quote and quotes):
                continue  # a quote in a list or a list in a quote: the lazy test below would not be exact
            first, end = tok.map
            content_col = 0 if quote else _content_col(lines, inner)
            if content_col is None:
                continue
            for i in range(first + 1, min(end, len(lines))):
                line = lines[i]
                lazy = not line.lstrip().startswith(">") if quote else _indent(line) < content_col
                key = _field_key(line.strip())
                if key is None:
                    continue
                if lazy:
                    yield _report(ctx, doc, i + 1, line, key, "quote" if quote else "entry")
                    break
                if not quote and _bold_key(key) in own:
                    yield _report(ctx, doc, i + 1, line, key, "indented")
                    break


def _top_level_keys(toks: list[Mark], lines: list[str]) -> set[str]:
    """Keys of the bold fields the file writes on a line of their own right after a list (`**Plans:** 3`
    below a phase's criteria): the place the file gives them, outside the list."""
    keys: set[str] = set()
    after_list = False
    for tok in toks:
        if tok.level != 0 or (tok.nesting == -1 and tok.type not in ("bullet_list_close", "ordered_list_close")):
            continue
        if tok.type == "paragraph_open" and after_list and tok.map is not None:
            m = _BOLD_FIELD_RE.match(lines[tok.map[0]].strip())
            if m is not None:
                keys.add(_bold_key(m.group("key")))
        after_list = tok.type in ("bullet_list_close", "ordered_list_close")
    return keys


def _bold_key(key: str) -> str:
    """`**Plans:**`, `**Plans**:` -> `plans`."""
    return key.strip("*_: \t").rstrip(":").strip("*_ ").casefold()


def _report(ctx: Context, doc: Document, n: int, line: str, key: str, how: str) -> Diagnostic:
    col = len(line) - len(line.lstrip()) + 1
    span = Span(n, col, n, col + len(key))
    if how == "indented":
        return ctx.report(doc, span, f"the field line {key!r} is indented into the list entry above it, so it "
                                     f"renders inside that entry, run together with its text, while this file writes "
                                     f"the field on a line of its own after its other lists: put a blank line before "
                                     f"it and unindent it")
    where = "the block quote above it" if how == "quote" else "the list entry above it"
    return ctx.report(doc, span, f"the field line {key!r} continues {where} (no blank line between them), so it "
                                 f"renders inside it, run together with its text: put a blank line before it")


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


def _content_col(lines: list[str], item: Mark) -> int | None:
    """The column where a list entry's text starts (its continuation lines must reach it)."""
    assert item.map is not None
    m = _MARKER_RE.match(lines[item.map[0]].expandtabs(4))
    if m is None:
        return None
    space = len(m.group("space"))
    return len(m.group("indent")) + len(m.group("marker")) + (space if 1 <= space <= 4 else 1)
