"""BL205 duplicate-field."""

from __future__ import annotations

from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._rule import Context, rule
from backlog_lint.schema import DATE_FIELDS


@rule("BL205", "duplicate-field", severity=Severity.WARNING)
def duplicate_field(ctx: Context) -> Iterator[Diagnostic]:
    """Item sets the same field twice.

    ## What it does
    Reports a field whose canonical name already appeared in the same item
    (`Priority` and `Prio`, or `Status` twice).

    ## Why is this bad?
    Readers and tools pick one of the two values, and not always the same one.

    ## Example
    ```markdown
    ### TODO-1: Cache parser output
    - **Status:** Done
    - **State:** In progress
    ```

    ## Use instead
    ```markdown
    ### TODO-1: Cache parser output
    - **Status:** In progress
    ```

    ## Fix
    Not fixable: keep the right value and delete the other line.
    """
    interesting = {"status", "priority", "effort", "owner", "labels", "dependencies", *DATE_FIELDS}
    for doc in ctx.documents():
        for item in doc.items:
            seen = {}
            for f in item.fields:
                if f.key not in interesting or f.style == "table":
                    continue
                first = seen.get(f.key)
                if first is None:
                    seen[f.key] = f
                    continue
                yield ctx.report(doc, f.key_span,
                                 f"field {f.key_raw!r} repeats {first.key_raw!r} from line {first.span.line} "
                                 f"in item {item.label!r}: keep one",
                                 related=((doc.path, first.key_span),))
