"""``grouped``: findings under their file's path, ``line:col CODE [*] message`` aligned per file."""

from __future__ import annotations

from backlog_lint.diagnostics import Diagnostic
from backlog_lint.report._common import (
    ReportContext,
    Style,
    finish,
    fix_mark,
    one_line,
    severity_of,
    statistics_report,
)


def render(diagnostics: list[Diagnostic], ctx: ReportContext) -> str:
    style = Style(ctx.color)
    if ctx.statistics:
        return statistics_report(diagnostics, ctx, style)
    by_path: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:  # files in order of first appearance, findings in the order given
        by_path.setdefault(d.path, []).append(d)
    blocks = []
    for path, found in by_path.items():
        line_width = max(len(str(d.span.line)) for d in found)
        col_width = max(len(str(d.span.col)) for d in found)
        lines = [f"{style.bold(one_line(path))}:"]
        for d in found:
            position = f"{str(d.span.line).rjust(line_width)}:{str(d.span.col).ljust(col_width)}"
            code = style.severity(d.code, severity_of(d))
            lines.append(f"  {position} {code} {fix_mark(d)}{one_line(d.message)}")
        blocks.append("\n".join(lines))
    return finish("\n\n".join(blocks), diagnostics, ctx, style)
