"""``sarif``: a SARIF 2.1.0 log with one run, for GitHub code scanning and other SARIF viewers.

Regions use SARIF's own convention, which is the tool's: 1-based ``startLine``/``startColumn``,
and ``endColumn`` is the column just after the region (exclusive). The run declares
``columnKind: unicodeCodePoints`` because columns count code points (SARIF's default is
UTF-16 code units). Artifact URIs are relative, with forward slashes and percent-encoding,
against ``uriBaseId: %SRCROOT%``; an absolute path becomes a ``file://`` URI.

The other places a finding involves (the first definition of a duplicate ID, the rest of a
cycle) are ``relatedLocations``, and a fix is a ``fixes`` entry whose replacements delete a
region and insert text (an insertion deletes an empty region), as SARIF 2.1.0 §3.55 has it.

``tool.driver.rules`` lists only the rules that have findings, sorted by code, with the
rule's explanation (Markdown) as ``fullDescription`` and ``help``; a rule's
``defaultConfiguration.level`` is the level of its first finding (``RuleInfo`` carries no
default severity). Each result's ``partialFingerprints["backlogLint/v1"]`` is a sha256 over
code, path, the finding's normalised first source line and its occurrence index (see
:func:`backlog_lint.report._common.fingerprints`), so it does not change when lines move.
"""

from __future__ import annotations

from pathlib import PurePath
from urllib.parse import quote

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.report._common import (
    REPO_URL,
    TOOL_NAME,
    ReportContext,
    fingerprints,
    posix_path,
    rule_url,
    severity_of,
)
from backlog_lint.report.json_array import dumps
from backlog_lint.source import Span

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "backlogLint/v1"
LEVELS: dict[Severity, str] = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def artifact_location(path: str) -> dict[str, str]:
    """A SARIF ``artifactLocation`` for ``path``: relative to ``%SRCROOT%`` unless absolute."""
    pure = PurePath(path)
    if pure.is_absolute():
        return {"uri": pure.as_uri()}
    uri = posix_path(path)
    while uri.startswith("./"):
        uri = uri[2:]
    return {"uri": quote(uri, safe="/"), "uriBaseId": "%SRCROOT%"}


def _region(span: Span) -> dict[str, int]:
    return {"startLine": span.line, "startColumn": span.col, "endLine": span.end_line, "endColumn": span.end_col}


def _related(d: Diagnostic) -> list[dict[str, object]]:
    return [{"id": n, "physicalLocation": {"artifactLocation": artifact_location(path), "region": _region(span)},
             "message": {"text": f"related location ({d.code} {d.name})"}}
            for n, (path, span) in enumerate(d.related, 1)]


def _fixes(d: Diagnostic) -> list[dict[str, object]]:
    if d.fix is None:
        return []
    safety = "" if d.fix.safe else " (unsafe: review before applying)"
    return [{
        "description": {"text": d.fix.title + safety},
        "artifactChanges": [{
            "artifactLocation": artifact_location(d.path),
            "replacements": [{"deletedRegion": _region(e.span), "insertedContent": {"text": e.content}}
                             for e in d.fix.edits],
        }],
    }]


def _rule(code: str, first: Diagnostic, ctx: ReportContext) -> dict[str, object]:
    info = ctx.rules.get(code)
    name = info.name if info else first.name
    summary = (info.summary if info else "") or name
    explanation = (info.explanation if info else "") or summary
    return {
        "id": code,
        "name": name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": explanation},
        "help": {"text": explanation, "markdown": explanation},  # GitHub shows help.markdown with an alert
        "helpUri": rule_url(code),
        "defaultConfiguration": {"level": LEVELS[severity_of(first)]},
    }


def sarif_log(diagnostics: list[Diagnostic], ctx: ReportContext) -> dict[str, object]:
    first_of: dict[str, Diagnostic] = {}
    for d in diagnostics:
        first_of.setdefault(d.code, d)
    codes = sorted(first_of)
    index = {code: i for i, code in enumerate(codes)}
    prints = fingerprints(diagnostics, ctx.sources)
    results = []
    for d, fingerprint in zip(diagnostics, prints, strict=True):
        result: dict[str, object] = {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": LEVELS[severity_of(d)],
            "message": {"text": d.message},
            "locations": [
                {"physicalLocation": {"artifactLocation": artifact_location(d.path), "region": _region(d.span)}}
            ],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        }
        if d.related:
            result["relatedLocations"] = _related(d)
        if d.fix is not None:
            result["fixes"] = _fixes(d)
        results.append(result)
    driver = {
        "name": TOOL_NAME,
        "version": ctx.tool_version,
        "informationUri": REPO_URL,
        "rules": [_rule(code, first_of[code], ctx) for code in codes],
    }
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}],
    }


def render(diagnostics: list[Diagnostic], ctx: ReportContext) -> str:
    return dumps(sarif_log(diagnostics, ctx), indent=2) + "\n"
