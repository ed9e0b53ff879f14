"""Status conflict between two summaries: index rows of two files that give one item two statuses.

A project often keeps the state of its phases or epics in more than one summary (a roadmap's
progress table and a state file's phase table); when one is updated and the other is not, the
item is "In Progress" in one and "Pending" in the other. Used by status-conflict (BL405).
"""

from __future__ import annotations

from collections.abc import Iterator

from backlog_lint.model import Document, IndexRow
from backlog_lint.workspace.index import WorkspaceIndex

# the states a summary row moves an item through; anything else (cancelled, prototype ...) is left alone
_STATES = ("todo", "in-progress", "blocked", "done")


def row_state(row: IndexRow) -> str | None:
    """The state a row gives in words (`In Progress (0/7 plans)`, `○ Pending`); a checkbox row says only
    done or not, never which open state, so it is left out."""
    raw = row.raw.get("status", "").strip()
    if not raw or raw.startswith("["):
        return None
    state = row.columns.get("status")
    return state if state in _STATES else None


def disagreeing_rows(index: WorkspaceIndex,
                     docs: set[str] | None) -> Iterator[tuple[Document, IndexRow, Document, IndexRow]]:
    """(doc, row, other doc, other row) for each item that two summaries in two files
    give different states, once per item: the row of the later file, against the first file's row.
    Only items whose rows are all in word states and at most one per file are compared (a file listing an
    item twice may keep a history). With ``docs``, only pairs touching one of those paths."""
    for rows in index.rows_of.values():
        if len(rows) < 2:
            continue
        by_doc: dict[str, list[tuple[Document, IndexRow, str]]] = {}
        for doc, row in rows:
            state = row_state(row)
            if state is None:
                continue
            by_doc.setdefault(doc.path, []).append((doc, row, state))
        if len(by_doc) < 2 or any(len(v) > 1 for v in by_doc.values()):
            continue
        firsts = [v[0] for _, v in sorted(by_doc.items())]
        first = firsts[0]
        for other in firsts[1:]:
            if other[2] == first[2]:
                continue
            if docs is not None and first[0].path not in docs and other[0].path not in docs:
                continue
            yield other[0], other[1], first[0], first[1]
            break
