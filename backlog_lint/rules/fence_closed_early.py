"""BL113 fence-closed-early."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

_OPEN_RE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


@rule("BL113", "fence-closed-early", severity=Severity.ERROR, per_file=True)
def fence_closed_early(ctx: Context) -> Iterator[Diagnostic]:
    """Code block closed early by the closing fence of a block written inside it.

    ## What it does
    Finds a fenced block whose content holds the opening fence of another block
    of the same kind (```` ```markdown ```` holding ```` ```bash ````), or which
    an indented ```` ``` ```` meant to open an example inside it closes: the
    inner block's fence ends the outer one instead, the rest of the outer block
    renders as Markdown, and the fences after it pair up wrongly.

    ## Why is this bad?
    Example text leaks into the backlog as headings and items, and real items
    further down vanish into a code block.

    ## Example
    `````markdown
    ```markdown
    ## Template
    ```bash
    make test
    ```
    Done when the tests pass.
    ```
    `````

    ## Use instead
    `````markdown
    ````markdown
    ## Template
    ```bash
    make test
    ```
    Done when the tests pass.
    ````
    `````

    ## Fix
    Not fixable: give the outer block a longer fence (```` ```` ```` around ```` ``` ````).
    """
    for doc in ctx.documents():
        if not doc.code_lines:
            continue
        lines = doc.source.lines
        for start, end in doc.fences:
            opener = _OPEN_RE.match(lines[start - 1])
            if opener is None:
                continue
            fence = opener.group("fence")
            closer = _OPEN_RE.match(lines[end - 1]) if end > start else None
            nested = closer is not None and closer.group("fence")[0] == fence[0] and not closer.group("info").strip()
            if (nested and closer is not None and len(closer.group("indent")) > len(opener.group("indent"))
                    and _reopens(lines, end, closer)):
                # an indented "  ```" meant to open an example inside the block closes it instead
                longer = fence[0] * (len(fence) + 1)
                yield ctx.report(doc, Span(end, 1, end, len(lines[end - 1]) + 1),
                                 f"this indented fence closes the block opened on line {start} instead of opening "
                                 f"one inside it: give the outer block a longer fence ({longer!r})")
                continue
            if not opener.group("info").strip():
                # a bare opener holding a ```lang line is, more often, the stray closing fence of a block above
                # that closed early: the pairing of the fences after it is shifted, not a second nesting
                continue
            for n in range(start + 1, end):
                inner = _OPEN_RE.match(lines[n - 1])
                closing = lines[end - 1]
                if inner is None or not inner.group("info").strip():
                    continue
                inner_fence = inner.group("fence")
                if inner_fence[0] == fence[0] and len(inner_fence) >= len(fence) and closing.strip().startswith(fence):
                    yield ctx.report(doc, Span(end, 1, end, len(closing) + 1),
                                     f"this fence closes the block opened on line {start}, not the one opened inside "
                                     f"it on line {n}: give the outer block a longer fence "
                                     f"({fence[0] * (len(fence) + 1)!r})",
                                     related=((doc.path, Span(n, 1, n, len(lines[n - 1]) + 1)),))
                    break


def _reopens(lines: list[str], end: int, closer: re.Match[str]) -> bool:
    """Whether the same indented fence comes again within a few lines: the inner block's intended close."""
    for n in range(end + 1, min(end + 12, len(lines)) + 1):
        m = _OPEN_RE.match(lines[n - 1])
        if m is not None and m.group("indent") == closer.group("indent") and m.group("fence") == closer.group("fence"):
            return True
    return False
