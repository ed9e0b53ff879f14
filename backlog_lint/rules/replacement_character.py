"""BL008 replacement-character."""

from __future__ import annotations

from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

REPLACEMENT = "\ufffd"


@rule("BL008", "replacement-character", severity=Severity.ERROR, per_file=True)
def replacement_character(ctx: Context) -> Iterator[Diagnostic]:
    """Text already lost to a bad decode: the replacement character `�` (U+FFFD).

    ## What it does
    Finds the character a decoder writes in place of bytes it could not read. The
    text that was there is gone: only the writer's copy (or the file's history)
    still has it. One finding per line.

    ## Why is this bad?
    Names, statuses and whole words are missing, and searching for them finds
    nothing.

    ## Example
    ```markdown
    - [ ] Translate the r�sum� page
    ```

    ## Use instead
    ```markdown
    - [ ] Translate the résumé page
    ```

    ## Fix
    Not fixable: the original characters are lost; restore them from the file's
    history or retype them.
    """
    for doc in ctx.documents():
        text = doc.source.text
        if REPLACEMENT not in text:
            continue
        for n, line in enumerate(doc.source.lines, 1):
            if REPLACEMENT not in line:
                continue
            first, last = line.index(REPLACEMENT), line.rindex(REPLACEMENT)
            count = line.count(REPLACEMENT)
            what = "a replacement character (U+FFFD)" if count == 1 else f"{count} replacement characters (U+FFFD)"
            yield ctx.report(doc, Span(n, first + 1, n, last + 2),
                             f"{what}: text lost to a bad decode; restore it from the file's history or retype it")
