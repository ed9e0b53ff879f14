"""BL007 invalid-suppression."""

from __future__ import annotations

from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._rule import Context, rule


@rule("BL007", "invalid-suppression", severity=Severity.WARNING, after_suppressions=True)
def invalid_suppression(ctx: Context) -> Iterator[Diagnostic]:
    """Suppression comment that is not a valid directive, so it suppresses nothing.

    ## What it does
    Reports an HTML comment that starts with `backlog-lint` but is not one of
    `backlog-lint-disable`, `backlog-lint-enable`, `backlog-lint-disable-next-line` or
    `backlog-lint-disable-file`, or that names something other than a rule code or prefix
    in capitals (`BL201`, `BL2`). Such a comment suppresses nothing at all: a typo never
    hides more than was meant. Other HTML comments are left alone.

    ## Why is this bad?
    The comment was written to hide a finding; if its spelling is off, the finding is
    still reported and the comment misleads the next reader. Worse, a lenient reading of
    typos would hide findings nobody meant to hide (a missing hyphen turning a one-line
    suppression into a region to the end of the file).

    ## Example
    ```markdown
    <!-- backlog-lint-disable-nextline bl104 -->
    ## Later
    ```

    ## Use instead
    ```markdown
    <!-- backlog-lint-disable-next-line BL104 -->
    ## Later
    ```

    ## Fix
    Not fixable automatically: correct the directive (the message says how) or delete it.
    """
    for path, sup in ctx.suppressions.items():
        for bad in sup.invalid:
            yield ctx.report(path, bad.span, bad.message)
