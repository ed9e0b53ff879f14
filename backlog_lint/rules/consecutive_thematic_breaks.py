"""BL102 consecutive-thematic-breaks."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from backlog_lint.diagnostics import Diagnostic, Fix, Severity
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span


@rule("BL102", "consecutive-thematic-breaks", fixable=True, severity=Severity.WARNING, per_file=True)
def consecutive_thematic_breaks(ctx: Context) -> Iterator[Diagnostic]:
    """Thematic break (`---`) repeated with nothing between.

    ## What it does
    Finds a horizontal rule that follows another one with only blank lines between.

    ## Why is this bad?
    Two rules render as a double line that separates nothing; it is usually left over
    from a deleted section.

    ## Example
    ```markdown
    ## Done

    ---

    ---

    ## Next
    ```

    ## Use instead
    ```markdown
    ## Done

    ---

    ## Next
    ```

    ## Fix
    Safe: deletes the repeated break and the blank lines before it.
    """
    for doc in ctx.documents():
        breaks = doc.thematic_breaks
        lines = doc.source.lines
        for prev, cur in pairwise(breaks):
            if all(not lines[n - 1].strip() for n in range(prev + 1, cur)):
                span = Span(cur, 1, cur, len(lines[cur - 1]) + 1)
                edit_span = Span(prev, len(lines[prev - 1]) + 1, cur, len(lines[cur - 1]) + 1)
                yield ctx.report(doc, span, f"thematic break repeats the one on line {prev} with nothing between",
                                 fix=Fix.replace(edit_span, "", "Remove the repeated thematic break"))
