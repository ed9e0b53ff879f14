"""BL208 sibling-fields."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._rule import Context, rule

_TRACKED = ("status", "priority", "effort", "owner", "labels", "dependencies")


@rule("BL208", "sibling-fields", severity=Severity.INFO)
def sibling_fields(ctx: Context) -> Iterator[Diagnostic]:
    """Item lacks a field its siblings have, or names it differently.

    ## What it does
    Among the items of one file written the same way (headings, rows, ...), finds a
    field that nearly all of them carry (at least 4 items and 80 %) and reports the
    items without it; and reports an item that spells the field differently from the
    rest (`Severity` where the others use `Priority`).

    ## Why is this bad?
    A missing Priority drops an item out of triage; a differently named field is
    invisible to anyone filtering on the usual name.

    ## Example
    ```markdown
    ### T-1: Parser
    - **Priority:** High

    ### T-2: Cache
    - **Priority:** Low

    ### T-3: Docs
    - **Severity:** Low
    ```

    ## Use instead
    ```markdown
    ### T-1: Parser
    - **Priority:** High

    ### T-2: Cache
    - **Priority:** Low

    ### T-3: Docs
    - **Priority:** Low
    ```

    ## Fix
    Not fixable: add or rename the field.
    """
    for doc in ctx.documents():
        groups: dict[str, list] = {}
        for item in doc.items:
            if item.kind in ("heading", "bullet"):
                groups.setdefault(item.kind, []).append(item)
        for items in groups.values():
            if len(items) < 3:
                continue
            for key in _TRACKED:
                raws = Counter(f.key_raw.casefold() for it in items for f in it.fields if f.key == key)
                have = [it for it in items if it.get(key) is not None]
                if raws and len(raws) > 1:
                    usual, usual_n = raws.most_common(1)[0]
                    if usual_n * 2 > sum(raws.values()):
                        for it in have:
                            f = it.get(key)
                            if f is not None and f.key_raw.casefold() != usual:
                                yield ctx.report(doc, f.key_span,
                                                 f"item {it.label!r} names the field {f.key_raw!r} where "
                                                 f"{usual_n} sibling item(s) use {_display(items, key, usual)!r}",
                                                 severity=Severity.WARNING)
                if len(items) >= 4 and len(have) * 5 >= len(items) * 4 and len(have) < len(items):
                    name = _display(items, key, raws.most_common(1)[0][0]) if raws else key
                    for it in items:
                        if it.get(key) is None and key not in it.inherited and not it.closed:
                            yield ctx.report(doc, it.title_span,
                                             f"item {it.label!r} has no {name!r} field; {len(have)} of "
                                             f"{len(items)} sibling items have one")


def _display(items: list, key: str, folded: str) -> str:
    for it in items:
        f = it.get(key)
        if f is not None and f.key_raw.casefold() == folded:
            return f.key_raw
    return folded
