"""BL107 empty-table-row."""

from __future__ import annotations

from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._rule import Context, rule
from backlog_lint.rules.table_cell_count import content
from backlog_lint.source import Span


@rule("BL107", "empty-table-row", severity=Severity.INFO, per_file=True)
def empty_table_row(ctx: Context) -> Iterator[Diagnostic]:
    """Table row with no content in any cell.

    ## What it does
    Finds a row whose cells are all empty (`|  |  |  |`): a filler row left
    from a template, or an item that was deleted without its row.

    ## Why is this bad?
    It renders as an empty band in the table, and counts that tools make of
    the table's rows are one off.

    ## Example
    ```markdown
    | Task | Status |
    |------|--------|
    | Cache parser | Done |
    |  |  |
    ```

    ## Use instead
    ```markdown
    | Task | Status |
    |------|--------|
    | Cache parser | Done |
    ```

    ## Fix
    Not fixable: delete the row, or fill it in.
    """
    for doc in ctx.documents():
        for table in doc.tables:
            if len(table.rows) < 2:
                continue
            for line_no, cells in table.rows:
                if any(content(c) for c in cells):
                    continue
                line = doc.source.lines[line_no - 1]
                span = Span(line_no, len(line) - len(line.lstrip()) + 1, line_no, len(line.rstrip()) + 1)
                yield ctx.report(doc, span, "table row is empty: delete it, or fill it in")
