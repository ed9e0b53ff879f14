"""Helpers shared by the report formats: context, styling, summaries, escaping, fingerprints."""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING

from backlog_lint.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from backlog_lint.report import RuleInfo

TOOL_NAME = "backlog-lint"
REPO_URL = "https://github.com/backlog-lint/backlog-lint"
RULE_URL = REPO_URL + "/blob/main/docs/rules/{code}.md"


@dataclass(frozen=True)
class ReportContext:
    """Everything :func:`backlog_lint.report.render` was given besides the findings."""

    rules: Mapping[str, RuleInfo]
    sources: Mapping[str, Sequence[str]]
    color: bool
    show_fixes: bool
    fixed: Mapping[str, int]
    statistics: bool
    tool_version: str
    checked_files: Sequence[str] | None
    link_base: str = ""  # prefix of the markdown format's links to files ("" = relative links)


def rule_url(code: str) -> str:
    return RULE_URL.format(code=code)


def severity_of(diagnostic: Diagnostic) -> Severity:
    return Severity(diagnostic.severity)


def has_safe_fix(diagnostic: Diagnostic) -> bool:
    return diagnostic.fix is not None and diagnostic.fix.safe


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def posix_path(path: str) -> str:
    """The path with forward slashes (backslashes are separators only on Windows)."""
    return PurePath(path).as_posix() if path else path


# --- terminal styling ---------------------------------------------------------------------

_RESET = "\x1b[0m"
_SEVERITY_SGR = {Severity.ERROR: "1;31", Severity.WARNING: "1;33", Severity.INFO: "1;36"}


class Style:
    """ANSI SGR styling that is a no-op when color is off."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def sgr(self, text: str, params: str) -> str:
        if not self.enabled or not text:
            return text
        return f"\x1b[{params}m{text}{_RESET}"

    def bold(self, text: str) -> str:
        return self.sgr(text, "1")

    def severity(self, text: str, severity: Severity) -> str:
        return self.sgr(text, _SEVERITY_SGR[Severity(severity)])

    def gutter(self, text: str) -> str:
        return self.sgr(text, "1;34")


# --- text escaping --------------------------------------------------------------------------

BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _needs_escape(ch: str) -> bool:
    if ch == "\t":
        return False
    return ch in BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Zl", "Zp")


def one_line(text: str) -> str:
    """``text`` made safe for one line of terminal output.

    Line breaks and other control characters (ANSI escapes, bidi overrides) that a message may
    quote from a file are shown as Python-style escapes (``\\n``, ``\\x1b``, ``\\u202e``);
    everything else, including non-ASCII text, is kept.
    """
    if text.isprintable():
        return text
    out: list[str] = []
    for ch in text:
        if not _needs_escape(ch):
            out.append(ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x100:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(f"\\u{ord(ch):04x}")
    return "".join(out)


# --- shared pieces of the human formats -----------------------------------------------------


def fix_mark(diagnostic: Diagnostic) -> str:
    """``"[*] "`` when the finding has a safe fix (what ``--fix`` applies), else ``""``."""
    return "[*] " if has_safe_fix(diagnostic) else ""


def header(diagnostic: Diagnostic, style: Style) -> str:
    """``path:line:col: CODE [*] message``: the concise format's line, the full format's header."""
    span = diagnostic.span
    path = style.bold(one_line(diagnostic.path))
    code = style.severity(diagnostic.code, severity_of(diagnostic))
    return f"{path}:{span.line}:{span.col}: {code} {fix_mark(diagnostic)}{one_line(diagnostic.message)}"


@dataclass(frozen=True)
class RuleCount:
    code: str
    name: str
    count: int
    fixable: bool  # some finding of this rule has a safe fix


def rule_counts(diagnostics: Iterable[Diagnostic]) -> list[RuleCount]:
    """Findings per rule, most frequent first, then by code (like ``ruff --statistics``)."""
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    fixable: set[str] = set()
    for d in diagnostics:
        counts[d.code] += 1
        names.setdefault(d.code, d.name)
        if has_safe_fix(d):
            fixable.add(d.code)
    ordered = sorted(counts, key=lambda code: (-counts[code], code))
    return [RuleCount(code, names[code], counts[code], code in fixable) for code in ordered]


def statistics_lines(diagnostics: Sequence[Diagnostic], style: Style) -> list[str]:
    """``count<TAB>code<TAB>[*] name`` rows, columns padded; the fix column only if any is fixable."""
    rows = rule_counts(diagnostics)
    if not rows:
        return []
    count_width = max(len(str(r.count)) for r in rows)
    code_width = max(len(r.code) for r in rows)
    any_fixable = any(r.fixable for r in rows)
    lines = []
    for r in rows:
        mark = ("[*] " if r.fixable else "[ ] ") if any_fixable else ""
        count = style.bold(str(r.count).rjust(count_width))
        code = style.sgr(r.code, "1;31") + " " * (code_width - len(r.code))
        lines.append(f"{count}\t{code}\t{mark}{r.name}")
    return lines


def summary_text(diagnostics: Sequence[Diagnostic], ctx: ReportContext, style: Style) -> str:
    """The closing lines of the human formats.

    ``Found N problems (M fixable with --fix, U more with --unsafe-fixes).`` (the parenthesis
    says only what applies), or ``All checks passed!``. When fixes were applied:
    ``Found N problems (F fixed, R remaining).``, and with ``show_fixes`` before it
    ``Fixed F problems:`` and one ``- path: K fixes`` line per file. When the checked files are
    known, a last line says how many: ``Checked 3 files.``
    """
    remaining = len(diagnostics)
    fixed_per_path = {path: n for path, n in ctx.fixed.items() if n > 0}
    fixed_total = sum(fixed_per_path.values())
    total = remaining + fixed_total
    parts: list[str] = []
    if ctx.show_fixes and fixed_total:
        listing = [f"Fixed {plural(fixed_total, 'problem')}:"]
        listing += [f"- {style.bold(one_line(p))}: {plural(n, 'fix', 'fixes')}" for p, n in fixed_per_path.items()]
        parts.append("\n".join(listing))
    if total == 0:
        parts.append("All checks passed!")  # never colored: `check --quiet` strips this line by its text
    elif fixed_total:
        parts.append(f"Found {plural(total, 'problem')} ({fixed_total} fixed, {remaining} remaining).")
    else:
        parts.append(f"Found {plural(total, 'problem')}{fixable_note(diagnostics, '--fix', '--unsafe-fixes')}.")
    if ctx.checked_files is not None:  # never silent on how much was looked at
        parts[-1] += f"\nChecked {plural(len(ctx.checked_files), 'file')}."
    return "\n\n".join(parts)


def fixable_note(diagnostics: Iterable[Diagnostic], fix_flag: str, unsafe_flag: str) -> str:
    """`` (2 fixable with --fix, 1 more with --unsafe-fixes)``, or ``""`` when nothing is fixable."""
    safe = unsafe = 0
    for d in diagnostics:
        if d.fix is not None:
            safe += int(d.fix.safe)
            unsafe += int(not d.fix.safe)
    notes = []
    if safe:
        notes.append(f"{safe} fixable with {fix_flag}")
    if unsafe:
        notes.append(f"{unsafe} more with {unsafe_flag}" if safe else f"{unsafe} fixable with {fix_flag} {unsafe_flag}")
    return f" ({', '.join(notes)})" if notes else ""


def finish(body: str, diagnostics: Sequence[Diagnostic], ctx: ReportContext, style: Style) -> str:
    """``body``, a blank line, then the summary (just the summary when ``body`` is empty)."""
    summary = summary_text(diagnostics, ctx, style)
    return f"{body}\n\n{summary}\n" if body else f"{summary}\n"  # one copy of a body that can be megabytes


def statistics_report(diagnostics: Sequence[Diagnostic], ctx: ReportContext, style: Style) -> str:
    return finish("\n".join(statistics_lines(diagnostics, style)), diagnostics, ctx, style)


# --- fingerprints ---------------------------------------------------------------------------


def source_line(sources: Mapping[str, Sequence[str]], path: str, line: int) -> str | None:
    lines = sources.get(path)
    if lines is None or not 1 <= line <= len(lines):
        return None
    return lines[line - 1]


FINGERPRINT_VERSION = "backlog-lint/v1"


def fingerprints(diagnostics: Sequence[Diagnostic], sources: Mapping[str, Sequence[str]]) -> list[str]:
    """A stable id per finding that survives edits elsewhere in the file.

    Hex sha256 over: a version tag, code, path (forward slashes), the text of the finding's first
    line with whitespace collapsed (empty when the source is unknown), and how many earlier
    findings (in the order given) had the same code, path and line text. Line and column
    numbers are left out, so findings keep their fingerprint when lines are added above them.
    The SARIF and GitLab formats use the same value.
    """
    import hashlib

    seen: Counter[tuple[str, str, str]] = Counter()
    out = []
    for d in diagnostics:
        text = source_line(sources, d.path, d.span.line) or ""
        key = (d.code, posix_path(d.path), " ".join(text.split()))
        occurrence = seen[key]
        seen[key] += 1
        payload = "\0".join((FINGERPRINT_VERSION, *key, str(occurrence)))
        out.append(hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest())
    return out


def last_covered_line(diagnostic: Diagnostic) -> tuple[int, int | None]:
    """(last line the span covers, exclusive end column there or None for "to the end").

    A multi-line span that ends at column 1 only covers the line break before its end
    line, so it covers the line before, to its end.
    """
    span = diagnostic.span
    if span.end_line > span.line and span.end_col <= 1:
        return span.end_line - 1, None
    return span.end_line, span.end_col
