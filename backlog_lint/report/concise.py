"""``concise`` (the default): one ``path:line:col: CODE [*] message`` line per finding, then a summary."""

from __future__ import annotations

from backlog_lint.diagnostics import Diagnostic
from backlog_lint.report._common import ReportContext, Style, finish, header, statistics_report


def render(diagnostics: list[Diagnostic], ctx: ReportContext) -> str:
    style = Style(ctx.color)
    if ctx.statistics:
        return statistics_report(diagnostics, ctx, style)
    return finish("\n".join(header(d, style) for d in diagnostics), diagnostics, ctx, style)
