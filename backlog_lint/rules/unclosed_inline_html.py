"""BL116 unclosed-inline-html."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.model import Document
from backlog_lint.rules._markup import children, tokens
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

# inline formatting elements people write by hand in Markdown
_TAGS = "del|s|strike|b|i|u|em|strong|sub|sup|mark|kbd|ins|small"
_OPEN_RE = re.compile(rf"<(?P<tag>{_TAGS})>", re.IGNORECASE)
_CODE_SPAN_RE = re.compile(r"(`+)(?:(?!\1).)+?\1")


@rule("BL116", "unclosed-inline-html", severity=Severity.WARNING, per_file=True)
def unclosed_inline_html(ctx: Context) -> Iterator[Diagnostic]:
    """Inline HTML element opened and never closed in its paragraph, or a bare tag that hides itself.

    ## What it does
    Finds a formatting element written in HTML (`<del>`, `<b>`, `<sub>` ...)
    that its paragraph or list entry opens more often than it closes, for
    instance closed with `<del/>` instead of `</del>`; and a word in angle
    brackets that is no HTML element (`<optional>`, `List<Item>`, `<version>`)
    written outside backticks and never closed in the file: Markdown reads it
    as a tag.

    ## Why is this bad?
    The element runs on past the text it was meant for: a strike-through or
    bold covers the rest of the entry, or the page, depending on the renderer.
    A bare `<word>` is dropped from the rendered page (GitHub strips unknown
    tags), so the sentence loses the very word it was about.

    ## Example
    ```markdown
    - <del>Models validation constants<del/>; done 10.02.2017
    ```

    ## Use instead
    ```markdown
    - <del>Models validation constants</del>; done 10.02.2017
    ```

    ## Fix
    Not fixable: write the closing tag (`</del>`) where the element ends; put a
    placeholder in backticks (`` `<version>` ``) or escape its `<` (`\\<version>`).
    """
    for doc in ctx.documents():
        if "<" not in doc.source.text:
            continue
        yield from _hidden_tags(ctx, doc)
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


# HTML elements (and the few obsolete ones people still write): a tag of one of these renders as
# that element or is dropped on purpose; any other name is a word the author meant to show
_ELEMENT_NAMES = """
a abbr address area article aside audio b base bdi bdo big blink blockquote body br button canvas caption center
cite code col colgroup data datalist dd del details dfn dialog dir div dl dt em embed fieldset figcaption figure
font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img input ins kbd label
legend li link main map mark marquee math menu meta meter nav nobr noscript object ol optgroup option output p
param picture pre progress q rp rt ruby s samp script search section select slot small source span strike strong
style sub summary sup svg table tbody td template textarea tfoot th thead time title tr track tt u ul var video
wbr
"""
_HTML_ELEMENTS = frozenset(_ELEMENT_NAMES.split())
_CLOSE_RE = re.compile(r"</([A-Za-z][A-Za-z0-9]*)\s*>")
_TAG_RE = re.compile(r"<(?P<name>[A-Za-z][A-Za-z0-9]*)(?=[\s/>])")


def _hidden_tags(ctx: Context, doc: Document) -> Iterator[Diagnostic]:
    """Bare `<word>` tags that are no HTML element and that the file never closes."""
    text = doc.source.text
    lines = doc.source.lines
    closed: set[str] | None = None  # names of the closing tags in the file, found once
    for tok in tokens(ctx, doc):
        if tok.type != "inline" or tok.map is None or "<" not in tok.content:
            continue
        start = tok.map[0]
        col_from: dict[int, int] = {}
        for child in children(ctx, doc, tok):
            if child.type != "html_inline":
                continue
            m = _TAG_RE.match(child.content)
            if m is None or m.group("name").lower() in _HTML_ELEMENTS or child.content.endswith("/>"):
                continue
            name = m.group("name")
            if closed is None:
                closed = {c.lower() for c in _CLOSE_RE.findall(text)}
            if name.lower() in closed:
                continue  # closed somewhere: XML the author writes on purpose (<verify>...</verify>)
            where = _find(lines, start, tok.map[1], child.content, col_from)
            if where is None:
                continue
            n, col = where
            shown = child.content if len(child.content) <= 40 else child.content[:37] + "..."
            yield ctx.report(doc, Span(n, col, n, col + len(child.content)),
                             f"{shown!r} is not an HTML element, so it is read as a tag and hidden when rendered: "
                             f"put it in backticks or escape it as '\\{child.content}'")


def _find(lines: list[str], first: int, last: int, needle: str, col_from: dict[int, int]) -> tuple[int, int] | None:
    """1-based line and column of the next occurrence of `needle` in lines first..last-1 (0-based)."""
    for i in range(first, min(last, len(lines))):
        at = lines[i].find(needle, col_from.get(i, 0))
        if at >= 0:
            col_from[i] = at + len(needle)
            return i + 1, at + 1
    return None
