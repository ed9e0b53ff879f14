"""``junit``: JUnit XML for CI test-report views (GitLab, Jenkins, Azure, ...).

One ``<testsuite name="backlog-lint">`` with one ``<testcase name="{path}" classname="backlog-lint">``
per file: first every file of ``checked_files`` (in that order; a clean one is a passing
test case), then any other file with findings (in order of first appearance). Each finding is
a ``<failure message="{message}" type="{code}">path:line:col: CODE message</failure>`` in its
file's test case, except info findings: like ``check``'s exit code, they do not fail, and
are listed as ``path:line:col: CODE message`` lines in the test case's ``<system-out>``.
``tests`` counts test cases and ``failures`` the failing ones (JUnit's meaning), not findings.

Characters XML 1.0 cannot carry (most C0 controls, lone surrogates, U+FFFE/U+FFFF) are
written as ``\\xNN``/``\\uNNNN`` escapes, so the file always parses.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.report._common import TOOL_NAME, ReportContext, severity_of

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _escape_invalid(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def xml_text(text: str) -> str:
    """``text`` without characters XML 1.0 forbids; CR/CRLF become LF (as XML parsing would)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _INVALID_XML.sub(_escape_invalid, text)


def _line(d: Diagnostic) -> str:
    return f"{d.path}:{d.span.line}:{d.span.col}: {d.code} {d.message}"


def _fails(d: Diagnostic) -> bool:
    return severity_of(d) is not Severity.INFO


def render(diagnostics: list[Diagnostic], ctx: ReportContext) -> str:
    by_path: dict[str, list[Diagnostic]] = {path: [] for path in ctx.checked_files or ()}
    for d in diagnostics:
        by_path.setdefault(d.path, []).append(d)
    failing = sum(1 for found in by_path.values() if any(_fails(d) for d in found))
    counts = {"tests": str(len(by_path)), "failures": str(failing), "errors": "0"}

    root = ET.Element("testsuites", {"name": TOOL_NAME, **counts})
    suite = ET.SubElement(root, "testsuite", {"name": TOOL_NAME, **counts, "skipped": "0"})
    for path, found in by_path.items():
        case = ET.SubElement(suite, "testcase", {"name": xml_text(path), "classname": TOOL_NAME})
        for d in found:
            if _fails(d):
                failure = ET.SubElement(case, "failure", {"message": xml_text(d.message), "type": d.code})
                failure.text = xml_text(_line(d))
        notes = [_line(d) for d in found if not _fails(d)]
        if notes:
            ET.SubElement(case, "system-out").text = xml_text("\n".join(notes))
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
