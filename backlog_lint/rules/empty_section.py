"""BL104 empty-section."""

from __future__ import annotations

from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._rule import Context, rule


@rule("BL104", "empty-section", severity=Severity.INFO, preview=True, per_file=True)
def empty_section(ctx: Context) -> Iterator[Diagnostic]:
    """Section heading with nothing under it.

    ## What it does
    Reports a heading followed directly by another heading of the same or a higher
    level (or the end of the file), with no text, list, table or sub-section.

    ## Why is this bad?
    An empty section is usually a placeholder that was never filled or a lane whose
    items were moved; readers cannot tell which. Empty kanban lanes are normal, so
    this is informational.

    ## Example
    ```markdown
    ## Medium Term

    ## Long Term
    - Federated search
    ```

    ## Use instead
    ```markdown
    ## Medium Term
    _Nothing planned yet._

    ## Long Term
    - Federated search
    ```

    ## Fix
    Not fixable: fill the section or delete the heading.
    """
    for doc in ctx.documents():
        lines = doc.source.lines
        stack = [doc.root]  # the sections in document order (doc.sections(), without nested generators)
        while stack:
            section = stack.pop()
            if section.children:
                stack.extend(reversed(section.children))
                continue
            if section.heading is None:
                continue
            start = section.heading.span.end_line + 1
            end = min(section.span.end_line, len(lines))
            for n in range(start, end + 1):
                if lines[n - 1].strip():
                    break
            else:
                yield ctx.report(doc, section.heading.span, f"section {section.title!r} is empty")
