"""BL101 table-cell-count."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

_PIPE_RE = re.compile(r"\\.|\|", re.DOTALL)  # an escaped character, or a pipe that splits cells


@rule("BL101", "table-cell-count", severity=Severity.ERROR)
def table_cell_count(ctx: Context) -> Iterator[Diagnostic]:
    """Table row has more or fewer cells than its header, is empty, or lacks its key.

    ## What it does
    Compares each row's cell count with the header's, and reports a row whose
    cells are all empty (a filler row left behind) and a row whose first cell
    (its ID or title) is empty where the other rows have one.

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
            keyed = sum(1 for _, cells in table.rows if cells and _content(cells[0]))
            for line_no, cells in table.rows:
                line = doc.source.lines[line_no - 1]
                span = Span(line_no, len(line) - len(line.lstrip()) + 1, line_no, len(line.rstrip()) + 1)
                if len(table.rows) > 1 and not any(_content(c) for c in cells):
                    yield ctx.report(doc, span, "table row is empty: delete it, or fill it in")
                    continue
                if (cells and not _content(cells[0]) and len(table.rows) >= 3 and keyed * 5 >= (len(table.rows) - 1) * 4
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
    pipes = sum(1 for m in _PIPE_RE.finditer(line) if m.group() == "|") if "\\" in line else line.count("|")
    stripped = line.strip()
    if pipes and stripped.startswith("|"):
        pipes -= 1
    if pipes and len(stripped) > 1 and stripped.endswith("|") and not stripped.endswith("\\|"):
        pipes -= 1
    return pipes + 1


def _content(cell: str) -> bool:
    return bool(cell.strip().strip("`*_~").strip())
