"""BL310 removed-open-item."""

from __future__ import annotations

from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._rule import Context, rule


@rule("BL310", "removed-open-item", severity=Severity.WARNING)
def removed_open_item(ctx: Context) -> Iterator[Diagnostic]:
    """Open item deleted by a change instead of being closed.

    ## What it does
    In pull-request mode (`check --base REF`) only: reports an item that had an open status
    (todo, in progress, blocked ...) where the branch left `REF` and that the change deleted
    from its file, or deleted with its file, instead of marking it done or cancelled. An item
    that moved to another file, or whose ID is still defined somewhere, is not reported; a
    plain run never reports this rule.

    ## Why is this bad?
    A deleted open item takes the record of the decision with it: was it done, dropped, or
    lost in a careless edit? A closed item says which, and its references stay valid.

    ## Example
    ```markdown
    ### TODO-1: Cache parser output
    - **Status:** Done
    ```
    (in the change: `### TODO-2: Add a --watch flag` with `- **Status:** Todo` deleted)

    ## Use instead
    ```markdown
    ### TODO-1: Cache parser output
    - **Status:** Done

    ### TODO-2: Add a --watch flag
    - **Status:** Cancelled
    ```

    ## Fix
    Not fixable: restore the item and close it, with the status that says why.
    """
    return iter(())  # computed by prmode.judge, which compares the change with its base
