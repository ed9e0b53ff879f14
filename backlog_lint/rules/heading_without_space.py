"""BL109 heading-without-space."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Fix, Severity
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

_NO_SPACE_RE = re.compile(r"^(?P<indent> {0,3})(?P<hashes>#{1,6})(?P<text>[^\s#].*)$")


@rule("BL109", "heading-without-space", fixable=True, severity=Severity.WARNING, per_file=True)
def heading_without_space(ctx: Context) -> Iterator[Diagnostic]:
    """Heading written without a space after its hashes renders as plain text.

    ## What it does
    Finds a line such as `##Backlog` or `# ##TODO` that stands on its own like a
    heading but, having no space after the hashes, renders as a paragraph. A
    `#tag` is left alone: a single `#` before one word, or several `#tags` on a
    line, are labels (Obsidian, GitHub issue numbers `#12`).

    ## Why is this bad?
    The section is not a section: outlines, links to it and every tool that
    reads the backlog's structure miss it, and its items fall into the section
    above.

    ## Example
    ```markdown
    ## Backlog

    ##Abstract grammar issues

    - [ ] Split the grammar file
    ```

    ## Use instead
    ```markdown
    ## Backlog

    ## Abstract grammar issues

    - [ ] Split the grammar file
    ```

    ## Fix
    Safe: inserts the space after the hashes.
    """
    for doc in ctx.documents():
        if "#" not in doc.source.text:
            continue
        lines = doc.source.lines
        for n in sorted(doc.paragraph_lines):
            line = lines[n - 1]
            if "#" not in line[:4]:
                continue
            m = _NO_SPACE_RE.match(line)
            if m is None or not _standalone(doc, n) or not _reads_as_heading(m.group("hashes"), m.group("text")):
                continue
            col = len(m.group("indent")) + len(m.group("hashes"))
            span = Span(n, len(m.group("indent")) + 1, n, len(line.rstrip()) + 1)
            yield ctx.report(doc, span,
                             f"{m.group('hashes')!r} with no space after it does not make a heading: this line renders "
                             f"as text; write {m.group('hashes') + ' ' + m.group('text').strip()!r}",
                             fix=Fix.replace(Span(n, col + 1, n, col + 1), " ", "Insert a space after the hashes"))


def _standalone(doc, n: int) -> bool:
    """A line of its own: a one-line paragraph (blank lines, the file's edges or other blocks around it)."""
    para = doc.paragraph_lines
    return (n - 1) not in para and (n + 1) not in para


def _reads_as_heading(hashes: str, text: str) -> bool:
    if "#" in text:
        return False  # "#ui #api": labels
    words = text.split()
    if len(hashes) >= 2:
        return True  # "##Backlog": nobody tags with two hashes
    if text[:1].isdigit():
        return False  # "#12": an issue number
    return len(words) >= 2  # "#todo": a tag; "#Open questions": a heading
