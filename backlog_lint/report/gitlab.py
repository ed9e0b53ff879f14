"""``gitlab``: a GitLab Code Quality report (the subset of Code Climate's format GitLab reads).

GitLab shows only a finding's first line (``location.lines.begin``). Severities: error ->
``major``, warning -> ``minor``, info -> ``info``. The ``fingerprint`` is the same stable
sha256 as SARIF's ``partialFingerprints`` (code, path, normalised line text, occurrence), so
GitLab does not report a finding as fixed-and-new when lines move.
"""

from __future__ import annotations

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.report._common import ReportContext, fingerprints, posix_path, severity_of
from backlog_lint.report.json_array import dumps

SEVERITIES: dict[Severity, str] = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def render(diagnostics: list[Diagnostic], ctx: ReportContext) -> str:
    issues = [
        {
            "description": f"{d.code} {d.message}",
            "check_name": d.code,
            "fingerprint": fingerprint,
            "severity": SEVERITIES[severity_of(d)],
            "location": {"path": posix_path(d.path), "lines": {"begin": d.span.line}},
        }
        for d, fingerprint in zip(diagnostics, fingerprints(diagnostics, ctx.sources), strict=True)
    ]
    return dumps(issues, indent=2) + "\n"
