"""BL406 progress-claim."""

from __future__ import annotations

import re
from collections.abc import Container, Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.ids import normalise_id
from backlog_lint.model import Document, IndexRow, Item, Task
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span
from backlog_lint.workspace.naming import id_label, item_name
from backlog_lint.workspace.status import is_completed, live_tasks, open_tasks, qualified_done, task_open

# "2/2 plans complete", "(5/5 done)", "100 %", "100% complete", "all tasks done"
_CLAIM_RE = re.compile(
    r"(?P<frac>\b(?P<a>\d{1,4})\s*/\s*(?P<b>\d{1,4})\b(?:\s+(?:\w+\s+)?(?:complete[d]?|done|finished|tasks?|plans?))?)"
    r"|(?P<pct>\b100\s?%(?P<pctword>\s+(?:complete[d]?|done|finished))?)"
    r"|(?P<all>\ball\s+(?:\w+\s+)?(?:tasks?|plans?|items?|steps?)\s+(?:are\s+)?(?:complete[d]?|done|finished)\b)",
    re.IGNORECASE,
)


@rule("BL406", "progress-claim", severity=Severity.WARNING, per_file=True)
def progress_claim(ctx: Context) -> Iterator[Diagnostic]:
    """A progress claim ("2/2 complete", "100 %") contradicted by open checkboxes.

    ## What it does
    Reads the progress an item claims on its heading or in its body (`N/N`
    plans complete, `Progress: 100 %`, "all tasks done", or an `N/M` count), or
    a progress table of its file claims for it (`| 1. Parser | 3/4 | ... |`),
    and compares it with its checklist: a claim that everything is done over
    unchecked boxes, a count of done tasks that differs from the boxes that are
    checked. A checked
    "All tasks completed" entry below open tasks is reported too.

    ## Why is this bad?
    Summaries are what people read; a claim the checklist below contradicts
    sends them the wrong way, one way or the other.

    ## Example
    ```markdown
    ### Phase 2: Parser (2/2 plans complete)
    - [x] 02-01: Block pass
    - [ ] 02-02: Inline pass
    ```

    ## Use instead
    ```markdown
    ### Phase 2: Parser (1/2 plans complete)
    - [x] 02-01: Block pass
    - [ ] 02-02: Inline pass
    ```

    ## Fix
    Not fixable: tick what is done, or correct the claim.
    """
    for doc in ctx.documents():
        lines = doc.source.lines
        task_lines = {t.span.line for it in doc.items for t in it.all_tasks()}
        yield from _ticked_summary(ctx, doc)
        if doc.index:
            yield from _index_counts(ctx, doc)
        for item in doc.items:
            if not item.tasks:
                continue
            live = live_tasks(item)
            pending = open_tasks(item)
            if not live:
                continue
            for n, text, col in _claim_places(item, lines, doc.code_lines, task_lines):
                m = _CLAIM_RE.search(text)
                if m is None or (n != item.title_span.line and not _worded(m) and not _LABELLED_RE.search(text)):
                    continue
                done_claimed = None
                if m.group("frac"):
                    a, b = int(m.group("a")), int(m.group("b"))
                    if b == 0 or a > b or b != len(live):
                        continue  # not a count of these tasks
                    done_claimed = a
                else:
                    done_claimed = len(live)
                checked = len(live) - len(pending)
                if done_claimed == checked:
                    continue
                span = Span(n, col + m.start() + 1, n, col + m.end() + 1)
                first = f" (first open: line {pending[0].span.line})" if pending else ""
                yield ctx.report(doc, span,
                                 f"{item_name(item)} claims {m.group().strip()!r} but {checked} of its {len(live)} "
                                 f"tasks are checked{first}: tick what is done or correct the claim")
                break


def _claim_places(item: Item, lines: list[str], code: Container[int],
                  task_lines: set[int]) -> Iterator[tuple[int, str, int]]:
    """(line, text, column offset) where an item states its progress: its title line, then its body's lines
    that are not tasks or code (`**Plans:** 2/2 plans complete`)."""
    ts = item.title_span
    if ts.line == ts.end_line and 0 < ts.line <= len(lines):
        yield ts.line, lines[ts.line - 1], 0
    if item.kind not in ("heading", "document"):
        return
    for n in range(item.span.line + 1, min(item.span.end_line, len(lines)) + 1):
        if n not in code and n not in task_lines and n != ts.line:
            yield n, lines[n - 1], 0


# "**Progress:** 100%", "Completion: 5/5"
_LABELLED_RE = re.compile(
    r"\b(?:progress|completion|completed|complete|done|fortschritt|avancement|progreso)\W{0,4}[:：]", re.IGNORECASE)


def _worded(m: re.Match[str]) -> bool:
    """A body line's claim says what it counts ("2/2 plans complete", "100% done"), not a bare fraction or
    percentage ("1/2 cup", "cache hit ratio: 100%")."""
    if m.group("all") or m.group("pctword"):
        return True
    return bool(m.group("frac") and re.search(r"[a-z]", m.group("frac"), re.IGNORECASE))


_ALL_DONE_TASK_RE = re.compile(r"^\s*all\s+(?:the\s+)?(?:[a-z-]+\s+)?(?:tasks?|items?|steps?|plans?)\s+(?:are\s+)?"
                               r"(?:complete[d]?|done|finished)\b", re.IGNORECASE)


def _ticked_summary(ctx: Context, doc: Document) -> Iterator[Diagnostic]:
    """A checked entry saying every task is done ("- [x] All tasks completed") below open tasks."""
    entries = sorted(_all_entries(doc), key=lambda t: t.span.line)
    heading_lines = [h.span.line for h in doc.headings]
    for t in entries:
        if not (t.checked and _ALL_DONE_TASK_RE.match(t.text)):
            continue
        # the tasks it speaks for: those of the sections above its own (its own list is an acceptance checklist)
        section_start = max((n for n in heading_lines if n < t.span.line), default=0)
        before = [o for o in entries if o.span.line < section_start and task_open(o)]
        if before:
            yield ctx.report(doc, t.span,
                             f"{t.text.strip()!r} is checked but {len(before)} task(s) above it are still open "
                             f"(first: line {before[0].span.line}): tick them or uncheck this one")


def _all_entries(doc: Document) -> Iterator[Task]:
    for item in doc.items:
        if item.kind == "checklist":
            yield Task(item.title, item.status == "done", "x" if item.status == "done" else " ", item.title_span,
                       item.title_span, 0)
        yield from item.all_tasks()
    for t in doc.loose_tasks:
        yield from t.walk()


COUNT_RE = re.compile(r"^\s*(?P<a>\d{1,4})\s*/\s*(?P<b>\d{1,4})\b")


def _index_counts(ctx: Context, doc: Document) -> Iterator[Diagnostic]:
    """A progress table's `3/4` cell against the item it counts, in the same file: the plans the item checks."""
    items = {it.id: it for it in doc.items if it.id}
    for row in doc.index:
        item = items.get(normalise_id(row.ref.target))
        if item is None:
            continue
        for key, raw in row.raw.items():
            m = COUNT_RE.match(plain_cell(raw))
            if m is None:
                continue
            a, b = int(m.group("a")), int(m.group("b"))
            live = live_tasks(item)
            span = row.spans.get(key, row.ref.span)
            if row_contradicts_itself(ctx, row, a, b):
                pass  # "Complete" over "1/2": the row's own cells disagree (status-conflict)
            elif live and b == len(live) and a != len(live) - len(open_tasks(item)):
                checked = len(live) - len(open_tasks(item))
                verb = "is" if checked == 1 else "are"
                yield ctx.report(doc, span, f"the row of {id_label(item)} counts {a}/{b} but {checked} of its {b} "
                                 f"tasks {verb} checked (line {item.title_span.line}): tick what is done or correct "
                                 "the count")
            break


def row_contradicts_itself(ctx: Context, row: IndexRow, a: int, b: int) -> bool:
    """A row whose Status says done over a count `a/b` that is not complete."""
    return (a < b and is_completed(row.columns.get("status"), ctx.config)
            and not qualified_done(row.raw.get("status", "")))


def plain_cell(raw: str) -> str:
    return raw.strip().strip("*_`").strip()
