"""BL204 field-alias."""

from __future__ import annotations

from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Fix, Severity
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span
from backlog_lint.text import normalise_key

DISPLAY = {
    "status": "Status", "priority": "Priority", "dependencies": "Dependencies", "unlocks": "Unlocks",
    "related": "Related", "labels": "Labels", "effort": "Effort", "owner": "Owner", "created": "Created",
    "updated": "Updated", "due": "Due", "completed": "Completed",
}
RENAMEABLE_STYLES = ("bullet", "paragraph", "plain")


@rule("BL204", "field-alias", fixable=True, severity=Severity.INFO, preview=True, per_file=True)
def field_alias(ctx: Context) -> Iterator[Diagnostic]:
    """Field is written under an alias of its canonical name.

    ## What it does
    Reports field keys such as `Prio`, `State`, `Tags` or `Depends on` that the
    alias table maps to a canonical field (`Priority`, `Status`, `Labels`,
    `Dependencies`). Front-matter keys are left alone: task tools define those.

    ## Why is this bad?
    People and tools search for one spelling; five spellings of "Priority" hide
    items from every filter.

    ## Example
    ```markdown
    ### TODO-7: Cache parser output
    - **Prio:** High
    ```

    ## Use instead
    ```markdown
    ### TODO-7: Cache parser output
    - **Priority:** High
    ```

    ## Fix
    Safe: renames the key; the value is untouched.
    """
    normalised: dict[str, str] = {}  # field names repeat: normalise each spelling once
    for doc in ctx.documents():
        for item in doc.items:
            for f in item.fields:
                if f.style not in RENAMEABLE_STYLES or f.key not in DISPLAY:
                    continue
                norm = normalised.get(f.key_raw)
                if norm is None:
                    norm = normalised[f.key_raw] = normalise_key(f.key_raw)
                if norm == f.key:
                    continue
                canonical = DISPLAY[f.key]
                if f.key_raw.islower():
                    canonical = canonical.lower()
                line = doc.source.lines[f.key_span.line - 1]
                col = line.find(f.key_raw, f.key_span.col - 1)
                if col < 0:
                    continue
                span = Span(f.key_span.line, col + 1, f.key_span.line, col + len(f.key_raw) + 1)
                yield ctx.report(doc, span, f"field {f.key_raw!r} is an alias: write it as {canonical!r}",
                                 fix=Fix.replace(span, canonical, f"Rename to {canonical!r}"))
