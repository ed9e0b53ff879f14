"""BL116 unclosed-inline-html."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.model import Document
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

# inline formatting elements people write by hand in Markdown
_TAGS = "del|s|strike|b|i|u|em|strong|sub|sup|mark|kbd|ins|small"
_OPEN_RE = re.compile(rf"<(?P<tag>{_TAGS})>", re.IGNORECASE)
_CODE_SPAN_RE = re.compile(r"(`+)(?:(?!\1).)+?\1")


@rule("BL116", "unclosed-inline-html", severity=Severity.WARNING, per_file=True)
def unclosed_inline_html(ctx: Context) -> Iterator[Diagnostic]:
    """Inline HTML element opened and never closed in its paragraph.

    ## What it does
    Finds a formatting element written in HTML (`<del>`, `<b>`, `<sub>` ...)
    that its paragraph or list entry opens more often than it closes, for
    instance closed with `<del/>` instead of `</del>`.

    ## Why is this bad?
    The element runs on past the text it was meant for: a strike-through or
    bold covers the rest of the entry, or the page, depending on the renderer.

    ## Example
    ```markdown
    - <del>Models validation constants<del/>; done 10.02.2017
    ```

    ## Use instead
    ```markdown
    - <del>Models validation constants</del>; done 10.02.2017
    ```

    ## Fix
    Not fixable: write the closing tag (`</del>`) where the element ends.
    """
    for doc in ctx.documents():
        if "<" not in doc.source.text:
            continue
        lines = doc.source.lines
        skip = set(doc.code_lines)
        run: list[int] = []
        for n in range(1, len(lines) + 2):
            line = lines[n - 1] if n <= len(lines) else ""
            if line.strip() and n not in skip and not _entry_start(line, run):
                run.append(n)
                continue
            if run:
                yield from _check_run(ctx, doc, lines, run)
            run = [n] if line.strip() and n not in skip else []


_ENTRY_RE = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s")


def _entry_start(line: str, run: list[int]) -> bool:
    """A list entry starts a new run (each entry is its own inline block)."""
    return bool(run) and bool(_ENTRY_RE.match(line))


def _check_run(ctx: Context, doc: Document, lines: list[str], run: list[int]) -> Iterator[Diagnostic]:
    texts = {n: _CODE_SPAN_RE.sub(lambda m: " " * len(m.group(0)), lines[n - 1]) for n in run}
    opens: dict[str, list[tuple[int, re.Match[str]]]] = {}
    for n in run:
        for m in _OPEN_RE.finditer(texts[n]):
            opens.setdefault(m.group("tag").lower(), []).append((n, m))
    for tag, where in opens.items():
        closes = sum(len(re.findall(rf"</{tag}\s*>", texts[n], re.IGNORECASE)) for n in run)
        if closes >= len(where):
            continue
        n, m = where[closes]
        self_closed = any(re.search(rf"<{tag}\s*/>", texts[k], re.IGNORECASE) for k in run)
        hint = f" ('<{tag}/>' is not a closing tag)" if self_closed else ""
        yield ctx.report(doc, Span(n, m.start() + 1, n, m.end() + 1),
                         f"'<{tag}>' is never closed in this paragraph{hint}: write '</{tag}>' where it ends")
