"""BL103 heading-level-skip."""

from __future__ import annotations

from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._rule import Context, rule


@rule("BL103", "heading-level-skip", severity=Severity.WARNING, per_file=True)
def heading_level_skip(ctx: Context) -> Iterator[Diagnostic]:
    """Heading skips a level (`##` followed by `####`).

    ## What it does
    Reports a heading more than one level deeper than the heading before it, when it
    sits in a section that passes priority, wave, phase or status down to its items.

    ## Why is this bad?
    Items inherit their section's priority or lane from the nearest enclosing heading;
    a skipped level makes it unclear which section an item belongs to, and outline
    views show an empty level.

    ## Example
    ```markdown
    ## P1 - Next week
    #### TODO-1: Cache parser output
    ```

    ## Use instead
    ```markdown
    ## P1 - Next week
    ### TODO-1: Cache parser output
    ```

    ## Fix
    Not fixable automatically: changing a level moves everything below it.
    """
    for doc in ctx.documents():
        prev_level = 0
        prev_inherits = False
        for section in doc.sections():
            if section.heading is None:
                continue
            level = section.level
            if prev_level and level > prev_level + 1 and prev_inherits:
                yield ctx.report(doc, section.heading.span,
                                 f"heading level {level} follows level {prev_level}: use level {prev_level + 1} "
                                 "so items inherit from the right section")
            prev_level = level
            prev_inherits = bool(section.inherited)
