"""BL401 done-with-open-tasks."""

from __future__ import annotations

from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.ids import normalise_id
from backlog_lint.model import Document, IndexRow
from backlog_lint.rules._rule import Context, rule
from backlog_lint.workspace.naming import describe_signal, item_name, share
from backlog_lint.workspace.status import (
    folder_name,
    is_completed,
    live_tasks,
    open_tasks,
    qualified_done,
    tool_default_lines,
)


@rule("BL401", "done-with-open-tasks", severity=Severity.WARNING, per_file=True)
def done_with_open_tasks(ctx: Context) -> Iterator[Diagnostic]:
    """Item is done but some of its tasks are unchecked.

    ## What it does
    Reports an item marked done (Status field, ✅ or `DONE` on its heading, a
    struck-through heading, a section such as `## Done`, a row of the file's
    summary checklist or progress table, or a file under a
    `completed/` or `done/` folder when nothing else gives its
    status) whose checklist still has unchecked
    `[ ]` boxes, nested ones included. Cancelled items, and boxes marked `[-]` or
    `[~]` (dropped), are not counted, nor the default checks a tool adds to every
    task (Backlog.md's `<!-- DOD:BEGIN -->` block); a status that says what is
    left ("complete (browser QA outstanding)") is not reported. A checked checklist entry with unchecked
    sub-entries is reported by `checklist-parent-mismatch`.

    ## Why is this bad?
    Either the item was closed with work left over, or the checklist was never
    updated; readers cannot tell which.

    ## Example
    ```markdown
    ### TODO-1: Cache parser output ✅
    - [x] Hash the input
    - [ ] Invalidate on config change
    ```

    ## Use instead
    ```markdown
    ### TODO-1: Cache parser output ✅
    - [x] Hash the input
    - [x] Invalidate on config change
    ```

    ## Fix
    Not fixable: check the boxes that are done, or reopen the item and move the rest to a new one.
    """
    for doc in ctx.documents():
        rows = _done_rows(ctx, doc)
        for item in doc.items:
            if item.kind == "checklist" or not item.tasks:
                continue
            if item.signals:
                sig = item.signals[0]
                if not is_completed(sig.value, ctx.config) or qualified_done(sig.raw):
                    continue
                why = describe_signal(sig.source, sig.raw)
            elif item.inherited.get("status"):
                if not is_completed(item.inherited["status"], ctx.config):
                    continue
                why = describe_signal("section", item.section.rsplit(" > ", 1)[-1])
            elif item.id in rows:
                row = rows[item.id]
                raw = row.raw.get("status", "").strip()
                why = (f"the summary checklist checks it on line {row.ref.span.line}" if raw.startswith("[")
                       else f"the row on line {row.ref.span.line} says {raw!r}")
            else:
                folder = folder_name(doc)
                if folder is None:
                    continue
                why = describe_signal("folder", folder)
            defaults = tool_default_lines(doc) if doc.html_comments else frozenset()
            pending = [t for t in open_tasks(item) if t.span.line not in defaults]
            if not pending:
                continue
            total = len(live_tasks(item))
            first = pending[0]
            one = len(pending) == 1
            yield ctx.report(doc, item.title_span,
                             f"{item_name(item)} is done ({why}) but {share(len(pending), total, 'task', 'tasks')} "
                             f"{'is' if one else 'are'} unchecked (first: {first.text[:60]!r}, line "
                             f"{first.span.line}): check {'it' if one else 'them'} off or reopen the item",
                             related=((doc.path, first.marker_span),))


def _done_rows(ctx: Context, doc: Document) -> dict[str, IndexRow]:
    """The rows of this file's own index (a summary checklist, a progress table) that mark an item done."""
    out: dict[str, IndexRow] = {}
    for row in sorted(doc.index, key=lambda r: r.ref.span.line):
        if is_completed(row.columns.get("status"), ctx.config) and not qualified_done(row.raw.get("status", "")):
            out.setdefault(normalise_id(row.ref.target), row)
    return out
