"""BL402 all-tasks-done-item-open."""

from __future__ import annotations

from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._rule import Context, rule
from backlog_lint.workspace.naming import describe_signal, item_name
from backlog_lint.workspace.status import is_open, live_tasks

# signals that are an explicit statement of the item's state (a checkbox is BL403's business)
_EXPLICIT = frozenset({"field", "emoji", "heading", "prefix", "lane"})


@rule("BL402", "all-tasks-done-item-open", severity=Severity.INFO, per_file=True)
def all_tasks_done_item_open(ctx: Context) -> Iterator[Diagnostic]:
    """Every task is checked but the item is still open.

    ## What it does
    Reports an item whose status says it is open (To Do, In Progress, ...) while
    every box of its checklist is checked. Items without an explicit status are
    not reported: a checklist alone does not say the item is finished.

    ## Why is this bad?
    Finished work left open keeps showing up in "what's next" lists, and the
    real remaining work is hidden among it.

    ## Example
    ```markdown
    ### TODO-1: Cache parser output
    - **Status:** In Progress
    - [x] Hash the input
    - [x] Invalidate on config change
    ```

    ## Use instead
    ```markdown
    ### TODO-1: Cache parser output
    - **Status:** Done
    - [x] Hash the input
    - [x] Invalidate on config change
    ```

    ## Fix
    Not fixable: mark the item done, or add the tasks that are still missing.
    """
    for doc in ctx.documents():
        for item in doc.items:
            if item.kind == "checklist" or not item.tasks:
                continue
            sig = next((s for s in item.signals if s.source in _EXPLICIT), None)
            if sig is None or sig is not item.signals[0] or not is_open(sig.value, ctx.config):
                continue
            tasks = live_tasks(item)
            if not tasks or not all(t.checked for t in tasks):
                continue
            yield ctx.report(doc, sig.span,
                             f"all {len(tasks)} tasks of {item_name(item)} are checked but "
                             f"{describe_signal(sig.source, sig.raw)}: "
                             "mark it done, or add the work that is still missing",
                             related=((doc.path, item.title_span),))
