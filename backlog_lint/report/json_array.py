"""``json``: a JSON array of findings, described by ``schemas/findings.schema.json``.

Positions are ``{"line", "column"}``, both 1-based; columns count Unicode code points and
``end`` is exclusive (the position just after the last character), as in the tool's spans.
"""

from __future__ import annotations

import json

from backlog_lint.diagnostics import Diagnostic, Edit
from backlog_lint.report._common import ReportContext, rule_counts, rule_url, severity_of
from backlog_lint.source import Span


def _start(span: Span) -> dict[str, int]:
    return {"line": span.line, "column": span.col}


def _end(span: Span) -> dict[str, int]:
    return {"line": span.end_line, "column": span.end_col}


def _edit(edit: Edit) -> dict[str, object]:
    return {"start": _start(edit.span), "end": _end(edit.span), "content": edit.content}


def finding(diagnostic: Diagnostic) -> dict[str, object]:
    """One finding as the JSON formats write it."""
    fix = diagnostic.fix
    return {
        "code": diagnostic.code,
        "name": diagnostic.name,
        "message": diagnostic.message,
        "severity": severity_of(diagnostic).value,
        "path": diagnostic.path,
        "start": _start(diagnostic.span),
        "end": _end(diagnostic.span),
        "fix": None
        if fix is None
        else {
            "title": fix.title,
            "applicability": "safe" if fix.safe else "unsafe",
            "edits": [_edit(e) for e in fix.edits],
        },
        "url": rule_url(diagnostic.code),
        "related": [{"path": path, "start": _start(span), "end": _end(span)} for path, span in diagnostic.related],
    }


def dumps(value: object, *, indent: int | None = None, separators: tuple[str, str] | None = None) -> str:
    """JSON with non-ASCII text kept as is, except U+2028/U+2029, which are escaped.

    Those two are valid inside JSON strings but are line breaks to ``str.splitlines`` and
    JavaScript, which would split a json-lines record.
    """
    text = json.dumps(value, ensure_ascii=False, indent=indent, separators=separators)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def statistics(diagnostics: list[Diagnostic]) -> list[dict[str, object]]:
    """Findings per rule, most frequent first (``--statistics``): ``schemas/statistics.schema.json``."""
    return [{"code": r.code, "name": r.name, "count": r.count, "fixable": r.fixable} for r in rule_counts(diagnostics)]


def render(diagnostics: list[Diagnostic], ctx: ReportContext) -> str:
    if ctx.statistics:
        return dumps(statistics(diagnostics), indent=2) + "\n"
    return dumps([finding(d) for d in diagnostics], indent=2) + "\n"
