"""Two summaries that give one item two states: index rows of two files that disagree.

A project often keeps the state of its phases or epics in more than one summary (a roadmap's
progress table and a state file's phase table); when one is updated and the other is not, the
item is "In Progress" in one and "Pending" in the other. A done/open disagreement is reported by
status-conflict (BL405), one between two open states (todo / in progress / blocked) by
index-mismatch (BL308), as each does for an index row against the item's own status.
"""

from __future__ import annotations

from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic
from backlog_lint.model import Document, IndexRow
from backlog_lint.rules._rule import Context
from backlog_lint.workspace.index import WorkspaceIndex, whole_run
from backlog_lint.workspace.status import is_completed

# the states a summary row moves an item through; anything else (cancelled, prototype ...) is left alone
_STATES = ("todo", "in-progress", "blocked", "done")

_Row = tuple[Document, IndexRow, str]


def row_state(row: IndexRow) -> str | None:
    """The state a row gives in words (`In Progress (0/7 plans)`, `○ Pending`); a checkbox row says only
    done or not, never which open state, so it is left out."""
    raw = row.raw.get("status", "").strip()
    if not raw or raw.startswith("["):
        return None
    state = row.columns.get("status")
    return state if state in _STATES else None


def disagreeing_rows(index: WorkspaceIndex, docs: set[str] | None) -> Iterator[tuple[_Row, _Row]]:
    """(row, other row), each with its document and state, for each item that summaries in two files give
    different states, once per item: the row of the later file against the first file's row. Only items
    that each file lists at most once in words are compared (a file listing an item twice may keep a
    history). With ``docs``, only pairs touching one of those paths."""
    for rows in index.rows_of.values():
        if len(rows) < 2:
            continue
        by_doc: dict[str, list[_Row]] = {}
        for doc, row in rows:
            state = row_state(row)
            if state is not None:
                by_doc.setdefault(doc.path, []).append((doc, row, state))
        if len(by_doc) < 2 or any(len(v) > 1 for v in by_doc.values()):
            continue
        first, *others = (v[0] for _, v in sorted(by_doc.items()))
        for other in others:
            if other[2] == first[2]:
                continue
            if docs is not None and first[0].path not in docs and other[0].path not in docs:
                continue
            yield other, first
            break


def summary_conflicts(ctx: Context, index: WorkspaceIndex, *, done_against_open: bool) -> Iterator[Diagnostic]:
    """The disagreements between two files' summaries: done against open (``done_against_open``), or
    between two open states."""
    docs = None if whole_run(ctx) else set(ctx.checked)
    for (doc, row, state), (odoc, orow, ostate) in disagreeing_rows(index, docs):
        if (is_completed(state, ctx.config) != is_completed(ostate, ctx.config)) != done_against_open:
            continue
        span = row.spans.get("status", row.ref.span)
        ospan = orow.spans.get("status", orow.ref.span)
        yield ctx.report(doc, span,
                         f"the row for {row.ref.target} says {row.raw['status'].strip()!r} but the row in "
                         f"{odoc.path} says {orow.raw['status'].strip()!r} (line {ospan.line}): "
                         "update the summary that is behind",
                         related=((odoc.path, ospan),))
