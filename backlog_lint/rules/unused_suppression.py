"""BL005 unused-suppression."""

from __future__ import annotations

from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._rule import Context, rule


@rule("BL005", "unused-suppression", severity=Severity.INFO, after_suppressions=True)
def unused_suppression(ctx: Context) -> Iterator[Diagnostic]:
    """Suppression comment that suppresses nothing.

    ## What it does
    Reports a `<!-- backlog-lint-disable ... -->`, `disable-next-line` or `disable-file`
    comment that hid no finding in this run.

    ## Why is this bad?
    Stale suppressions hide the next real problem at that place and confuse readers.

    ## Example
    ```markdown
    <!-- backlog-lint-disable-next-line BL004 -->
    - [ ] Nothing wrong here
    ```

    ## Use instead
    ```markdown
    - [ ] Nothing wrong here
    ```

    ## Fix
    Not fixable automatically: delete the comment.
    """
    for path, sup in ctx.suppressions.items():
        for s in sup.items:
            if not s.used:
                what = ", ".join(s.codes) if s.codes else "any rule"
                yield ctx.report(path, s.span, f"suppression comment for {what} suppresses nothing: remove it")
