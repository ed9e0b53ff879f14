"""Findings and fixes as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from backlog_lint.source import Span


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text in ``span`` with ``content``."""

    span: Span
    content: str

    def __reduce__(self) -> tuple[object, ...]:  # faster to unpickle than a frozen dataclass's state
        return (Edit, (self.span, self.content))

    def to_dict(self) -> dict[str, object]:
        return {**self.span.to_dict(), "content": self.content}


@dataclass(frozen=True, slots=True)
class Fix:
    """Non-overlapping edits that together repair one finding."""

    title: str
    edits: tuple[Edit, ...]
    safe: bool = True

    def __reduce__(self) -> tuple[object, ...]:
        return (Fix, (self.title, self.edits, self.safe))

    @classmethod
    def replace(cls, span: Span, content: str, title: str, *, safe: bool = True) -> Fix:
        return cls(title, (Edit(span, content),), safe)

    def to_dict(self) -> dict[str, object]:
        return {
            "title": self.title,
            "applicability": "safe" if self.safe else "unsafe",
            "edits": [e.to_dict() for e in self.edits],
        }


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: where, which rule, what is wrong, and maybe how to fix it."""

    path: str
    span: Span
    code: str
    name: str
    message: str
    severity: Severity = Severity.WARNING
    fix: Fix | None = None
    related: tuple[tuple[str, Span], ...] = field(default=())

    def __reduce__(self) -> tuple[object, ...]:  # cached findings are unpickled by the ten thousand
        return (Diagnostic, (self.path, self.span, self.code, self.name, self.message, self.severity, self.fix,
                             self.related))

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.span.line, self.span.col, self.code, self.message)

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "message": self.message,
            "severity": self.severity.value,
            "path": self.path,
            "start": {"line": self.span.line, "column": self.span.col},
            "end": {"line": self.span.end_line, "column": self.span.end_col},
            "fix": self.fix.to_dict() if self.fix else None,
            "related": [{"path": p, "line": s.line, "column": s.col} for p, s in self.related],
        }
