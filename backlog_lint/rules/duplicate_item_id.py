"""BL301 duplicate-item-id."""

from __future__ import annotations

from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.model import Document, Item
from backlog_lint.rules._rule import Context, rule
from backlog_lint.workspace.index import whole_run, workspace_index
from backlog_lint.workspace.naming import id_label, is_scoped


def _where(doc: Document, item: Item) -> str:
    return f"{doc.path}:{(item.id_span or item.title_span).line}"


def _title(item: Item) -> str:
    title = item.title.strip()
    return repr(title if len(title) <= 60 else title[:59].rstrip() + "…")


_SUMMARY_AND_DETAILS = {"table-row": "heading", "heading": "table-row"}


def _details_of_summary(doc: Document, item: Item, seen: set[tuple[int, str]]) -> bool:
    """A table row summarising an item that a heading of the same file details (ID | Status | Title table),
    or that heading: ``seen`` holds the (file, kind) pairs of the group so far (one look-up, not a scan)."""
    other = _SUMMARY_AND_DETAILS.get(item.kind)
    return other is not None and (id(doc), other) in seen


@rule("BL301", "duplicate-item-id", severity=Severity.ERROR)
def duplicate_item_id(ctx: Context) -> Iterator[Diagnostic]:
    """Two items have the same ID.

    ## What it does
    Reports an item whose ID (compared after folding case, Unicode dashes and
    spaces: `task-037` = `TASK-037`) is already used by another item, in the same
    file or in any other backlog file of the project. The later definition is
    reported and points at the first; when only the first file is checked (a
    pre-commit run), the first definition is reported too.

    IDs that number things inside one document (`Phase 1`, `Step 2`, `B1`, `T001`)
    only clash with the same ID in the same section of the same file. A table row
    that summarises an item detailed under a heading of the same file is not a
    second definition.

    ## Why is this bad?
    References, dependencies and index rows name items by ID; with two items
    behind one ID they silently point at whichever a reader or tool finds first.

    ## Example
    ```markdown
    ### TODO-1: Cache parser output
    - **Status:** Done

    ### TODO-1: Add a --watch flag
    - **Status:** To Do
    ```

    ## Use instead
    ```markdown
    ### TODO-1: Cache parser output
    - **Status:** Done

    ### TODO-2: Add a --watch flag
    - **Status:** To Do
    ```

    ## Fix
    Not fixable: give one of the items the next free ID and update references to it.
    """
    index = workspace_index(ctx)
    checked = ctx.checked
    whole = whole_run(ctx)
    for defs in index.by_id.values():
        if len(defs) < 2:
            continue
        if not whole and not any(doc.path in checked for doc, _ in defs):
            continue  # every finding of the group is on, and points at, files that are not checked
        groups: dict[tuple[str, str] | None, list[tuple[Document, Item]]] = {}
        kinds: dict[tuple[str, str] | None, set[tuple[int, str]]] = {}  # (id(doc), kind) in each group
        for doc, item in defs:
            key = (doc.path, item.section) if is_scoped(item) else None
            group = groups.setdefault(key, [])
            seen = kinds.setdefault(key, set())
            if _details_of_summary(doc, item, seen):
                continue
            group.append((doc, item))
            seen.add((id(doc), item.kind))
        for group in groups.values():
            if len(group) < 2:
                continue
            first_doc, first = group[0]
            first_span = first.id_span or first.title_span
            first_reported = False
            for doc, item in group[1:]:
                span = item.id_span or item.title_span
                yield ctx.report(doc, span,
                                 f"item ID {id_label(item)!r} is already used by {_title(first)} at "
                                 f"{_where(first_doc, first)}: give this item a new ID",
                                 related=((first_doc.path, first_span),))
                if not first_reported and first_doc.path in checked and doc.path not in checked:
                    first_reported = True
                    yield ctx.report(first_doc, first_span,
                                     f"item ID {id_label(first)!r} is used again by {_title(item)} at "
                                     f"{_where(doc, item)}: give one of them a new ID",
                                     related=((doc.path, span),))
