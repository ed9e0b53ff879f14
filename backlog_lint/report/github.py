"""``github``: GitHub Actions workflow commands, which the runner turns into annotations.

    ::error file=BACKLOG.md,line=4,col=7,endLine=4,endColumn=9,title=BL301 duplicate-item-id::message

Severities: error -> ``::error``, warning -> ``::warning``, info -> ``::notice``.

Columns: ``col`` is the 1-based first column. ``endColumn`` is written *inclusive*: the
column of the span's last character (our exclusive ``end_col`` minus one), and never less
than ``col`` (the runner rejects ``endColumn < col``), so an empty span is ``col=endColumn``.
GitHub drops ``col``/``endColumn`` (and logs "cannot be set if 'line' and 'endLine' are
different values") when the lines differ, so a multi-line span gets only ``line`` and
``endLine``. A span that ends at column 1 of a line only reaches the line break before it,
so its ``endLine`` is the line before; if that leaves a single line, ``endColumn`` is that
line's length when the source is known and is left out otherwise.

Escaping follows actions/toolkit's ``escapeData`` / ``escapeProperty``.
"""

from __future__ import annotations

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.report._common import ReportContext, last_covered_line, severity_of, source_line

COMMANDS: dict[Severity, str] = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message: ``%`` -> ``%25``, CR -> ``%0D``, LF -> ``%0A``."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: as :func:`escape_data`, and ``:`` -> ``%3A``, ``,`` -> ``%2C``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation_properties(diagnostic: Diagnostic, ctx: ReportContext) -> dict[str, str]:
    """``file``, ``line``, ``col``, ``endLine``, ``endColumn``, ``title`` (unescaped), in that order."""
    span = diagnostic.span
    end_line, end_col = last_covered_line(diagnostic)
    props = {"file": diagnostic.path, "line": str(span.line)}
    if end_line != span.line:
        props["endLine"] = str(end_line)
    else:
        props["col"] = str(span.col)
        props["endLine"] = str(end_line)
        if end_col is None:
            text = source_line(ctx.sources, diagnostic.path, end_line)
            if text is not None:
                props["endColumn"] = str(max(span.col, len(text)))
        else:
            props["endColumn"] = str(max(span.col, end_col - 1))
    props["title"] = f"{diagnostic.code} {diagnostic.name}"
    return props


def command(diagnostic: Diagnostic, ctx: ReportContext) -> str:
    props = annotation_properties(diagnostic, ctx)
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in props.items())
    return f"::{COMMANDS[severity_of(diagnostic)]} {joined}::{escape_data(diagnostic.message)}"


def render(diagnostics: list[Diagnostic], ctx: ReportContext) -> str:
    return "".join(command(d, ctx) + "\n" for d in diagnostics)
