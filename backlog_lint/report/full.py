"""``full``: each finding's header, the source lines it covers with ``^^^`` under the span, and its fix.

    BACKLOG.md:4:7: BL301 [*] duplicate item id `T-1`
      |
    4 | - [ ] T-1 Ship it
      |       ^^^
      |
      = help: Renumber the item to `T-4`

Carets are placed by display width: a tab shows as four spaces, East Asian wide characters
and emoji as two cells, combining marks as none, and control characters as their Unicode
"control picture" so that a file cannot send escape sequences to the terminal. A span over
more than ``MAX_SNIPPET_LINES`` lines shows its first and last lines around a ``...`` row.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from backlog_lint.diagnostics import Diagnostic
from backlog_lint.report._common import (
    BIDI_CONTROLS,
    ReportContext,
    Style,
    finish,
    header,
    last_covered_line,
    one_line,
    severity_of,
    statistics_report,
)

TAB_WIDTH = 4
MAX_SNIPPET_LINES = 6
HEAD_LINES = 3
TAIL_LINES = 2


def _cell(ch: str) -> tuple[str, int]:
    """How one source character is shown, and how many terminal cells it takes."""
    if ch == "\t":
        return " " * TAB_WIDTH, TAB_WIDTH
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code), 1  # ␀ .. ␟
    if code == 0x7F:
        return "\u2421", 1  # ␡
    if ch in BIDI_CONTROLS:
        return "\ufffd", 1
    category = unicodedata.category(ch)
    if category in ("Cc", "Cs", "Zl", "Zp"):
        return "\ufffd", 1
    if category in ("Mn", "Me", "Cf"):
        return ch, 0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return ch, 2
    return ch, 1


def _width(cells: Sequence[tuple[str, int]]) -> int:
    return sum(width for _, width in cells)


def snippet(diagnostic: Diagnostic, lines: Sequence[str] | None, style: Style) -> tuple[list[str], int]:
    """The gutter-and-underline excerpt for ``diagnostic`` and its gutter's width.

    The excerpt is empty (width 0) when the finding's lines are unknown.
    """
    span = diagnostic.span
    if lines is None or not 1 <= span.line <= len(lines):
        return [], 0
    last_line, last_end = last_covered_line(diagnostic)
    last_line = max(min(last_line, len(lines)), span.line)
    single = last_line == span.line
    numbers: list[int | None] = list(range(span.line, last_line + 1))
    if len(numbers) > MAX_SNIPPET_LINES:
        numbers = [*numbers[:HEAD_LINES], None, *numbers[-TAIL_LINES:]]
    width = len(str(last_line))
    bar = style.gutter(" " * width + " |")
    severity = severity_of(diagnostic)

    out = [bar]
    for number in numbers:
        if number is None:
            out.append(style.gutter("..."))
            continue
        text = lines[number - 1]
        cells = [_cell(ch) for ch in text]
        shown = "".join(s for s, _ in cells).rstrip()
        out.append(style.gutter(f"{number:>{width}} |") + (f" {shown}" if shown else ""))

        start = max(span.col, 1) if number == span.line else 1
        end = max(last_end, start) if number == span.end_line and last_end is not None else len(text) + 1
        offset = _width(cells[: start - 1]) + max(0, start - 1 - len(text))
        carets = _width(cells[start - 1 : end - 1])
        if carets == 0 and single:
            carets = 1  # an empty span (an insertion point) still gets one caret
        if carets:
            out.append(f"{bar} {' ' * offset}{style.severity('^' * carets, severity)}")
    out.append(bar)
    return out, width


def render_one(diagnostic: Diagnostic, ctx: ReportContext, style: Style) -> str:
    excerpt, width = snippet(diagnostic, ctx.sources.get(diagnostic.path), style)
    lines = [header(diagnostic, style), *excerpt]
    if diagnostic.fix is not None:
        indent = " " * max(width, 1)  # the "=" sits under the gutter's "|"
        lines.append(f"{indent} = {style.sgr('help', '1;36')}: {one_line(diagnostic.fix.title)}")
    return "\n".join(lines)


def render(diagnostics: list[Diagnostic], ctx: ReportContext) -> str:
    style = Style(ctx.color)
    if ctx.statistics:
        return statistics_report(diagnostics, ctx, style)
    return finish("\n\n".join(render_one(d, ctx, style) for d in diagnostics), diagnostics, ctx, style)
