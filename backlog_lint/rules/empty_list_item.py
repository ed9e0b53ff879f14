"""BL112 empty-list-item."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

_EMPTY_RE = re.compile(r"^(?P<indent>\s*)(?P<marker>[-*+]|\d{1,9}[.)])(?:[ \t]+\[[ xX]\])?[ \t]*$")
_PLACEHOLDER_RE = re.compile(r"^\s*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?)?(?:\.{3}|…|\?{2,3})\s*$")


@rule("BL112", "empty-list-item", severity=Severity.WARNING, per_file=True)
def empty_list_item(ctx: Context) -> Iterator[Diagnostic]:
    """List entry or checklist entry with nothing in it, or only a placeholder.

    ## What it does
    Finds a bullet (`-`), numbered entry (`3.`) or checklist entry (`- [ ]`)
    with no text among entries that have text, and an entry or paragraph that
    holds only a placeholder (`...`, `…`, `??`) where something was to be
    written. An empty entry that is the only one under its parent is a slot
    left open on purpose (`- Ana` with an empty `-` under each name).

    ## Why is this bad?
    An empty entry renders as a stray bullet or box; a placeholder is work
    nobody wrote down, which reads as done when nobody looks closely.

    ## Example
    ```markdown
    - [ ] Write the changelog
    - [ ]
    - [ ] Tag the release
    ```

    ## Use instead
    ```markdown
    - [ ] Write the changelog
    - [ ] Tag the release
    ```

    ## Fix
    Not fixable: write what the entry is for, or delete it.
    """
    for doc in ctx.documents():
        lines = doc.source.lines
        code = doc.code_lines
        setext = {h.span.end_line + 1 for h in doc.headings if h.setext}
        for n, line in enumerate(lines, 1):
            if n in code or n in setext or not line.strip() or len(line) > 80:
                continue
            if _EMPTY_RE.match(line):
                if _only_child(lines, n):
                    continue  # "- Ana\n  -": a slot left open on purpose under each name, not a lost entry
                span = Span(n, len(line) - len(line.lstrip()) + 1, n, len(line.rstrip()) + 1)
                yield ctx.report(doc, span, "empty list entry: write what it is for, or delete it")
            elif _PLACEHOLDER_RE.match(line) and (n in doc.paragraph_lines or line.lstrip()[:1] in "-*+0123456789"):
                span = Span(n, len(line) - len(line.lstrip()) + 1, n, len(line.rstrip()) + 1)
                yield ctx.report(doc, span, f"{line.strip()!r} is a placeholder: write what belongs here, or delete it")


def _only_child(lines: list[str], n: int) -> bool:
    """An indented empty entry with no sibling entries: the only child of the entry above it."""
    indent = len(lines[n - 1]) - len(lines[n - 1].lstrip())
    if indent == 0:
        return False
    for m in (n - 1, n + 1):
        if 0 < m <= len(lines):
            other = lines[m - 1]
            if other.strip() and len(other) - len(other.lstrip()) == indent and _MARKER_RE.match(other):
                return False
    return True


_MARKER_RE = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])(?:\s|$)")
