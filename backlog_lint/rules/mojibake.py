"""BL002 mojibake."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Edit, Fix, Severity
from backlog_lint.model import Document
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
_NAMES = {"mac_roman": "Mac Roman", "cp1252": "Windows-1252", "latin-1": "Latin-1"}


@rule("BL002", "mojibake", fixable=True, severity=Severity.ERROR, per_file=True)
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

    One finding per line: a file garbled throughout gets one per garbled line,
    and `--fix` repairs every run of each.

    ## Fix
    Safe when the repair is lossless (re-encoding the repaired text gives back the
    garbled bytes exactly); stray control characters are reported without a fix.
    """
    from backlog_lint.mojibake import Mojibake, find_c1_controls, find_mojibake

    seen: dict[str, list[Mojibake]] = {}  # garbled lines repeat across files: judge each once
    for doc in ctx.documents():
        for n, line in _non_ascii_lines(doc):
            found = seen.get(line)
            if found is None:
                found = seen[line] = find_mojibake(line)
            if found:
                yield _line_finding(ctx, doc, n, found)
            for col in find_c1_controls(line, found):
                yield ctx.report(doc, Span(n, col + 1, n, col + 2),
                                 f"stray control character U+{ord(line[col]):04X}: delete it or re-save the file "
                                 "as UTF-8")


def _line_finding(ctx: Context, doc: Document, n: int, found: list) -> Diagnostic:
    """One finding per garbled line (a file garbled throughout has one per line, not one per word), whose fix
    repairs every run of it."""
    first = found[0]
    span = Span(n, first.start + 1, n, found[-1].end + 1)
    enc = _NAMES.get(first.encoding, first.encoding)
    edits = tuple(Edit(Span(n, m.start + 1, n, m.end + 1), m.repaired) for m in found)
    if len(found) == 1:
        message = f"garbled text {first.text!r} is UTF-8 read as {enc}: it should read {first.repaired!r}"
        title = f"Replace with {first.repaired!r}"
    else:
        message = (f"{len(found)} garbled runs on this line are UTF-8 read as {enc} (first: {first.text!r}, which "
                   f"should read {first.repaired!r})")
        title = f"Repair {len(found)} garbled runs"
    return ctx.report(doc, span, message, fix=Fix(title, edits))


def _non_ascii_lines(doc: Document) -> Iterator[tuple[int, str]]:
    """(line number, line) of the lines holding a non-ASCII character, found by searching the text."""
    text = doc.source.text
    if text.isascii():
        return
    lines, offsets = doc.source.lines, doc.source.line_offsets
    pos = 0
    while True:
        m = _NON_ASCII_RE.search(text, pos)
        if m is None:
            return
        idx = bisect_right(offsets, m.start()) - 1  # line terminators are ASCII: the character is in this line
        yield idx + 1, lines[idx]
        if idx + 1 >= len(offsets):
            return
        pos = offsets[idx + 1]
