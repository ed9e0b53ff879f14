"""BL111 stray-metadata."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

_YAML_LINE_RE = re.compile(r"^[A-Za-z_][\w-]{0,30}:(?:\s+\S.*|\s*)$")


@rule("BL111", "stray-metadata", severity=Severity.WARNING, per_file=True)
def stray_metadata(ctx: Context) -> Iterator[Diagnostic]:
    """A YAML metadata block in the middle of a file renders as a heading.

    ## What it does
    Finds `key: value` lines between two `---` lines below the top of the file:
    only the block on the first line is front matter. Anywhere else the first
    `---` is a horizontal rule and the second turns the `key: value` lines above
    it into a heading.

    ## Why is this bad?
    The fields are not fields: tools do not read them, and the page shows a
    large heading made of `status: done owner: ana`.

    ## Example
    ```markdown
    # Cache parser output

    Notes about the cache.

    ---
    status: done
    owner: ana
    ---
    ```

    ## Use instead
    ```markdown
    ---
    status: done
    owner: ana
    ---

    # Cache parser output

    Notes about the cache.
    ```

    ## Fix
    Not fixable: move the block to the top of the file as front matter, or write the
    fields as `- **Status:** done` lines.
    """
    for doc in ctx.documents():
        lines = doc.source.lines
        for h in doc.headings:
            if not h.setext or h.level != 2:
                continue
            body = lines[h.span.line - 1 : h.span.end_line]
            if len(body) < 2 or not all(_YAML_LINE_RE.match(line.strip()) for line in body):
                continue
            underline = h.span.end_line + 1
            yield ctx.report(doc, Span(h.span.line, 1, underline, len(lines[underline - 1]) + 1),
                             f"these {len(body)} `key: value` lines and the `---` below them render as a heading: "
                             "front matter is read only at the top of the file; move them there or write them as "
                             "field lines")
