"""BL115 literal-escapes."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

_CODE_SPAN_RE = re.compile(r"(`+)(?:(?!\1).)+?\1")
# a backslash-n that is no Markdown escape and no word ("\newline" in LaTeX, "\n" before a letter is kept)
_ESCAPE_RE = re.compile(r"(?<!\\)\\n(?![a-z])")
MIN_ESCAPES = 3  # "a \n\n-separated list" names a separator; three or more are a pasted string


@rule("BL115", "literal-escapes", severity=Severity.WARNING, per_file=True)
def literal_escapes(ctx: Context) -> Iterator[Diagnostic]:
    """Text holding `\\n` escape sequences instead of line breaks.

    ## What it does
    Finds a line of text (outside code) with three or more literal `\\n`
    sequences: a string copied out of JSON, a log or a tool's output without
    being unescaped.

    ## Why is this bad?
    Markdown shows the backslashes and the letters; the paragraphs and list
    the text was meant to have collapse into one run-on line.

    ## Example
    ```markdown
    Rewrote the conclusions.\\n\\nThe section now has:\\n- four sub-sections
    ```

    ## Use instead
    ```markdown
    Rewrote the conclusions.

    The section now has:
    - four sub-sections
    ```

    ## Fix
    Not fixable: replace each `\\n` by a line break (and `\\"` by `"`).
    """
    for doc in ctx.documents():
        if "\\n" not in doc.source.text:
            continue
        skip = set(doc.code_lines)
        fm = doc.front_matter_span
        if fm is not None:
            skip.update(range(fm.line, fm.end_line + 1))
        for n, line in enumerate(doc.source.lines, 1):
            if "\\n" not in line or n in skip:
                continue
            text = _CODE_SPAN_RE.sub(lambda m: " " * len(m.group(0)), line)
            found = list(_ESCAPE_RE.finditer(text))
            if len(found) < MIN_ESCAPES:
                continue
            first = found[0]
            span = Span(n, first.start() + 1, n, first.end() + 1)
            yield ctx.report(doc, span,
                             f"this line holds {len(found)} literal '\\n' sequences, which render as backslashes: the "
                             "text was pasted from an escaped string; put real line breaks in their place")
