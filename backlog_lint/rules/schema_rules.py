"""BL201-BL203: item schema validation (jsonschema), one finding per violation."""

from __future__ import annotations

from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._rule import Context, rule
from backlog_lint.schema import validate


def _errors(ctx: Context, kind: str) -> Iterator[Diagnostic]:
    for err in validate(ctx.cache, list(ctx.documents()), ctx.config):
        if err.kind == kind:
            yield ctx.report(err.doc, err.span, err.message)


@rule("BL201", "missing-required-field", severity=Severity.ERROR, per_file=True)
def missing_required_field(ctx: Context) -> Iterator[Diagnostic]:
    """Item lacks a field the item schema requires.

    ## What it does
    Validates every item against the item JSON Schema (`schemas/item.schema.json`,
    or the file named by the `schema` config key) and reports each `required`
    property the item does not have, at the item's title.

    ## Why is this bad?
    Triage and planning rely on every item carrying the agreed fields; an item
    without a title cannot even be referred to.

    ## Example
    ```markdown
    | Item | Status |
    |------|--------|
    |      | Done   |
    ```

    ## Use instead
    ```markdown
    | Item | Status |
    |------|--------|
    | Cache parser output | Done |
    ```

    ## Fix
    Not fixable: add the field with the right value.
    """
    return _errors(ctx, "required")


@rule("BL202", "invalid-field-value", severity=Severity.ERROR, per_file=True)
def invalid_field_value(ctx: Context) -> Iterator[Diagnostic]:
    """Field value is not allowed by the item schema.

    ## What it does
    Reports a value that fails your item schema's `enum`, `pattern`, `type` or
    `format`, naming the allowed values and the closest one. The built-in schema
    sets no allowed values (a project's statuses and priorities are learnt from
    the project: BL209), so this rule speaks when the `schema` setting names a
    contract of your own.

    ## Why is this bad?
    Boards, filters and reports group by exact values: `Stauts: Dnoe` or `Priority:
    Urgentish` falls out of every view.

    ## Example
    ```toml
    schema = "item.schema.json"
    ```
    ```json
    {"type": "object", "properties": {"status": {"enum": ["todo", "in-progress", "done"]}}}
    ```
    ```markdown
    ### TODO-1: Cache parser output
    - **Status:** Dnoe
    ```

    ## Use instead
    ```toml
    schema = "item.schema.json"
    ```
    ```json
    {"type": "object", "properties": {"status": {"enum": ["todo", "in-progress", "done"]}}}
    ```
    ```markdown
    ### TODO-1: Cache parser output
    - **Status:** Done
    ```

    ## Fix
    Not fixable: choose one of the allowed values.
    """
    return _errors(ctx, "value")


@rule("BL203", "unknown-field", severity=Severity.WARNING, per_file=True)
def unknown_field(ctx: Context) -> Iterator[Diagnostic]:
    """Field is not in a closed item schema.

    ## What it does
    With a schema that sets `"additionalProperties": false`, reports fields it does
    not list, suggesting the closest known field. The built-in schema is open, so
    this rule only fires with your own schema.

    ## Why is this bad?
    A misspelt field (`Priorty`) is silently ignored by every tool that reads the backlog.

    ## Fix
    Not fixable: rename or remove the field.
    """
    return _errors(ctx, "unknown")
