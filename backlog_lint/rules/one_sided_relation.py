"""BL307 one-sided-relation."""

from __future__ import annotations

from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.model import Document, Item
from backlog_lint.rules._rule import Context, rule
from backlog_lint.workspace.index import (
    WorkspaceIndex,
    checked_keys,
    dependency_refs,
    neighbours,
    whole_run,
    workspace_index,
)
from backlog_lint.workspace.naming import id_label

_OTHER_SIDE = {"unlocks": "dependencies", "dependencies": "unlocks"}
_FIELD_NAME = {"unlocks": "Unlocks", "dependencies": "Dependencies"}


@rule("BL307", "one-sided-relation", severity=Severity.WARNING)
def one_sided_relation(ctx: Context) -> Iterator[Diagnostic]:
    """Unlocks/Dependencies written on one side only.

    ## What it does
    When item A's Unlocks (or Blocks) field names item B, and B has a
    Dependencies field, that field should name A; likewise, when A depends on B
    and B has an Unlocks field, it should name A. Items without the other field
    are not checked: many backlogs write the relation on one side only.

    ## Why is this bad?
    The two fields disagree about the order of work, and whoever reads only B
    starts it before A is done.

    ## Example
    ```markdown
    ### TODO-1: Cache parser output
    - **Unlocks:** TODO-2

    ### TODO-2: Add a --watch flag
    - **Dependencies:** None
    ```

    ## Use instead
    ```markdown
    ### TODO-1: Cache parser output
    - **Unlocks:** TODO-2

    ### TODO-2: Add a --watch flag
    - **Dependencies:** TODO-1
    ```

    ## Fix
    Not fixable: add the missing ID to the other item's field, or remove the stale one.
    """
    index = workspace_index(ctx)
    # kept when either item's file is checked: an item of a checked file, or one with an edge to it
    wanted = None if whole_run(ctx) else neighbours(index, checked_keys(ctx))
    for doc in index.docs:
        for item in doc.items:
            if wanted is not None and id(item) not in wanted:
                continue
            for relation, target, span in dependency_refs(item):
                hit = index.resolve(target, doc)
                if hit is None or hit[1] is item:
                    continue
                odoc, other = hit
                other_side = _OTHER_SIDE[relation]
                field = other.get(other_side)
                if field is None or _names(index, odoc, other, other_side, item):
                    continue
                this_field, that_field = _FIELD_NAME[relation], _FIELD_NAME[other_side]
                yield ctx.report(doc, span,
                                 f"{id_label(item)} lists {target!r} under {this_field}, but {id_label(other)}'s "
                                 f"{that_field} ({field.value_raw.strip() or 'empty'!r}, {odoc.path}:"
                                 f"{field.span.line}) does not name {id_label(item)}: add it there or remove it here",
                                 related=((odoc.path, field.value_span),))


def _names(index: WorkspaceIndex, doc: Document, item: Item, relation: str, wanted: Item) -> bool:
    for rel, target, _span in dependency_refs(item):
        if rel != relation:
            continue
        hit = index.resolve(target, doc)
        if hit is not None and hit[1] is wanted:
            return True
    return False
