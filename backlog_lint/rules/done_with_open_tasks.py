"""BL401 done-with-open-tasks."""

from __future__ import annotations

from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.ids import normalise_id
from backlog_lint.model import Document, IndexRow, Task
from backlog_lint.rules._rule import Context, rule
from backlog_lint.workspace.naming import describe_signal, item_name, share
from backlog_lint.workspace.status import (
    document_status,
    folder_name,
    is_completed,
    live_tasks,
    open_tasks,
    qualified_done,
    task_live,
    task_open,
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
    `[ ]` boxes, nested ones included. A file that is not one item but opens with
    a `## Status` section of field lines (`- **Phase:** Complete`, a spec's tasks
    file) is reported when that status is done and any of its boxes is open.
    Cancelled items, and boxes marked `[-]` or `[~]` (dropped, unless the file's
    legend says `` `[~]` partial ``), are not counted, nor the default checks a tool
    adds to every task (Backlog.md's `<!-- DOD:BEGIN -->` block); a status that says what is
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
        if doc.fields:
            yield from _done_document(ctx, doc)
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
                             f"{'is' if one else 'are'} {_not_done(pending)} (first: {first.text[:60]!r}, line "
                             f"{first.span.line}): check {'it' if one else 'them'} off or reopen the item",
                             related=((doc.path, first.marker_span),))


def _done_document(ctx: Context, doc: Document) -> Iterator[Diagnostic]:
    """A file that is not one item but says it is done (`## Status` / `- **Phase:** Complete` at the top of a
    spec's tasks file) while checklist entries of the file are unchecked."""
    found = document_status(doc, ctx.config)
    if found is None:
        return
    field, status = found
    if not is_completed(status, ctx.config) or qualified_done(field.value_raw):
        return
    entries = _file_entries(ctx, doc)
    pending = [t for t in entries if task_open(t)]
    live = [t for t in entries if task_live(t)]
    if not pending:
        return
    first = pending[0]
    one = len(pending) == 1
    yield ctx.report(doc, field.value_span,
                     f"the file says it is done (its {field.key_raw} field says {field.value_raw.strip()!r}) but "
                     f"{share(len(pending), len(live), 'task', 'tasks')} "
                     f"{'is' if one else 'are'} {_not_done(pending)} (first: {first.text[:60]!r}, "
                     f"line {first.span.line}): "
                     f"check {'it' if one else 'them'} off or change the {field.key_raw} field",
                     related=((doc.path, first.marker_span),))


def _file_entries(ctx: Context, doc: Document) -> list[Task]:
    """Every checklist entry of the file, in order, but those of cancelled items."""
    out: list[Task] = []
    for item in doc.items:
        if ctx.config.vocab.status_of(item.status or "") == "cancelled":
            continue
        if item.kind == "checklist":
            box = next((s for s in item.signals if s.source == "checkbox"), None)
            if box is not None:
                out.append(Task(item.title, box.value == "done", box.raw[1:-1], item.title_span, box.span, 0))
        out.extend(item.all_tasks())
    for t in doc.loose_tasks:
        out.extend(t.walk())
    return sorted(out, key=lambda t: t.span.line)


def _done_rows(ctx: Context, doc: Document) -> dict[str, IndexRow]:
    """The rows of this file's own index (a summary checklist, a progress table) that mark an item done."""
    out: dict[str, IndexRow] = {}
    for row in sorted(doc.index, key=lambda r: r.ref.span.line):
        if is_completed(row.columns.get("status"), ctx.config) and not qualified_done(row.raw.get("status", "")):
            out.setdefault(normalise_id(row.ref.target), row)
    return out


def _not_done(pending: list[Task]) -> str:
    """How the open entries are open: empty boxes, or (some) markers such as `[~]` a legend calls partial."""
    return "unchecked" if all(not t.marker.strip() for t in pending) else "not done"
