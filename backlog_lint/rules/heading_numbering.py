"""BL105 heading-numbering."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Edit, Fix, Severity
from backlog_lint.model import Document, Item
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

_NUM_RE = re.compile(r"\d+")


@rule("BL105", "heading-numbering", fixable=True, severity=Severity.WARNING, per_file=True)
def heading_numbering(ctx: Context) -> Iterator[Diagnostic]:
    """Numbered item headings are out of sequence.

    ## What it does
    Checks that numbered item headings (`### 3. Run benchmarks`) count up by one,
    either through the whole file or restarting in each section.

    ## Why is this bad?
    People refer to items by number ("blocked on #4"); a gap or a repeated number
    after an edit makes those references point at the wrong item.

    ## Example
    ```markdown
    ### 1. Fix tests
    ### 2. Update config
    ### 4. Run benchmarks
    ```

    ## Use instead
    ```markdown
    ### 1. Fix tests
    ### 2. Update config
    ### 3. Run benchmarks
    ```

    ## Fix
    Unsafe: renumbers the headings; references to the old numbers elsewhere are not updated.
    """
    for doc in ctx.documents():
        numbered = [it for it in doc.items if it.kind == "heading" and it.number is not None and it.id is None]
        if len(numbered) < 2:
            continue
        by_level: dict[int, list[Item]] = {}
        for it in numbered:
            by_level.setdefault(it.level, []).append(it)
        for items in by_level.values():
            yield from _check(ctx, doc, items)


def _check(ctx: Context, doc: Document, items: list[Item]) -> Iterator[Diagnostic]:
    continuous = [i + items[0].number for i in range(len(items))]  # type: ignore[operator]
    restart: list[int] = []
    prev_section = None
    count = 0
    for it in items:
        count = count + 1 if it.section == prev_section else 1
        prev_section = it.section
        restart.append(count)
    actual = [it.number for it in items]
    if actual in (continuous, restart):
        return
    # choose the scheme the file is closest to
    miss_c = sum(a != e for a, e in zip(actual, continuous, strict=True))
    miss_r = sum(a != e for a, e in zip(actual, restart, strict=True))
    expected = continuous if miss_c <= miss_r else restart
    edits = []
    for it, want in zip(items, expected, strict=True):
        if it.number == want:
            continue
        line = doc.source.lines[it.span.line - 1]
        m = re.search(rf"(?<!\d){it.number}(?=[.)])", line)
        if m is None:
            continue
        edits.append((it, want, Span(it.span.line, m.start() + 1, it.span.line, m.end() + 1)))
    if not edits:
        return
    fix = Fix("Renumber the headings", tuple(Edit(span, str(want)) for _, want, span in edits), safe=False)
    for idx, (it, want, span) in enumerate(edits):
        yield ctx.report(doc, span, f"item heading is numbered {it.number} but should be {want} to keep the "
                         "sequence", fix=fix if idx == 0 else None)
