"""BL403 checklist-parent-mismatch."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.model import Document, Item, Task
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span
from backlog_lint.workspace.naming import share
from backlog_lint.workspace.status import OPEN_MARKS, task_live


@rule("BL403", "checklist-parent-mismatch", severity=Severity.WARNING, per_file=True)
def checklist_parent_mismatch(ctx: Context) -> Iterator[Diagnostic]:
    """Checked checklist entry has unchecked sub-entries, or the other way round.

    ## What it does
    In nested checklists, reports a checked `[x]` entry with unchecked `[ ]`
    entries under it, and an unchecked entry whose sub-entries are all checked.
    Sub-entries marked `[-]` or `[~]` (dropped) are ignored. In a flat list
    numbered by outline (`- [x] 7. Features`, `- [ ] 7.1 Form`, as Kiro writes
    tasks.md), an entry with no detail lines of its own heads the entries whose
    number extends its own.

    ## Why is this bad?
    The parent box is what summaries and boards count; when it disagrees with its
    children, the progress shown is wrong.

    ## Example
    ```markdown
    - [x] Set up CI
      - [x] Run the tests
      - [ ] Publish coverage
    - [ ] Write docs
      - [x] README
      - [x] Changelog
    ```

    ## Use instead
    ```markdown
    - [ ] Set up CI
      - [x] Run the tests
      - [ ] Publish coverage
    - [x] Write docs
      - [x] README
      - [x] Changelog
    ```

    ## Fix
    Not fixable: check or uncheck the parent entry (or finish the open sub-entries).
    """
    for doc in ctx.documents():
        for item in doc.items:
            if item.kind == "checklist":
                sig = next((s for s in item.signals if s.source == "checkbox"), None)
                if sig is not None:
                    checked = sig.value == "done"
                    marker = sig.raw[1:-1] if len(sig.raw) == 3 else " "
                    yield from _check(ctx, doc, item.title, checked, marker, sig.span, item.tasks)
            for task in item.tasks:
                yield from _walk(ctx, doc, task)
        for task in doc.loose_tasks:
            yield from _walk(ctx, doc, task)
        yield from _outline(ctx, doc)


_OUTLINE_RE = re.compile(r"^(?P<num>\d{1,3}(?:\.\d{1,3})*)\.?\s+\S")


def _outline(ctx: Context, doc: Document) -> Iterator[Diagnostic]:
    """Flat checklist entries numbered by outline: `7.` is the parent of `7.1`, `7.1` of `7.1.2`."""
    entries: dict[str, Item] = {}
    for item in doc.items:
        if item.kind != "checklist" or item.level != 0 or item.tasks:
            continue
        m = _OUTLINE_RE.match(item.title)
        if m is not None and m.group("num") not in entries:
            entries[m.group("num")] = item
    if len(entries) < 3 or not any("." in n for n in entries):
        return
    children: dict[str, list[Task]] = defaultdict(list)
    for num, item in entries.items():
        parent = num
        while "." in parent:
            parent = parent.rsplit(".", 1)[0]
            if parent in entries:
                children[parent].append(_as_task(item))
                break
    for num, kids in children.items():
        item = entries[num]
        if item.span.end_line > item.span.line:
            continue  # "- [ ] 3. API" with detail bullets of its own: a task beside 3.1, not their heading
        sig = next((s for s in item.signals if s.source == "checkbox"), None)
        if sig is not None:
            marker = sig.raw[1:-1] if len(sig.raw) == 3 else " "
            yield from _check(ctx, doc, item.title, sig.value == "done", marker, sig.span, kids)


def _as_task(item: Item) -> Task:
    sig = next(s for s in item.signals if s.source == "checkbox")
    marker = sig.raw[1:-1] if len(sig.raw) == 3 else " "
    return Task(item.title, sig.value == "done", marker, item.title_span, sig.span, 0)


def _walk(ctx: Context, doc: Document, task: Task) -> Iterator[Diagnostic]:
    yield from _check(ctx, doc, task.text, task.checked, task.marker, task.marker_span, task.children)
    for child in task.children:
        yield from _walk(ctx, doc, child)


def _check(ctx: Context, doc: Document, text: str, checked: bool, marker: str, span: Span,
           children: Iterable[Task]) -> Iterator[Diagnostic]:
    live = [c for c in children if task_live(c)]
    if not live:
        return
    pending = [c for c in live if not c.checked]
    if checked and pending:
        first = pending[0]
        yield ctx.report(doc, span,
                         f"{text[:60]!r} is checked but {share(len(pending), len(live), 'sub-entry', 'sub-entries')} "
                         f"{'is' if len(pending) == 1 else 'are'} not (first on line {first.span.line}): uncheck it or "
                         f"finish {'it' if len(pending) == 1 else 'them'}",
                         related=((doc.path, first.marker_span),))
    elif not checked and marker in OPEN_MARKS and not pending:
        yield ctx.report(doc, span,
                         f"{text[:60]!r} is unchecked but {share(len(live), len(live), 'sub-entry', 'sub-entries')} "
                         f"{'is' if len(live) == 1 else 'are'} checked: "
                         "check it too, or add the sub-entry that is still open",
                         related=((doc.path, live[0].marker_span),))
