"""BL313 list-start."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

_ORDERED_RE = re.compile(r"^(?P<num>\d{1,4})[.)][ \t]+\S")
_MAX_START = 99  # "2025. Goals": a year, not step 2025 of a list


@rule("BL313", "list-start", severity=Severity.WARNING, preview=True, per_file=True)
def list_start(ctx: Context) -> Iterator[Diagnostic]:
    """Numbered list starts past 1 with nothing before it.

    ## What it does
    Finds a top-level numbered list whose first number is above 1 (`6. ...`) while
    no numbered list before it in the file ends at the number before (`5.`): it
    continues nothing, so the steps before it are missing. A list that carries on
    the numbering of an earlier one (steps 1-3 in `### Week 1`, 4-6 in
    `### Week 2`) is fine, and a number above 99 (`2025. The year of ...`) is no step.

    ## Why is this bad?
    Markdown shows the list from 6 on, and a reader is left looking for steps 1
    to 5: they were deleted when done, or lost in an edit.

    ## Example
    ```markdown
    ## Launch checklist

    6. Announce the release
    ```

    ## Use instead
    ```markdown
    ## Launch checklist

    1. Announce the release
    ```

    ## Fix
    Not fixable: restore the missing steps, or number the list from 1.
    """
    for doc in ctx.documents():
        lines = doc.source.lines
        ends: set[int] = set()  # numbers that earlier list items carry
        for n, line in enumerate(lines, 1):
            if n in doc.code_lines:
                continue
            m = _ORDERED_RE.match(line)
            if m is not None:
                number = int(m.group("num"))
                previous = lines[n - 2] if n > 1 else ""  # a list past 1 cannot interrupt a paragraph
                starts = not previous.strip() or previous.lstrip().startswith("#")
                if starts and 1 < number <= _MAX_START and number - 1 not in ends:
                    shown, them = ("step 1 is", "it") if number == 2 else (f"steps 1-{number - 1} are", "them")
                    yield ctx.report(doc, Span(n, 1, n, len(m.group("num")) + 2),
                                     f"numbered list starts at {number}, and no list before it ends at "
                                     f"{number - 1}: {shown} missing; restore {them} or number "
                                     "the list from 1")
                ends.add(number)
