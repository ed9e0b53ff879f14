"""BL311 count-claim."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.ids import ENTRY_ID_RE
from backlog_lint.model import Document
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

# "**Total Tasks**: 47", "- Total tasks: 110 tasks"
_TOTAL_RE = re.compile(r"^\W*total\s+tasks\W*:?\W*(?P<n>\d{1,5})(?P<plus>\+)?(?!\s*[-–/%.\d])", re.IGNORECASE)
# "42 tasks marked [P]", "28 parallelizable tasks marked with [P]", "160+ tasks marked [P]", "[P] marker: 45 tasks"
_MARKED_RE = re.compile(
    r"(?P<n>\d{1,5})(?P<plus>\+)?\s+(?:[\w-]+\s+)?tasks?\s+(?:are\s+)?(?:marked|tagged|flagged)\s+(?:with\s+)?"
    r"\[(?P<m>[A-Za-z]{1,4})\]"
    r"|\[(?P<m2>[A-Za-z]{1,4})\]\s+marker\W*(?P<n2>\d{1,5})(?P<plus2>\+)?\s+tasks?",
    re.IGNORECASE,
)
# "47 sub-tasks", "12 subtasks": the entries numbered under a task (`- [ ] 3.2 ...`)
_SUBTASKS_RE = re.compile(r"(?<![\d.])(?P<n>\d{1,5})(?P<plus>\+)?\s*sub-?\s?tasks?\b", re.IGNORECASE)
_OUTLINE_ENTRY_RE = re.compile(r"^\d{1,4}(?:\.\d{1,4})+\*?\s")
_SCOPED_RE = re.compile(r"\b(?:phase|story|stories|within|setup|per|each|all)\b", re.IGNORECASE)
_ENTRY_RE = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+\[[ xX]\]\s+(?P<text>\S.*)$")


@rule("BL311", "count-claim", severity=Severity.WARNING, per_file=True)
def count_claim(ctx: Context) -> Iterator[Diagnostic]:
    """A count of the file's tasks that the task list contradicts.

    ## What it does
    Reads the counts a task file states about itself - `Total Tasks: 47`, `42
    tasks marked [P]`, `[P] marker: 45 tasks` - and counts the checklist
    entries that carry a task ID (`- [ ] T012 [P] ...`), and among them those
    with the marker. A count that differs (or a `160+` the list does not reach)
    is reported; a count of one part of the list (`Setup (Phase 1): all 6 tasks
    marked [P]`) is left alone. `47 sub-tasks` is compared with the entries
    numbered under a task (`- [x] 3.2 ...`), when it is near the list's size (a
    number under half or over twice it counts something else).

    ## Why is this bad?
    Summaries are read for planning ("how much is left, how much can run in
    parallel"); one written before the list changed misleads every reader.

    ## Example
    ```markdown
    **Total Tasks**: 4

    - [ ] T001 [P] Create the project
    - [ ] T002 Write the parser
    - [ ] T003 Write the formatter
    ```

    ## Use instead
    ```markdown
    **Total Tasks**: 3

    - [ ] T001 [P] Create the project
    - [ ] T002 Write the parser
    - [ ] T003 Write the formatter
    ```

    ## Fix
    Not fixable: correct the count (or the list).
    """
    for doc in ctx.documents():
        text = doc.source.text
        if "otal" not in text and "[" not in text:  # every claim this rule checks needs one or the other
            continue
        entries, others = _split_lines(doc)
        tasks = [t for t in entries if ENTRY_ID_RE.match(t)]
        numbered = sum(1 for t in entries if _OUTLINE_ENTRY_RE.match(t))
        for n, line in others:
            if numbered >= 3:
                yield from _subtask_claims(ctx, doc, n, line, numbered)
            if len(tasks) < 3:
                continue
            m = _TOTAL_RE.match(line)
            if m:
                yield from _compare(ctx, doc, n, m, int(m.group("n")), bool(m.group("plus")), len(tasks), "tasks")
            for mm in _MARKED_RE.finditer(line):
                if _SCOPED_RE.search(line[: mm.start()]):
                    continue  # "Setup (Phase 1): all 6 tasks marked [P]": a count of one part of the list
                marker = mm.group("m") or mm.group("m2")
                claimed = int(mm.group("n") or mm.group("n2"))
                plus = bool(mm.group("plus") or mm.group("plus2"))
                actual = sum(1 for t in tasks if f"[{marker.casefold()}]" in t.casefold())
                if actual:
                    yield from _compare(ctx, doc, n, mm, claimed, plus, actual, f"tasks marked [{marker}]")


def _split_lines(doc: Document) -> tuple[list[str], list[tuple[int, str]]]:
    """The text of every checklist entry outside code, and the other lines outside code (where claims are)."""
    entries: list[str] = []
    others: list[tuple[int, str]] = []
    for n, line in enumerate(doc.source.lines, 1):
        if n in doc.code_lines:
            continue
        m = _ENTRY_RE.match(line)
        if m:
            entries.append(m.group("text"))
        else:
            others.append((n, line))
    return entries, others


def _subtask_claims(ctx: Context, doc: Document, n: int, line: str, numbered: int) -> Iterator[Diagnostic]:
    """`47 sub-tasks` against the checklist entries numbered under a task (`- [x] 3.2 ...`, `- [ ] 12.7* ...`).
    A number far from the list's size (under half, over twice) counts something else ("a task with 3
    subtasks" in a feature's description), and a scoped count (`Phase 2: 5 sub-tasks`) one part of it."""
    for mm in _SUBTASKS_RE.finditer(line):
        claimed = int(mm.group("n"))
        if not _SCOPED_RE.search(line[: mm.start()]) and numbered / 2 <= claimed <= numbered * 2:
            yield from _compare(ctx, doc, n, mm, claimed, bool(mm.group("plus")), numbered, "sub-tasks")


def _compare(ctx: Context, doc: Document, n: int, m: re.Match[str], claimed: int, plus: bool, actual: int,
             what: str) -> Iterator[Diagnostic]:
    if actual == claimed or (plus and actual >= claimed):
        return
    shown = f"{claimed}+" if plus else str(claimed)
    span = Span(n, m.start() + 1, n, m.end() + 1)
    if claimed == 1 and not plus:
        what = what.replace("tasks", "task", 1)
    yield ctx.report(doc, span, f"the file claims {shown} {what}, but its checklist has {actual}: correct the count")
