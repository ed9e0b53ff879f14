"""BL004 merge-conflict-marker."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

_START = re.compile(r"^<{7}(?: |$)")
_MID = re.compile(r"^(?:={7}|\|{7}(?: |$))\s*$|^\|{7} ")
_END = re.compile(r"^>{7}(?: |$)")


@rule("BL004", "merge-conflict-marker", severity=Severity.ERROR, per_file=True)
def merge_conflict_marker(ctx: Context) -> Iterator[Diagnostic]:
    """Merge-conflict marker left in the file.

    ## What it does
    Finds `<<<<<<<`, `=======` and `>>>>>>>` lines left by an unresolved git merge
    (outside code blocks).

    ## Why is this bad?
    Both sides of the conflict stay in the backlog: items appear twice, or half an item
    is lost, and the markers render as text or headings.

    ## Example
    ```markdown
    <<<<<<< HEAD
    - [ ] Ship v2
    =======
    - [x] Ship v2
    >>>>>>> feature
    ```

    ## Use instead
    ```markdown
    - [x] Ship v2
    ```

    ## Fix
    Not fixable: decide which side to keep, then delete the markers.
    """
    for doc in ctx.documents():
        text = doc.source.text
        if "<<<<<<<" not in text and ">>>>>>>" not in text:
            continue  # every finding needs a '<<<<<<<' or '>>>>>>>' line ('=======' counts only after one)
        inside = False
        for n, line in enumerate(doc.source.lines, 1):
            if n in doc.code_lines:
                continue
            if _START.match(line):
                inside = True
                yield ctx.report(doc, Span(n, 1, n, len(line) + 1),
                                 "merge-conflict marker '<<<<<<<': resolve the conflict and remove the markers")
            elif inside and _MID.match(line):
                marker = line.strip()[:7]
                yield ctx.report(doc, Span(n, 1, n, len(line) + 1),
                                 f"merge-conflict marker {marker!r}: resolve the conflict and remove the markers")
            elif _END.match(line):
                inside = False
                yield ctx.report(doc, Span(n, 1, n, len(line) + 1),
                                 "merge-conflict marker '>>>>>>>': resolve the conflict and remove the markers")
