"""BL205 duplicate-field."""

from __future__ import annotations

from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.model import Document, Field
from backlog_lint.rules._rule import Context, rule
from backlog_lint.schema import DATE_FIELDS
from backlog_lint.text import normalise_key


@rule("BL205", "duplicate-field", severity=Severity.WARNING, per_file=True)
def duplicate_field(ctx: Context) -> Iterator[Diagnostic]:
    """Item sets the same field twice.

    ## What it does
    Reports a field whose canonical name already appeared in the same block of
    field lines of an item (`Priority` and `Prio`, or `Status` twice). Fields of
    different blocks (each option of an item with its own `Effort`) are not
    compared, nor front-matter keys of different names (a tool's `owner` and
    `assignee` are two roles).

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
            seen: dict[str, Field] = {}
            field_lines = {n for f in item.fields for n in range(f.span.line, f.span.end_line + 1)}
            for f in item.fields:
                if f.key not in interesting or f.style == "table":
                    continue
                # front matter is a tool's: its `owner` and `assignee` are two roles, not one field twice
                name = normalise_key(f.key_raw) if f.style == "frontmatter" else f.key
                first = seen.get(name)
                if first is None or not _same_block(doc, first, f, field_lines):
                    seen[name] = f
                    continue
                yield ctx.report(doc, f.key_span,
                                 f"field {f.key_raw!r} repeats {first.key_raw!r} from line {first.span.line} "
                                 f"in item {item.label!r}: keep one",
                                 related=((doc.path, first.key_span),))


def _same_block(doc: Document, first: Field, f: Field, field_lines: set[int]) -> bool:
    """Whether only blank lines and field lines lie between two fields: one field block, not the
    fields of two options or sub-sections of the item (each "Option B" carrying its own Effort)."""
    if first.style != f.style:
        return False
    for n in range(first.span.end_line + 1, f.span.line):
        if n not in field_lines and doc.source.line(n).strip():
            return False
    return True
