"""``json-lines``: one compact JSON object per finding per line, the objects of the ``json`` format."""

from __future__ import annotations

from backlog_lint.diagnostics import Diagnostic
from backlog_lint.report._common import ReportContext
from backlog_lint.report.json_array import dumps, finding, statistics


def render(diagnostics: list[Diagnostic], ctx: ReportContext) -> str:
    if ctx.statistics:
        return "".join(dumps(row, separators=(",", ":")) + "\n" for row in statistics(diagnostics))
    return "".join(dumps(finding(d), separators=(",", ":")) + "\n" for d in diagnostics)
