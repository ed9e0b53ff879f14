"""Applying fixes: non-overlapping edits last-to-first, re-parse, repeat until stable."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from backlog_lint.diagnostics import Diagnostic, Edit
from backlog_lint.errors import FixLoopError
from backlog_lint.source import SourceText

MAX_ROUNDS = 10


@dataclass(slots=True)
class FixResult:
    text: str  # text without BOM, original newlines
    applied: dict[str, int] = field(default_factory=dict)  # code -> count
    remaining: list[Diagnostic] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(self.applied.values())


def apply_edits(st: SourceText, edits: list[tuple[str, Edit]]) -> tuple[str, list[str]]:
    """Apply edits (code, edit) to the text; overlapping later edits are skipped for the next round.

    Returns the new text and the codes whose edits were applied.
    """
    resolved = []
    for code, e in edits:
        start = st.offset(e.span.line, e.span.col)
        end = st.offset(e.span.end_line, e.span.end_col)
        resolved.append((start, end, e.content, code))
    resolved.sort(key=lambda r: (r[0], r[1]))
    chosen: list[tuple[int, int, str, str]] = []
    last_end = -1
    for start, end, content, code in resolved:
        if start < last_end or (start == last_end and chosen and chosen[-1][0] == start == end):
            continue
        chosen.append((start, end, content, code))
        last_end = max(end, start)
    text = st.text
    applied = []
    for start, end, content, code in reversed(chosen):
        text = text[:start] + content + text[end:]
        applied.append(code)
    return text, applied


def fix_text(text: str, lint_text: Callable[[str], list[Diagnostic]], *, unsafe: bool = False) -> FixResult:
    """Lint, apply every applicable fix, re-lint; repeat until no fixable finding is left."""
    result = FixResult(text)
    history: list[str] = [text]
    for _ in range(MAX_ROUNDS):
        diags = lint_text(result.text)
        edits: list[tuple[str, Edit]] = []
        for d in diags:
            if d.fix is None or (not d.fix.safe and not unsafe):
                continue
            # a fix's edits go together: skip the whole fix if any edit overlaps an accepted one
            edits.extend((d.code, e) for e in d.fix.edits)
        if not edits:
            result.remaining = diags
            return result
        st = SourceText.from_text(result.text)
        new_text, applied = apply_edits(st, edits)
        if new_text == result.text:
            result.remaining = diags
            return result
        for code in applied:
            result.applied[code] = result.applied.get(code, 0) + 1
        if new_text in history:
            raise FixLoopError(f"fixes of {', '.join(sorted(set(applied)))} undo each other (a bug in backlog-lint)")
        history.append(new_text)
        result.text = new_text
    codes = sorted({d.code for d in lint_text(result.text) if d.fix is not None})
    raise FixLoopError(f"fixes did not converge after {MAX_ROUNDS} rounds; rules still fixing: {', '.join(codes)} "
                       "(a bug in backlog-lint)")
