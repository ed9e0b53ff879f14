"""BL123 glued-wikilink."""

from __future__ import annotations

from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._markup import glued_wikilink as is_glued
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span


@rule("BL123", "glued-wikilink", severity=Severity.WARNING, per_file=True)
def glued_wikilink(ctx: Context) -> Iterator[Diagnostic]:
    """Wiki link with a note in parentheses glued to it, read as a Markdown link.

    ## What it does
    Finds a wiki link followed directly by a word in parentheses
    (`[[TASK-40]](research)`), which Markdown reads as an inline link.

    ## Why is this bad?
    The page shows `[TASK-40]` as a link to a file named `research` next to
    the task: the note disappears, and the link leads nowhere.

    ## Example
    ```markdown
    Related: [[TASK-40]](research), [[TASK-41]](fixture)
    ```

    ## Use instead
    ```markdown
    Related: [[TASK-40]] (research), [[TASK-41]] (fixture)
    ```

    ## Fix
    Not fixable: put a space between the wiki link and the parenthesis.
    """
    for doc in ctx.documents():
        if "]](" not in doc.source.text:
            continue
        lines = doc.source.lines
        for link in doc.links:
            if is_glued(link):
                span = link.span
                if span.col > 1 and lines[span.line - 1][span.col - 2 : span.col - 1] == "[":
                    span = Span(span.line, span.col - 1, span.end_line, span.end_col)  # the outer '[' of '[['
                yield ctx.report(doc, span,
                                 f"'[{link.text}]({link.target})' renders as a link named {link.text!r} to a file "
                                 f"{link.target!r}, not as a wiki link and a note: put a space before the '('")
