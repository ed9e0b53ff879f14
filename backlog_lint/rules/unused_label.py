"""BL502 unused-label."""

from __future__ import annotations

from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._rule import Context, rule
from backlog_lint.workspace.index import workspace_index
from backlog_lint.workspace.legends import fold_label


@rule("BL502", "unused-label", severity=Severity.INFO, preview=True)
def unused_label(ctx: Context) -> Iterator[Diagnostic]:
    """Label defined in a legend is never used.

    ## What it does
    Reports an entry of a label legend (see `undefined-label`) that no item in
    any backlog file of the project uses. Legends whose labels are not used at
    all are skipped: the items probably carry their labels in a form that is not
    read as a Labels field.

    ## Why is this bad?
    A legend that lists dead labels invites people to file new items under them,
    and hides which categories are really in use.

    ## Example
    ```markdown
    | Item | Label |
    |------|-------|
    | Ring lookup benchmark | `perf` |
    | Router cleanup | `core` |

    ## Labels

    - `core`: routing, hashing and enumeration
    - `perf`: performance work
    - `legacy`: the old v1 API
    ```

    ## Use instead
    ```markdown
    | Item | Label |
    |------|-------|
    | Ring lookup benchmark | `perf` |
    | Router cleanup | `core` |

    ## Labels

    - `core`: routing, hashing and enumeration
    - `perf`: performance work
    ```

    ## Fix
    Not fixable: remove the entry from the legend, or label the items that belong to it.
    """
    if "legend" not in ctx.config.label_sources:
        return
    index = workspace_index(ctx)
    used: set[str] | None = None
    for doc in ctx.documents():
        legend = index.legend(doc)
        if not legend:
            continue
        if used is None:
            used = {fold_label(v) for d in index.docs for it in d.items for f in it.fields
                    if f.key == "labels" for v in f.values}
        if not any(key in used for key in legend):
            continue
        for key, span in legend.items():
            if key not in used:
                name = doc.source.line(span.line)[span.col - 1:span.end_col - 1].strip("`*_")
                yield ctx.report(doc, span,
                                 f"label {name or key!r} is defined in the legend but no item uses it: remove it "
                                 "from the legend or label the items that belong to it")
