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
    """Table row has more or fewer cells than its header.

    ## What it does
    Compares each row's cell count with the header's.

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
            for line_no, _cells in table.rows:
                line = doc.source.lines[line_no - 1]
                got = cell_count(line)
                if got == want:
                    continue
                span = Span(line_no, len(line) - len(line.lstrip()) + 1, line_no, len(line.rstrip()) + 1)
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
