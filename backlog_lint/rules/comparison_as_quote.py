"""BL120 comparison-as-quote."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._markup import tokens
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

# "- >90% coverage", ">=3 retries": a '>' glued to a number or '=' is "more than", not a quote marker
_COMPARISON_RE = re.compile(r"^(?P<lead>[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?)?)>(?P<rest>=?\d|=)")


@rule("BL120", "comparison-as-quote", severity=Severity.WARNING, per_file=True)
def comparison_as_quote(ctx: Context) -> Iterator[Diagnostic]:
    """A line starting with a comparison (`>90%`) that Markdown turns into a block quote.

    ## What it does
    Finds a line, or a list entry, whose text starts with `>` glued to a
    number or `=` (`- >90% test coverage`, `>=3 retries`).

    ## Why is this bad?
    A `>` at the start of a line opens a block quote: the "more than" sign
    disappears and the rest renders as a quote ("90% test coverage").

    ## Example
    ```markdown
    - All imports resolved
    - >90% test coverage
    ```

    ## Use instead
    ```markdown
    - All imports resolved
    - \\>90% test coverage
    ```

    ## Fix
    Not fixable: escape the sign (`\\>90%`), or write "more than 90%".
    """
    for doc in ctx.documents():
        if ">" not in doc.source.text:
            continue
        lines = doc.source.lines
        for tok in tokens(ctx, doc):
            if tok.type != "blockquote_open" or tok.map is None:
                continue
            n = tok.map[0] + 1
            m = _COMPARISON_RE.match(lines[n - 1])
            if m is None:
                continue
            col = len(m.group("lead")) + 1
            shown = lines[n - 1][col - 1:].split()[0]
            yield ctx.report(doc, Span(n, col, n, col + len(shown)),
                             f"{shown!r} starts with '>', which opens a block quote: the sign is dropped and the "
                             f"text renders as a quote; write '\\{shown}'")
