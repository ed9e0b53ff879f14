"""BL002 mojibake."""

from __future__ import annotations

from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Fix, Severity
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

_NAMES = {"mac_roman": "Mac Roman", "cp1252": "Windows-1252", "latin-1": "Latin-1"}


@rule("BL002", "mojibake", fixable=True, severity=Severity.ERROR)
def mojibake(ctx: Context) -> Iterator[Diagnostic]:
    """Text is garbled: UTF-8 that was read as Mac Roman, Windows-1252 or Latin-1.

    ## What it does
    Finds runs of characters such as `‚Äî`, `√©`, `â€”` or `Ã©` that are what UTF-8
    text looks like after a tool decoded it with a legacy code page and saved it
    again, and stray C1 control characters (U+0080 to U+009F).

    ## Why is this bad?
    Dashes, emoji, arrows and whole non-English paragraphs become unreadable, and
    IDs or statuses written with them stop matching.

    ## Example
    ```markdown
    - **Priority:** üî¥ P1 ‚Äî urgent
    ```

    ## Use instead
    ```markdown
    - **Priority:** 🔴 P1 — urgent
    ```

    ## Fix
    Safe when the repair is lossless (re-encoding the repaired text gives back the
    garbled bytes exactly); stray control characters are reported without a fix.
    """
    from backlog_lint.mojibake import find_c1_controls, find_mojibake

    for doc in ctx.documents():
        if doc.source.text.isascii():
            continue  # nothing to garble
        for n, line in enumerate(doc.source.lines, 1):
            if line.isascii():
                continue
            found = find_mojibake(line)
            for m in found:
                span = Span(n, m.start + 1, n, m.end + 1)
                enc = _NAMES.get(m.encoding, m.encoding)
                yield ctx.report(doc, span, f"garbled text {m.text!r} is UTF-8 read as {enc}: it should read "
                                 f"{m.repaired!r}", fix=Fix.replace(span, m.repaired, f"Replace with {m.repaired!r}"))
            for col in find_c1_controls(line, found):
                yield ctx.report(doc, Span(n, col + 1, n, col + 2),
                                 f"stray control character U+{ord(line[col]):04X}: delete it or re-save the file "
                                 "as UTF-8")
