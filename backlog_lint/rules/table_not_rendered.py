"""BL108 table-not-rendered."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

_ROW_RE = re.compile(r"^\s{0,3}\|.*\|\s*$")
_DELIMITER_RE = re.compile(r"^\s{0,3}\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")


@rule("BL108", "table-not-rendered", severity=Severity.WARNING, per_file=True)
def table_not_rendered(ctx: Context) -> Iterator[Diagnostic]:
    """Rows meant as a table that render as text.

    ## What it does
    Finds two or more consecutive `| a | b |` lines that Markdown reads as a
    paragraph: the delimiter row (`|---|---|`) under the header is missing or
    malformed, or its cell count differs from the header's.

    ## Why is this bad?
    The rows show as one run-on line of pipes, and every item in them is
    invisible to readers and tools.

    ## Example
    ```markdown
    | Task | Status |
    | Cache parser | Done |
    | Docs | Todo |
    ```

    ## Use instead
    ```markdown
    | Task | Status |
    |------|--------|
    | Cache parser | Done |
    | Docs | Todo |
    ```

    ## Fix
    Not fixable: add the delimiter row under the header, with one `---` cell per column.
    """
    for doc in ctx.documents():
        if "|" not in doc.source.text:
            continue
        lines = doc.source.lines
        run: list[int] = []
        for n in [*sorted(doc.paragraph_lines), 0]:
            if n and _ROW_RE.match(lines[n - 1]) and lines[n - 1].count("|") >= 3 and (not run or n == run[-1] + 1):
                run.append(n)
                continue
            if len(run) >= 2:
                yield _report(ctx, doc, run)
            run = [n] if n and _ROW_RE.match(lines[n - 1]) and lines[n - 1].count("|") >= 3 else []


def _report(ctx: Context, doc, run: list[int]) -> Diagnostic:
    lines = doc.source.lines
    first = lines[run[0] - 1]
    second = lines[run[1] - 1]
    if _DELIMITER_RE.match(second):
        why = "its delimiter row has a different number of cells than the header"
    else:
        why = "the delimiter row (`|---|---|`) under the header is missing"
    span = Span(run[0], len(first) - len(first.lstrip()) + 1, run[-1], len(lines[run[-1] - 1].rstrip()) + 1)
    return ctx.report(doc, span, f"these {len(run)} table rows render as text: {why}")
