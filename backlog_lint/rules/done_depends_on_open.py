"""BL404 done-depends-on-open."""

from __future__ import annotations

from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._rule import Context, rule
from backlog_lint.workspace.index import workspace_index
from backlog_lint.workspace.naming import id_label
from backlog_lint.workspace.status import is_completed, is_open
from backlog_lint.workspace.titles import repaired


@rule("BL404", "done-depends-on-open", severity=Severity.WARNING)
def done_depends_on_open(ctx: Context) -> Iterator[Diagnostic]:
    """Done item depends on an item that is still open.

    ## What it does
    Follows each Dependencies reference (and Unlocks/Blocks references read the
    other way round) of an item that is done, and reports a dependency whose own
    status is open (To Do, In Progress, Blocked, ...). An item's status is its own
    field or marker, else what an index row says, else its `completed/`-style
    folder; items with no status at all are not judged.

    ## Why is this bad?
    If the prerequisite is really open, the done item cannot be done; if it is
    done, its status is stale and misleads everyone planning around it.

    ## Example
    ```markdown
    ### TODO-1: Cache parser output
    - **Status:** In Progress

    ### TODO-2: Add a --watch flag
    - **Status:** Done
    - **Dependencies:** TODO-1
    ```

    ## Use instead
    ```markdown
    ### TODO-1: Cache parser output
    - **Status:** Done

    ### TODO-2: Add a --watch flag
    - **Status:** Done
    - **Dependencies:** TODO-1
    ```

    ## Fix
    Not fixable: close the dependency, or reopen the dependent item.
    """
    index = workspace_index(ctx)
    for edge in index.edges:
        item, dep = index.items[edge.dst], index.items[edge.src]
        idoc, ddoc = index.doc_of[edge.dst], index.doc_of[edge.src]
        if edge.doc.path not in ctx.checked and idoc.path not in ctx.checked and ddoc.path not in ctx.checked:
            continue
        mine = index.effective_status(idoc, item)
        theirs = index.effective_status(ddoc, dep)
        if not is_completed(mine, ctx.config) or not is_open(theirs, ctx.config):
            continue
        dep_status = repaired(dep.signals[0].raw.strip()) if dep.signals else theirs
        yield ctx.report(edge.doc, edge.span,
                         f"{id_label(item)} is done but depends on {id_label(dep)}, which is still open "
                         f"(status {dep_status!r}, {ddoc.path}:{dep.title_span.line}): close {id_label(dep)} or "
                         f"reopen {id_label(item)}",
                         related=((ddoc.path, dep.title_span),))
