"""BL304 dangling-reference."""

from __future__ import annotations

from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.ids import family_of, in_range_context, normalise_id
from backlog_lint.model import Item, Ref
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span
from backlog_lint.workspace.index import workspace_index

_WHAT = {"dependencies": "dependency", "unlocks": "'unlocks' reference", "related": "related reference"}


@rule("BL304", "dangling-reference", severity=Severity.WARNING)
def dangling_reference(ctx: Context) -> Iterator[Diagnostic]:
    """Reference to an item ID that no backlog file defines.

    ## What it does
    Checks every item ID mentioned in a Dependencies/Unlocks/Related field, after a
    `~~struck~~ → ID` arrow or in running text, and reports one that no item in the
    project defines. Only IDs of a family the project uses are checked (`TODO-` when
    some `TODO-n` item exists, or a family listed in the `id-families` setting), so
    mentions of other trackers (`SPEC-038`, `JIRA-12`) are left alone. Zero padding
    and `#` are forgiven (`Ticket #7` finds `TICKET_007`), and IDs covered by a range
    (`F-020–024`, `FE-027..FE-039`) count as defined. Index rows that name an
    unknown ID are reported by `index-mismatch`.

    ## Why is this bad?
    A dependency on an item that was renumbered, merged or deleted hides a real
    ordering problem, and readers cannot follow the link.

    ## Example
    ```markdown
    ### TODO-1: Cache parser output

    ### TODO-2: Add a --watch flag
    - **Dependencies:** TODO-3
    ```

    ## Use instead
    ```markdown
    ### TODO-1: Cache parser output

    ### TODO-2: Add a --watch flag
    - **Dependencies:** TODO-1
    ```

    ## Fix
    Not fixable: point the reference at the item's current ID, or remove it.

    When only some files are checked (pre-commit) or a pull request is checked (`--base`), a
    reference anywhere in the project to an ID that a changed file defined before the change
    (at `HEAD`, or at the base) is reported too: the change removed the item it names.
    """
    index = workspace_index(ctx)
    # IDs a change under review removed (since.py): their references are reported in every file
    removed: dict = ctx.cache.get("removed_ids") or {}  # type: ignore[assignment]
    for doc in ctx.workspace.documents if removed else ctx.documents():
        mine = doc.path in ctx.checked
        for item in doc.items:
            for ref in item.refs:
                if ref.kind != "id" or ref.source == "index":
                    continue
                nid = normalise_id(ref.target)
                gone = removed.get(nid)
                if (not mine and gone is None) or nid == item.id or not (index.defines_family(nid) or gone):
                    continue
                if index.resolve(ref.target, doc) is not None or index.in_range(ref.target):
                    continue
                if _defines(item, ref) or _in_range(doc.source.line(ref.span.line), ref.span):
                    continue
                what = _WHAT.get(ref.relation or "", "reference")
                if gone is not None:
                    yield ctx.report(doc, ref.span,
                                     f"{what} {ref.target!r} names no item: it was removed from {gone.path} since "
                                     f"{gone.since}; point the reference at the item's new ID or remove it",
                                     related=((gone.path, gone.span),))
                    continue
                yield ctx.report(doc, ref.span,
                                 f"{what} {ref.target!r} names no item: the project has {family_of(nid)}- items "
                                 "but none with this ID; fix the ID or remove the reference")


def _defines(item: Item, ref: Ref) -> bool:
    """The reference is the item's own ID column (a table whose ID column the parser kept as a field)."""
    f = item.get("id")
    return f is not None and _inside(ref.span, f.value_span)


def _inside(span: Span, outer: Span) -> bool:
    return (outer.line, outer.col) <= (span.line, span.col) and (span.end_line, span.end_col) <= (
        outer.end_line, outer.end_col)


def _in_range(line: str, span: Span) -> bool:
    """Whether the reference (on ``line``) is one end of a range of IDs ("F-020–024")."""
    if span.line != span.end_line:
        return False
    return in_range_context(line, span.col - 1, span.end_col - 1)
