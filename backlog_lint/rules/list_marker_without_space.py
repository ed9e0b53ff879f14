"""BL114 list-marker-without-space."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.model import Document
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

# "-import Sinatra skeleton": a dash glued to a word (two letters at least: "-H" is a command-line flag)
_DASH_RE = re.compile(r"^(?P<indent> *)-(?P<text>[^\W\d_]{2}.*)$")
# "** When everything went OK.": a wiki-style sub-bullet (Creole, Textile, Jira), not Markdown
_WIKI_RE = re.compile(r"^(?P<indent> {0,3})(?P<stars>\*\*\*?)[ \t]+(?P<text>\S.*)$")


@rule("BL114", "list-marker-without-space", severity=Severity.WARNING, per_file=True)
def list_marker_without_space(ctx: Context) -> Iterator[Diagnostic]:
    """Line meant as a list entry that renders as plain text.

    ## What it does
    Finds a line written as a list entry that Markdown does not read as one:
    a dash glued to its text (`-import the skeleton`) or a wiki-style
    sub-bullet of two or three stars (`** When it fails`). Only lines that
    start a paragraph, or follow another such line, are reported; a dash
    before a single letter (`-H`, a command-line flag) is left alone.

    ## Why is this bad?
    The entries render as one run-on paragraph with literal dashes or stars;
    the list a reader expects, and the items a tool would count, are not
    there.

    ## Example
    ```markdown
    ## To Do

    -View: make the board
    -Controller: basic game logic
    ```

    ## Use instead
    ```markdown
    ## To Do

    - View: make the board
    - Controller: basic game logic
    ```

    ## Fix
    Not fixable: write a list marker (`-`, `*`, `+` or `1.`) followed by a
    space, indented under its parent for a sub-entry.
    """
    for doc in ctx.documents():
        text = doc.source.text
        if "\n-" not in text and "**" not in text and not text.startswith("-"):
            continue
        lines = doc.source.lines
        skip = _not_text(doc)
        hits: set[int] = set()
        for n, line in enumerate(lines, 1):
            if line[:1] not in " -*" or n in skip:
                continue
            wiki = _wiki(line)
            m = wiki or _DASH_RE.match(line)
            if m is None:
                continue
            if wiki is None and not (n - 1 in hits or _after_break(lines, n)):
                continue  # "... run the\n-verbose build": a wrapped line, not a lost entry
            hits.add(n)
            indent = len(m.group("indent"))
            span = Span(n, indent + 1, n, len(line.rstrip()) + 1)
            entry = m.group("text").strip()
            if wiki is not None:
                yield ctx.report(doc, span,
                                 f"{m.group('stars')!r} is not a Markdown list marker: this line renders as text run "
                                 f"into the paragraph; write '- {entry}', indented under the entry it belongs to")
            else:
                yield ctx.report(doc, span,
                                 f"'-' with no space after it does not make a list entry: this line renders as text; "
                                 f"write '- {entry}'")


def _wiki(line: str) -> re.Match[str] | None:
    m = _WIKI_RE.match(line)
    if m is None or "**" in m.group("text"):
        return None  # "** bold **": emphasis gone wrong, not a bullet
    return m


_ENTRY_RE = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s|^\s{0,3}#{1,6}\s")


def _after_break(lines: list[str], n: int) -> bool:
    """The line starts a block, or follows a list entry or heading line: not a wrapped sentence."""
    if n == 1 or not lines[n - 2].strip():
        return True
    return bool(_ENTRY_RE.match(lines[n - 2]))


def _not_text(doc: Document) -> set[int]:
    """Lines that are no Markdown text: code, front matter, HTML comments."""
    out = set(doc.code_lines)
    fm = doc.front_matter_span
    if fm is not None:
        out.update(range(fm.line, fm.end_line + 1))
    for span, _text in doc.html_comments:
        out.update(range(span.line, span.end_line + 1))
    return out
