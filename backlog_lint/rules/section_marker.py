"""BL118 section-marker."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.model import Document
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

# Backlog.md's markers: <!-- SECTION:DESCRIPTION:BEGIN --> ... <!-- SECTION:DESCRIPTION:END -->,
# <!-- AC:BEGIN --> ... <!-- AC:END --> (acceptance criteria), <!-- DOD:BEGIN --> ... (definition of done)
_MARKER_RE = re.compile(r"<!--\s*(?P<name>(?:SECTION:)?[A-Z][A-Z_]*):(?P<kind>BEGIN|END)\s*-->")
_CHECKLISTS = frozenset({"AC", "DOD"})  # blocks that hold only a checklist: a heading inside is a misplaced END


@rule("BL118", "section-marker", severity=Severity.WARNING, per_file=True)
def section_marker(ctx: Context) -> Iterator[Diagnostic]:
    """Backlog.md section marker never closed, closed without being opened, or closed too late.

    ## What it does
    Finds the comment markers Backlog.md writes around a task's sections
    (`<!-- SECTION:DESCRIPTION:BEGIN -->` ... `<!-- SECTION:DESCRIPTION:END -->`,
    `<!-- AC:BEGIN -->` ... `<!-- AC:END -->`) when a `BEGIN` has no `END`, an
    `END` has no `BEGIN`, or the `END` of an acceptance-criteria or
    definition-of-done checklist comes after a heading of another section.

    ## Why is this bad?
    Backlog.md reads and rewrites a section between its markers: an unclosed
    description takes in the sections below it, and a checklist closed too late
    takes in the next section, which the tool then edits or drops as if it were
    criteria.

    ## Example
    ```markdown
    ## Acceptance Criteria
    <!-- AC:BEGIN -->
    - [ ] #1 Export writes CSV
    <!-- AC:BEGIN -->
    ```

    ## Use instead
    ```markdown
    ## Acceptance Criteria
    <!-- AC:BEGIN -->
    - [ ] #1 Export writes CSV
    <!-- AC:END -->
    ```

    ## Fix
    Not fixable: put the `END` marker right after the section's last line.
    """
    for doc in ctx.documents():
        if "<!--" not in doc.source.text:
            continue
        lines = doc.source.lines
        code = doc.code_lines
        heading_at = {h.span.line: h for h in doc.headings}
        opened: dict[str, tuple[int, re.Match[str]]] = {}
        for n, line in enumerate(lines, 1):
            if n in code or "<!--" not in line:
                continue
            m = _MARKER_RE.search(line) if _MARKER_RE.fullmatch(line.strip()) else None
            if m is None:
                continue  # Backlog.md writes each marker on a line of its own; a mention in prose is none
            name, span = m.group("name"), Span(n, m.start() + 1, n, m.end() + 1)
            if m.group("kind") == "BEGIN":
                if name in opened:
                    yield _unclosed(ctx, doc, name, *opened[name], f"; another {name}:BEGIN follows on line {n}")
                opened[name] = (n, m)
                continue
            if name not in opened:
                yield ctx.report(doc, span, f"'{name}:END' closes a section no '{name}:BEGIN' opened: "
                                            f"add the BEGIN marker where the section starts, or delete this one")
                continue
            begin, _ = opened.pop(name)
            if name in _CHECKLISTS:
                inside = next((heading_at[k] for k in range(begin + 1, n) if k in heading_at), None)
                if inside is not None:
                    yield ctx.report(doc, span, f"'{name}:END' comes after the heading {inside.text.strip()!r} "
                                                f"(line {inside.span.line}), so the checklist opened on line "
                                                f"{begin} takes in that section: move the END marker up to "
                                                f"the checklist's last entry")
        for name, (n, m) in opened.items():
            yield _unclosed(ctx, doc, name, n, m, "")


def _unclosed(ctx: Context, doc: Document, name: str, n: int, m: re.Match[str], more: str) -> Diagnostic:
    return ctx.report(doc, Span(n, m.start() + 1, n, m.end() + 1),
                      f"'{name}:BEGIN' is never closed{more}: the section runs on to the next marker or the end of "
                      f"the file; add '<!-- {name}:END -->' after its last line")
