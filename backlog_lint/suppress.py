"""Suppression comments: disable / enable regions, next line, whole file."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from backlog_lint.diagnostics import Diagnostic
from backlog_lint.model import Document
from backlog_lint.source import Span

_DIRECTIVE_RE = re.compile(
    r"^backlog-lint-(?P<kind>disable-next-line|disable-file|disable|enable)\b(?P<codes>[^-]*(?:-(?!-)[^-]*)*)"
    r"(?:--\s*(?P<reason>.*))?$",
    re.DOTALL,
)
_CODE_RE = re.compile(r"\bBL\d{1,3}\b")


@dataclass(slots=True)
class Suppression:
    kind: str  # disable | disable-next-line | disable-file
    codes: tuple[str, ...]  # empty = every rule
    span: Span  # the comment
    start: int  # first suppressed line
    end: int  # last suppressed line (inclusive)
    used: bool = False

    def covers(self, d: Diagnostic) -> bool:
        if not (self.start <= d.span.line <= self.end):
            return False
        return not self.codes or any(d.code.startswith(c) for c in self.codes)


@dataclass(slots=True)
class Suppressions:
    items: list[Suppression] = field(default_factory=list)

    def filter(self, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
        kept = []
        for d in diagnostics:
            hit = False
            for s in self.items:
                if s.covers(d):
                    s.used = True
                    hit = True
            if not hit:
                kept.append(d)
        return kept


def parse(doc: Document) -> Suppressions:
    out = Suppressions()
    last = max(len(doc.source.lines), 1)
    open_regions: list[Suppression] = []
    for span, body in sorted(doc.html_comments, key=lambda c: (c[0].line, c[0].col)):
        m = _DIRECTIVE_RE.match(body.strip())
        if not m:
            continue
        kind = m.group("kind")
        codes = tuple(_CODE_RE.findall(m.group("codes") or ""))
        if kind == "disable-next-line":
            nxt = span.end_line + 1
            lines = doc.source.lines
            while nxt <= last and not lines[nxt - 1].strip():
                nxt += 1
            out.items.append(Suppression(kind, codes, span, nxt, nxt))
        elif kind == "disable-file":
            out.items.append(Suppression(kind, codes, span, 1, last))
        elif kind == "disable":
            s = Suppression(kind, codes, span, span.line, last)
            open_regions.append(s)
            out.items.append(s)
        elif kind == "enable":
            for s in reversed(open_regions):
                if not codes or set(codes) & set(s.codes) or not s.codes:
                    s.end = span.line
                    open_regions.remove(s)
                    break
    return out
