"""BL121 accidental-setext-heading."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

_SENTENCE_END_RE = re.compile(r"[.!?…。！？][\"'”»)\]]*$")
_YAML_LINE_RE = re.compile(r"^[A-Za-z_][\w-]{0,30}:(?:\s+\S.*|\s*)$")  # BL111's case


@rule("BL121", "accidental-setext-heading", severity=Severity.WARNING, per_file=True)
def accidental_setext_heading(ctx: Context) -> Iterator[Diagnostic]:
    """A line of `---` or `===` right under text turns that text into a heading.

    ## What it does
    Finds a setext heading (text underlined with `---` or `===`) that was meant
    as text followed by a horizontal rule: its text runs over more than one
    line, or it is a sentence (it ends with `.`, `!` or `?`) in a file whose
    other headings are all written with `#`.

    ## Why is this bad?
    A line of dashes directly under a paragraph underlines it: the paragraph
    renders as a large heading, shows in outlines and tables of contents, and
    the separator the author wanted is gone.

    ## Example
    ```markdown
    # Todo

    Keep this list up to date!
    ----------
    ## Features
    ```

    ## Use instead
    ```markdown
    # Todo

    Keep this list up to date!

    ----------
    ## Features
    ```

    ## Fix
    Not fixable: put a blank line above the dashes for a rule, or write the
    heading with `#` marks.
    """
    for doc in ctx.documents():
        setext = [h for h in doc.headings if h.setext]
        if not setext:
            continue
        atx = len(doc.headings) - len(setext)
        single = sum(1 for h in setext if h.span.line == h.span.end_line)  # the file's own setext headings
        lines = doc.source.lines
        for h in setext:
            body = [line.strip() for line in lines[h.span.line - 1 : h.span.end_line]]
            if all(_YAML_LINE_RE.match(line) for line in body):
                continue  # key: value lines over a '---': stray front matter (BL111)
            several = len(body) > 1
            if not several and not (single == 1 and atx >= 2 and _SENTENCE_END_RE.search(body[0])):
                continue
            under = h.span.end_line + 1
            what, them = (f"these {len(body)} lines", "them") if several else ("this sentence", "it")
            rule_line = lines[under - 1].strip()
            yield ctx.report(doc, Span(h.span.line, 1, under, len(lines[under - 1]) + 1),
                             f"{what} and the {rule_line[:12]!r} line right under {them} render as a heading: put "
                             f"a blank line before the {rule_line[:1]!r} line for a separator, or write the "
                             f"heading with '#'")
