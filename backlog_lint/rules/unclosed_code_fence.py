"""BL106 unclosed-code-fence."""

from __future__ import annotations

from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span


@rule("BL106", "unclosed-code-fence", severity=Severity.ERROR, per_file=True)
def unclosed_code_fence(ctx: Context) -> Iterator[Diagnostic]:
    """Code fence is never closed and swallows the rest of the file.

    ## What it does
    Finds a ```` ``` ```` or `~~~` fence with no closing fence.

    ## Why is this bad?
    Everything after it renders as code: the items below vanish from the rendered
    backlog and from every tool that reads it.

    ## Example
    ````markdown
    ### TODO-1: Cache
    ```bash
    make cache
    ### TODO-2: Docs
    ````

    ## Use instead
    ````markdown
    ### TODO-1: Cache
    ```bash
    make cache
    ```
    ### TODO-2: Docs
    ````

    ## Fix
    Not fixable: only you know where the code ends.
    """
    for doc in ctx.documents():
        lines = doc.source.lines
        for start, end, markup in _fences(doc):
            last = lines[end - 1].strip() if end <= len(lines) else ""
            closed = end > start and last.startswith(markup[0] * len(markup)) and not last.strip(markup[0])
            if not closed:
                swallowed = end - start
                yield ctx.report(doc, Span(start, 1, start, len(lines[start - 1]) + 1),
                                 f"code fence {markup!r} opened here is never closed: it swallows the remaining "
                                 f"{swallowed} line(s); add a closing {markup!r}")


def _fences(doc) -> Iterator[tuple[int, int, str]]:
    """(first line, last line, fence markup) of fenced code blocks, from code_lines runs."""
    lines = doc.source.lines
    n = 1
    total = len(lines)
    while n <= total:
        if n in doc.code_lines:
            start = n
            while n + 1 <= total and n + 1 in doc.code_lines:
                n += 1
            opener = lines[start - 1].lstrip(" >")
            if opener.startswith(("```", "~~~")):
                ch = opener[0]
                markup = opener[: len(opener) - len(opener.lstrip(ch))]
                if n == total:
                    yield start, n, markup
        n += 1
