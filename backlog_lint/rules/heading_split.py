"""BL117 heading-split."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.ids import heading_id_match
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

_LABEL_END_RE = re.compile(r"[:：]\s*$")
_PLAIN_LINE_RE = re.compile(r"^\s{0,3}(?![-*+>|#<`~=]|\d{1,9}[.)]\s)\S")
_NUMBER_ONLY_RE = re.compile(r"^\d{1,4}(?:\.\d{1,3})*[.)]?$")


@rule("BL117", "heading-split", severity=Severity.WARNING, per_file=True)
def heading_split(ctx: Context) -> Iterator[Diagnostic]:
    """Heading whose title went onto the next line.

    ## What it does
    Finds an ATX heading that is only a label and a colon (`## Phase 20:`,
    `### TASK-7:`) directly followed by a line of text: the title was wrapped
    onto a line of its own.

    ## Why is this bad?
    The heading renders as "Phase 20:" and its title as a paragraph under it;
    outlines, links to the section and tools reading item titles see no title.

    ## Example
    ```markdown
    ## Phase 20:
    Polish & Cross-Cutting Concerns

    - [ ] T230 Tidy the logs
    ```

    ## Use instead
    ```markdown
    ## Phase 20: Polish & Cross-Cutting Concerns

    - [ ] T230 Tidy the logs
    ```

    ## Fix
    Not fixable: put the title on the heading's line.
    """
    for doc in ctx.documents():
        lines = doc.source.lines
        for h in doc.headings:
            if h.setext or not _LABEL_END_RE.search(h.text):
                continue
            label = _LABEL_END_RE.sub("", h.text).strip()
            m = heading_id_match(label)
            if not (_NUMBER_ONLY_RE.match(label) or (m is not None and not m.group("title").strip())):
                continue  # "## CI / CD website:" has a title of its own
            n = h.span.end_line + 1
            if n > len(lines) or n in doc.code_lines or not _PLAIN_LINE_RE.match(lines[n - 1]):
                continue
            nxt = lines[n - 1].strip()
            yield ctx.report(doc, Span(h.span.line, h.span.col, h.span.line, h.span.end_col),
                             f"the heading is only {h.text.strip()!r} and its title {nxt[:60]!r} on the next line "
                             f"renders as a paragraph: put the title on the heading's line")
