"""Findings as LSP diagnostics: range, severity, code with a link to the rule's page, and the
other places a cross-file finding is about as related locations."""

from __future__ import annotations

from collections.abc import Callable

from lsprotocol import types

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.lsp.positions import span_range
from backlog_lint.report._common import rule_url
from backlog_lint.source import SourceText

SOURCE = "backlog-lint"

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}

# where another file's finding points: its URI and text (None when it is not in the project)
Locator = Callable[[str], tuple[str, SourceText] | None]


def to_lsp(finding: Diagnostic, st: SourceText, locate: Locator, encoding: str) -> types.Diagnostic:
    """One finding of the document whose text is ``st``."""
    related = []
    for path, span in finding.related:
        where = locate(path)
        if where is None:
            continue
        uri, other = where
        related.append(types.DiagnosticRelatedInformation(
            types.Location(uri, span_range(other, span, encoding)), "the other place this finding is about"))
    return types.Diagnostic(
        range=span_range(st, finding.span, encoding),
        message=finding.message,
        severity=_SEVERITY.get(Severity(finding.severity), types.DiagnosticSeverity.Warning),
        code=finding.code,
        code_description=types.CodeDescription(href=rule_url(finding.code)),
        source=SOURCE,
        related_information=related or None,
    )


def same_place(finding: Diagnostic, diagnostic: types.Diagnostic, st: SourceText, encoding: str) -> bool:
    """Whether an LSP diagnostic (sent back by the client in a code action request) is this finding."""
    return diagnostic.code == finding.code and diagnostic.range == span_range(st, finding.span, encoding) \
        and diagnostic.message == finding.message
