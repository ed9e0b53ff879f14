"""Suppression comments: disable / enable regions, next line, whole file.

The grammar is strict, because a typo must never widen what is hidden:

    <!-- backlog-lint-KIND [CODE[, CODE ...]] [-- reason] -->

KIND is one of ``disable``, ``enable``, ``disable-next-line``, ``disable-file``; a CODE is a
rule code or prefix that names some rule (``BL201``, ``BL2``), in capitals. A comment that
starts with ``backlog-lint`` but is not such a directive (``disable-nextline``, ``bl201``,
``XYZ``) suppresses nothing and is reported (BL007), with what to write instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import get_close_matches

from backlog_lint.diagnostics import Diagnostic
from backlog_lint.model import Document
from backlog_lint.source import Span

PREFIX = "backlog-lint-"
KINDS = ("disable", "enable", "disable-next-line", "disable-file")
# a comment that means to be a directive: it starts with the tool's name
_MEANT_RE = re.compile(r"^backlog[-_ ]?lint\b", re.IGNORECASE)
_DIRECTIVE_RE = re.compile(r"^backlog-lint-(?P<kind>[A-Za-z-]+)(?P<rest>(?:\s.*)?)$", re.DOTALL)
_CODE_RE = re.compile(r"^BL\d{1,3}$")


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
class Invalid:
    """A comment meant as a directive that is not one: it suppresses nothing."""

    span: Span
    message: str


@dataclass(slots=True)
class Suppressions:
    items: list[Suppression] = field(default_factory=list)
    invalid: list[Invalid] = field(default_factory=list)

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


@dataclass(frozen=True, slots=True)
class Directive:
    kind: str
    codes: tuple[str, ...]


def read_directive(body: str) -> Directive | str | None:
    """The directive in a comment's text; a message saying what is wrong with it; or None when the
    comment is not meant as one."""
    text = body.strip()
    if not _MEANT_RE.match(text):
        return None
    m = _DIRECTIVE_RE.match(text)
    kind = m.group("kind") if m else ""
    if kind not in KINDS:
        written = text.split(None, 1)[0]
        tail = written.lower()[len(PREFIX):] if written.lower().startswith(PREFIX) else written.lower()
        close = get_close_matches(tail, KINDS, n=1, cutoff=0.6)  # the shared prefix would make every kind close
        every = ", ".join(PREFIX + k for k in KINDS)
        hint = f"did you mean {PREFIX + close[0]!r}?" if close else f"write one of {every}"
        return f"{written!r} is not a backlog-lint directive, so it suppresses nothing: {hint}"
    assert m is not None
    rest = m.group("rest")
    codes_text, _sep, _reason = rest.partition("--")
    codes = tuple(c for c in re.split(r"[\s,]+", codes_text) if c)
    for code in codes:
        problem = _code_problem(code)
        if problem:
            return f"{problem}, so this {PREFIX}{kind} comment suppresses nothing"
    return Directive(kind, codes)


def _code_problem(code: str) -> str | None:
    from backlog_lint.selection import matches_no_rule

    if _CODE_RE.match(code) and not matches_no_rule(code):
        return None
    if _CODE_RE.match(code.upper()) and not matches_no_rule(code.upper()):
        return f"rule codes are written in capitals: {code.upper()!r}, not {code!r}"
    return f"{code!r} is not a rule code (`backlog-lint rule --all` lists them)"


def parse(doc: Document) -> Suppressions:
    out = Suppressions()
    last = max(len(doc.source.lines), 1)
    open_regions: list[Suppression] = []
    for span, body in sorted(doc.html_comments, key=lambda c: (c[0].line, c[0].col)):
        directive = read_directive(body)
        if directive is None:
            continue
        if isinstance(directive, str):
            out.invalid.append(Invalid(span, directive))
            continue
        kind, codes = directive.kind, directive.codes
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
