"""BL110 checklist-not-rendered."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Fix, Severity
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

# "- [x]Write" (no space after the box), "-[ ] task" (no space after the marker), "- [] task" (no mark),
# "[ ] task" (no list marker at all)
_SHAPES = (
    (re.compile(r"^(?P<pre>\s*(?:[-*+]|\d{1,9}[.)])[ \t]+\[[ xX]\])(?P<gap>)(?=[^\s\](:\[])"), " ",
     "has no space after the box"),
    (re.compile(r"^(?P<pre>\s*[-*+])(?P<gap>)(?=\[[ xX]\][ \t]+\S)"), " ", "has no space after the list marker"),
    (re.compile(r"^(?P<pre>\s*(?:[-*+]|\d{1,9}[.)])[ \t]+\[)(?P<gap>)(?=\][ \t]+\S)"), " ",
     "has an empty box `[]`"),
    (re.compile(r"^(?P<pre>)(?P<gap>)(?=\s{0,3}\[[ xX]\][ \t]+\S)"), "- ", "has no list marker before the box"),
)


@rule("BL110", "checklist-not-rendered", fixable=True, severity=Severity.WARNING, per_file=True)
def checklist_not_rendered(ctx: Context) -> Iterator[Diagnostic]:
    """Checklist entry written so that it renders as text, not as a checkbox.

    ## What it does
    Finds lines meant as checklist entries that Markdown does not read as one:
    `- [x]Write tests` (no space after the box), `-[ ] task` (no space after the
    list marker), `- [] task` (an empty box) and `[ ] task` (no list marker).

    ## Why is this bad?
    The box shows as literal `[x]` text, cannot be ticked, and nothing that
    counts open and done tasks sees it.

    ## Example
    ```markdown
    - [x]Write the parser tests
    - [ ] Write the formatter tests
    ```

    ## Use instead
    ```markdown
    - [x] Write the parser tests
    - [ ] Write the formatter tests
    ```

    ## Fix
    Safe: inserts the missing space or list marker (`[]` becomes `[ ]`).
    """
    for doc in ctx.documents():
        if "[" not in doc.source.text:
            continue
        code = doc.code_lines
        for n, line in enumerate(doc.source.lines, 1):
            if "[" not in line or n in code or line.lstrip().startswith(">"):
                continue
            for pattern, insert, what in _SHAPES:
                m = pattern.match(line)
                if m is None:
                    continue
                if insert == "- " and n not in doc.paragraph_lines:
                    break
                col = m.end("pre")
                where = Span(n, col + 1, n, col + 1)
                shown = line.strip()
                shown = shown if len(shown) <= 40 else shown[:39] + "…"
                box = "[x]" if re.search(r"\[[xX]\]", line) else "[ ]"
                yield ctx.report(doc, Span(n, len(line) - len(line.lstrip()) + 1, n, len(line.rstrip()) + 1),
                                 f"checklist entry {shown!r} {what}, so it renders as text; write it "
                                 f"`- {box} text`",
                                 fix=Fix.replace(where, insert, f"Insert {insert.strip() or 'a space'!r}"))
                break
