"""BL101 table-cell-count."""

from __future__ import annotations

from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.parser.patterns import cell_pipes
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span


@rule("BL101", "table-cell-count", severity=Severity.ERROR, per_file=True)
def table_cell_count(ctx: Context) -> Iterator[Diagnostic]:
    """Table row has more or fewer cells than its header, or lacks its key.

    ## What it does
    Compares each row's cell count with the header's, and reports a row whose
    first cell (its ID or title) is empty where the other rows have one. (Rows
    with no content at all are BL107's.)

    ## Why is this bad?
    Cells past the header's count are dropped when the table renders, and a missing
    cell shifts nothing but leaves a field empty: either way data is silently lost.

    ## Example
    ```markdown
    | Item | Status |
    |------|--------|
    | Cache parser | Done | extra |
    ```

    ## Use instead
    ```markdown
    | Item | Status | Note |
    |------|--------|------|
    | Cache parser | Done | extra |
    ```

    ## Fix
    Not fixable: only you know which cell is missing or extra.
    """
    for doc in ctx.documents():
        for table in doc.tables:
            want = table.header_cells
            filled = [cells for _, cells in table.rows if any(_content(c) for c in cells)]
            keyed = sum(1 for cells in filled if cells and _content(cells[0]))
            for line_no, cells in table.rows:
                line = doc.source.lines[line_no - 1]
                span = Span(line_no, len(line) - len(line.lstrip()) + 1, line_no, len(line.rstrip()) + 1)
                if not any(_content(c) for c in cells):
                    continue  # an empty row: BL107
                if (cells and not _content(cells[0]) and len(filled) >= 3 and keyed * 5 >= (len(filled) - 1) * 4
                        and table.header[0].strip()):
                    yield ctx.report(doc, span, f"table row has no {table.header[0].strip()!r} where the other rows "
                                     "have one: fill it in")
                    continue
                got = cell_count(line)
                if got == want:
                    continue
                if got > want:
                    msg = (f"table row has {got} cells but its header has {want}: "
                           f"the last {got - want} cell(s) are dropped when the table renders")
                else:
                    msg = (f"table row has {got} cells but its header has {want}: "
                           f"add the missing {want - got} cell(s) (use an empty `|  |` for no value)")
                yield ctx.report(doc, span, msg)


def cell_count(line: str) -> int:
    """``len(split_cells(line))`` without building the cells: unescaped pipes, less the outer ones."""
    pipes = len(cell_pipes(line)) if "\\" in line else line.count("|")
    stripped = line.strip()
    if pipes and stripped.startswith("|"):
        pipes -= 1
    if pipes and len(stripped) > 1 and stripped.endswith("|") and not stripped.endswith("\\|"):
        pipes -= 1
    return pipes + 1


def content(cell: str) -> bool:
    """Whether a cell says anything (markup alone says nothing)."""
    return _content(cell)


def _content(cell: str) -> bool:
    return bool(cell.strip().strip("`*_~").strip())
