"""BL312 number-order."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.model import Document
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

# "5.6 Update the dashboard", "3. Repository layer", "7.2.1) Modal": a number leading the title, then words
_LEADING_NUMBER_RE = re.compile(r"^(?P<num>\d{1,3}(?:\.\d{1,3})*)[.)]?\s+\S")
_MIN_GROUP = 3
_MIN_PHASES = 5
# "Phase 11.2", "Step 4": a sequence word and its number
_SEQUENCE_ID_RE = re.compile(r"^(?P<word>Phase|Stage|Sprint|Wave|Milestone|Step)\s+#?(?P<num>\d{1,4}(?:\.\d{1,3})*)$",
                             re.IGNORECASE)


@rule("BL312", "number-order", severity=Severity.WARNING, preview=True, per_file=True)
def number_order(ctx: Context) -> Iterator[Diagnostic]:
    """Numbered entry out of sequence among its siblings.

    ## What it does
    Reads the numbers that lead item titles (`5.2 Hero section`, `3. Repository
    layer`) and, among the entries of one section that share a parent number (all
    the `5.x` sub-tasks), finds an entry whose number breaks their increasing order:
    `5.6` written between `5.2` and `5.3`. Gaps (a removed `5.4`) and numbers used
    twice are left alone. Items named by a sequence word and a number (`Phase 11.2`,
    `Step 4`) are held to one order through the file, decimals included: one or two
    out of an otherwise increasing run of at least 5 are reported (`Phase 11.2`
    after `Phase 12.6`).

    ## Why is this bad?
    The number is how people and tools name the entry ("do 5.3 next"); one out of
    place reads as a misplaced entry or a typo, and whoever works down the list
    takes it too early or never finds it.

    ## Example
    ```markdown
    - [ ] 5. Dashboard
      - [ ] 5.1 Layout
      - [ ] 5.2 Hero section
      - [ ] 5.6 Wire the creation modals
      - [ ] 5.3 Popular list
      - [ ] 5.4 Stream cards
      - [ ] 5.5 Info sidebar
    ```

    ## Use instead
    ```markdown
    - [ ] 5. Dashboard
      - [ ] 5.1 Layout
      - [ ] 5.2 Hero section
      - [ ] 5.3 Popular list
      - [ ] 5.4 Stream cards
      - [ ] 5.5 Info sidebar
      - [ ] 5.6 Wire the creation modals
    ```

    ## Fix
    Not fixable: move the entry where its number belongs, or renumber it (and what refers to it).
    """
    for doc in ctx.documents():
        groups: dict[tuple[tuple[str, object], tuple[int, ...]], list[tuple[tuple[int, ...], str, Span]]] = {}
        for item in doc.items:
            if item.kind not in ("checklist", "bullet", "heading"):
                continue
            # the item's own number counts among the items of its section; its tasks' among its tasks
            entries: list[tuple[tuple[str, object], str, Span]] = [(("section", item.section), item.title,
                                                                    item.title_span)]
            entries += [(("item", item.span.line), t.text, t.span) for task in item.tasks for t in task.walk()]
            for home, text, where in entries:
                m = _LEADING_NUMBER_RE.match(text)
                if m is None:
                    continue
                raw = m.group("num")
                at = doc.source.lines[where.line - 1].find(raw, where.col - 1)
                span = Span(where.line, at + 1, where.line, at + len(raw) + 1) if at >= 0 else where
                number = tuple(int(p) for p in raw.split("."))
                groups.setdefault((home, number[:-1]), []).append((number, raw, span))
        for found in groups.values():
            yield from _out_of_order(ctx, doc, found)
        yield from _phases(ctx, doc)


def _phases(ctx: Context, doc: Document) -> Iterator[Diagnostic]:
    """Items named by a sequence word and a number (`Phase 11.2`, `Step 4`): the numbers, decimals
    included, follow each other through the file; one or two out of an otherwise increasing run were put
    in the wrong place (more are another order, on purpose)."""
    families: dict[tuple[str, int, str], list[tuple[tuple[int, ...], str, Span]]] = {}
    for item in doc.items:
        m = _SEQUENCE_ID_RE.match(item.id_raw or "")
        if m is None:
            continue
        number = tuple(int(p) for p in m.group("num").split("."))
        families.setdefault((item.kind, item.level, m.group("word").casefold()), []).append(
            (number, item.id_raw or "", item.id_span or item.title_span))
    for entries in families.values():
        if len(entries) < _MIN_PHASES:
            continue
        numbers = [n for n, _, _ in entries]
        kept = _increasing(numbers)
        astray = [i for i in range(len(entries)) if i not in kept and numbers.count(numbers[i]) == 1]
        if not astray or len(astray) > 2 or len(astray) * 4 >= len(entries):
            continue
        for i in astray:
            _, raw, span = entries[i]
            home = max((k for k in kept if numbers[k] < numbers[i]), default=None, key=lambda k: numbers[k])
            goes = f"after {entries[home][1]}" if home is not None else "first"
            before = entries[i - 1][1] if i > 0 else None
            where = f"after {before}" if before else f"before {entries[i + 1][1]}"
            yield ctx.report(doc, span, f"{raw} sits {where}, out of the order of the file's other "
                             f"{len(entries) - 1}: move it {goes} or renumber it")


def _out_of_order(ctx: Context, doc: Document, entries: list[tuple[tuple[int, ...], str, Span]]) \
        -> Iterator[Diagnostic]:
    if len(entries) < _MIN_GROUP:
        return
    lasts = [n[-1] for n, _, _ in entries]
    kept = _increasing([(n,) for n in lasts])
    astray = [i for i in range(len(entries)) if i not in kept and lasts.count(lasts[i]) == 1]
    if not astray or len(astray) * 3 >= len(entries):
        return  # in order, or no order to speak of
    for i in astray:
        _, raw, span = entries[i]
        before = entries[i - 1][1] if i > 0 else None
        after = entries[i + 1][1] if i + 1 < len(entries) else None
        where = f"between {before} and {after}" if before and after else \
            f"after {before}" if before else f"before {after}"
        home = max((k for k in kept if lasts[k] < lasts[i]), default=None, key=lambda k: lasts[k])
        goes = f"after {entries[home][1]}" if home is not None else "first"
        yield ctx.report(doc, span, f"entry {raw} sits {where}, out of its siblings' order: move it {goes} "
                         "or renumber it")


def _increasing(values: list[tuple[int, ...]]) -> set[int]:
    """Indices of one longest strictly increasing run of ``values`` (not necessarily adjacent), in
    O(n log n): tails[k] is the index ending the best run of length k + 1 found so far."""
    tails: list[int] = []
    prev = [-1] * len(values)
    for i, v in enumerate(values):
        k = _search(values, tails, v)
        if k > 0:
            prev[i] = tails[k - 1]
        if k == len(tails):
            tails.append(i)
        else:
            tails[k] = i
    out = set()
    i = tails[-1] if tails else -1
    while i != -1:
        out.add(i)
        i = prev[i]
    return out


def _search(values: list[tuple[int, ...]], tails: list[int], v: tuple[int, ...]) -> int:
    """The first k whose run ends at a value not below ``v``."""
    lo, hi = 0, len(tails)
    while lo < hi:
        mid = (lo + hi) // 2
        if values[tails[mid]] < v:
            lo = mid + 1
        else:
            hi = mid
    return lo
