"""``markdown``: a summary for ``$GITHUB_STEP_SUMMARY`` or a pull-request comment.

A heading, a sentence with the totals, a table of counts per rule (most frequent first) and
a table of findings whose location links to ``path#Lline`` (``#Lstart-Lend`` for a
multi-line span): relative to where the Markdown is shown, or under ``link_base`` when the
caller gives one (in GitHub Actions, ``$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/$GITHUB_SHA/``,
since a relative link resolves against the run page or the comment, where no file is). Text from findings is escaped so
that it renders as written: Markdown punctuation gets a backslash (``|`` included, as GFM
tables need), line breaks become ``<br>``, and ``@handles`` go in code spans so that a
comment does not notify anyone; `code spans` in messages (one line, balanced backticks)
are kept as code, since they cannot carry markup. At most ``MAX_ROWS`` findings are listed (a GitHub comment
holds 65,536 characters); a final line says how many were left out.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from backlog_lint.diagnostics import Diagnostic
from backlog_lint.report._common import (
    TOOL_NAME,
    ReportContext,
    fixable_note,
    last_covered_line,
    one_line,
    plural,
    posix_path,
    rule_counts,
    rule_url,
    severity_of,
)

MAX_ROWS = 200

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&$])")
_LINE_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029")
_MENTION = r"(?<![\w@`])@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:/[A-Za-z0-9._-]+)?"
_CODE_SPAN = r"`[^`\r\n\u2028\u2029]+`"
_VERBATIM = re.compile(f"(?P<code>{_CODE_SPAN})|(?P<mention>{_MENTION})")


def _escape_plain(text: str) -> str:
    return "<br>".join(_SPECIAL.sub(r"\\\1", one_line(part)) for part in _LINE_BREAK.split(text))


def escape(text: str) -> str:
    """``text`` as Markdown that renders literally, fit for one GFM table cell."""
    out: list[str] = []
    pos = 0
    for match in _VERBATIM.finditer(text):
        out.append(_escape_plain(text[pos : match.start()]))
        if match.group("code"):
            out.append(one_line(match.group()).replace("|", "\\|"))
        else:
            out.append(f"`{match.group()}`")
        pos = match.end()
    out.append(_escape_plain(text[pos:]))
    return "".join(out)


def location_link(diagnostic: Diagnostic, link_base: str = "") -> str:
    line = diagnostic.span.line
    last, _ = last_covered_line(diagnostic)
    anchor = f"#L{line}-L{last}" if last > line else f"#L{line}"
    target = link_base + quote(posix_path(diagnostic.path), safe="/") + anchor
    return f"[{escape(diagnostic.path)}:{line}]({target})"


def render(diagnostics: list[Diagnostic], ctx: ReportContext) -> str:
    parts = [f"## {TOOL_NAME}"]
    if not diagnostics:
        parts.append("No problems found.")
        return "\n\n".join(parts) + "\n"

    files = len({d.path for d in diagnostics})
    extra = fixable_note(diagnostics, "`--fix`", "`--unsafe-fixes`")
    parts.append(f"Found {plural(len(diagnostics), 'problem')} in {plural(files, 'file')}{extra}.")

    counts = ["| Rule | Name | Count |", "| --- | --- | ---: |"]
    counts += [f"| [{r.code}]({rule_url(r.code)}) | {escape(r.name)} | {r.count} |" for r in rule_counts(diagnostics)]
    parts.append("\n".join(counts))

    rows = ["| Location | Rule | Severity | Message |", "| --- | --- | --- | --- |"]
    rows += [
        f"| {location_link(d, ctx.link_base)} | {escape(d.code)} | {severity_of(d).value} | {escape(d.message)} |"
        for d in diagnostics[:MAX_ROWS]
    ]
    parts.append("\n".join(rows))
    if len(diagnostics) > MAX_ROWS:
        parts.append(f"Only the first {MAX_ROWS} of {len(diagnostics)} problems are listed here; run "
                     f"`{TOOL_NAME}` to see them all.")
    return "\n\n".join(parts) + "\n"
