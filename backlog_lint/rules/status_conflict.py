"""BL405 status-conflict."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.model import Document, IndexRow, Item
from backlog_lint.rules._rule import Context, rule
from backlog_lint.rules._summary_rows import summary_conflicts
from backlog_lint.rules.progress_claim import COUNT_RE, plain_cell, row_contradicts_itself
from backlog_lint.source import Span
from backlog_lint.workspace.index import WorkspaceIndex, checked_keys, whole_run, workspace_index
from backlog_lint.workspace.name_slots import agrees, state_slots
from backlog_lint.workspace.naming import describe_signal, id_label, item_name
from backlog_lint.workspace.status import (
    folder_name,
    is_completed,
    is_open,
    live_tasks,
    open_tasks,
    task_open,
)
from backlog_lint.workspace.titles import title_key


@rule("BL405", "status-conflict", severity=Severity.WARNING)
def status_conflict(ctx: Context) -> Iterator[Diagnostic]:
    """Two places disagree on whether an item is done.

    ## What it does
    Collects every place that says whether an item is done or open - its Status
    field, a ✅/`DONE` marker or strikethrough on its heading, its checkbox, its
    Kanban lane or `## Done` section, a `completed/`-style folder, and index rows
    that list it - and
    reports the item when one says done and another says open. Where sibling
    files keep the state in a slot of their names (`tk0191.dne.docs.closure.md`
    beside `status: done`), a Status field naming another state is reported too,
    and so is a checklist entry naming an item of another file (`- [ ] task-7`
    under `### In Progress` in an epic's README) whose box or section says
    another status than that item's file. One card in two lanes of a board (by its
    title, or by its outline number `1.4`) is reported, unless its checkboxes say the
    two copies agree (a checked entry of a plan lane beside its copy in the Done
    lane), and so is a progress row
    that says Complete over a count that is not (`| 3. Types | 1/2 | Complete |`). An index row
    (for instance a `[x]` in a summary checklist) that marks an item done whose
    own checklist still has unchecked boxes is reported too, and so is an item that
    the summaries of two files call done in one and open in the other (`Complete`
    in the roadmap's progress table, `In Progress` in the state file's phase
    table). Cancelled does not conflict with anything.

    ## Why is this bad?
    Readers believe whichever place they look at first; boards, summaries and
    reports built from the file contradict each other.

    ## Example
    ```markdown
    ### ~~TODO-1: Cache parser output~~
    - **Status:** In Progress
    ```

    ## Use instead
    ```markdown
    ### ~~TODO-1: Cache parser output~~
    - **Status:** Done
    ```

    ## Fix
    Not fixable: decide whether the item is done and make every marker say so.
    """
    index = workspace_index(ctx)
    for doc in ctx.documents():
        folder = folder_name(doc)
        for item in doc.items:
            # a conflict needs two signals: a folder, or a "## Done" section, adds one to the item's own
            if len(item.signals) + (folder is not None) + ("status" in item.inherited) >= 2:
                yield from _own_signals(ctx, doc, item)
        yield from _row_counts(ctx, doc)
        lanes = board_lanes(doc)
        if len(lanes) >= 2:
            yield from _lanes(ctx, doc, lanes)
    yield from _name_slots(ctx, index.docs)
    yield from _tasks_naming_items(ctx, index)
    checked = ctx.checked
    # kept when the index's or the item's file is checked
    rows = None if whole_run(ctx) else {id(row) for key in checked_keys(ctx)
                                        for _doc, row in index.rows_of.get(key, ())}
    for doc in index.docs:
        if not doc.index:
            continue
        mine = doc.path in checked
        for row in doc.index:
            if rows is not None and not mine and id(row) not in rows:
                continue
            hit = index.resolve(row.ref.target, doc)
            if hit is None:
                continue
            yield from _index_row(ctx, doc, row, *hit)
    yield from summary_conflicts(ctx, index, done_against_open=True)


def _row_counts(ctx: Context, doc: Document) -> Iterator[Diagnostic]:
    """A progress table's row that says done over a count that is not complete (`| 3. Types | 1/2 | Complete |`)."""
    for row in doc.index:
        for key, raw in row.raw.items():
            m = COUNT_RE.match(plain_cell(raw))
            if m is None:
                continue
            a, b = int(m.group("a")), int(m.group("b"))
            if row_contradicts_itself(ctx, row, a, b):
                yield ctx.report(doc, row.spans.get(key, row.ref.span),
                                 f"the row of {row.ref.target} says {row.raw['status'].strip()!r} but counts {a}/{b}: "
                                 "correct one of them")
            break


def _side(ctx: Context, status: str | None) -> str | None:
    if is_completed(status, ctx.config):
        return "done"
    if is_open(status, ctx.config):
        return "open"
    return None


def _own_signals(ctx: Context, doc: Document, item: Item) -> Iterator[Diagnostic]:
    signals: list[tuple[str, str, str, Span]] = [(s.source, s.value, s.raw, s.span) for s in item.signals]
    if any(s[0] == "lane" for s in signals):
        # on a board the lane is the card's status; its checkbox is the board tool's, often never ticked
        signals = [s for s in signals if s[0] != "checkbox"]
    folder = folder_name(doc)
    if folder is not None:
        signals.append(("folder", "done", folder, item.title_span))
    section_status = item.inherited.get("status")
    if signals and is_completed(section_status, ctx.config) and not any(s[0] == "lane" for s in signals):
        # a "## Done" section holding an item that says it is open (an open section may hold done items)
        signals.append(("section", section_status or "", item.section.rsplit(" > ", 1)[-1], item.title_span))
    sides = [(sig, _side(ctx, sig[1])) for sig in signals]
    done = [sig for sig, side in sides if side == "done"]
    opened = [sig for sig, side in sides if side == "open"]
    if not done or not opened:
        return
    # report the signal that contradicts the item's primary one, pointing at the primary
    main = signals[0]
    if main in done:
        other = opened[0]
    elif main in opened:
        other = done[0]
    else:
        main, other = done[0], opened[0]
    yield ctx.report(doc, other[3],
                     f"{item_name(item)} is both done and open: {describe_signal(main[0], main[2])} but "
                     f"{describe_signal(other[0], other[2])}: make them agree",
                     related=((doc.path, main[3]),))


def _index_row(ctx: Context, doc: Document, row: IndexRow, idoc: Document, item: Item) -> Iterator[Diagnostic]:
    theirs = _side(ctx, row.columns.get("status"))
    if theirs is None:
        return
    raw = row.raw.get("status", row.columns.get("status", ""))
    span = row.spans.get("status", row.ref.span)
    if raw.strip().startswith("["):
        row_says = "the summary checklist " + ("checks it" if theirs == "done" else "leaves it unchecked")
    else:
        row_says = describe_signal("index", raw.strip())
    row_says += f" (line {span.line})"
    if item.signals:
        sig = item.signals[0]
        mine = _side(ctx, sig.value)
        if mine is None or mine == theirs:
            return
        yield ctx.report(doc, span,
                         f"{id_label(item)} is both done and open: {row_says} but "
                         f"{describe_signal(sig.source, sig.raw)} ({idoc.path}:{sig.span.line}): make them agree",
                         related=((idoc.path, sig.span),))
        return
    if theirs != "done" or idoc is doc:
        return  # an item its own file's index marks done with open tasks: done-with-open-tasks (BL401)
    pending = open_tasks(item)
    if not pending:
        return
    total = len(live_tasks(item))
    if len(pending) == total:
        amount = f"none of its {total} tasks are"
    else:
        amount = f"{len(pending)} of its {total} tasks are not"
    yield ctx.report(doc, span,
                     f"{id_label(item)} is marked done here, but {amount} checked "
                     f"({idoc.path}:{pending[0].span.line}): check off the finished tasks or uncheck the row",
                     related=((idoc.path, item.title_span),))


def _tasks_naming_items(ctx: Context, index: WorkspaceIndex) -> Iterator[Diagnostic]:
    """A checklist entry naming an item of another file (`- [ ] task-100.40: ...` in an epic's README, under
    `### In Progress`) whose box or section says another status than that item's own. Reported on the
    entry when its file is checked (the message names the item's file and line; no related location, as
    checking the item's file alone reads other files from their summaries, which hold no tasks)."""
    for doc in ctx.documents():
        lanes = None
        for item in doc.items:
            for task in item.all_tasks():
                if not task.id:
                    continue
                hit = index.resolve(task.id, doc)
                if hit is None or hit[0] is doc or hit[1].status is None or not hit[1].signals:
                    continue
                idoc, target = hit
                theirs = target.status
                if lanes is None:
                    lanes = _section_statuses(doc)
                lane = _status_at(lanes, task.span.line)
                mine_raw, mine = (f"[{task.marker}]", "done" if task.checked else "todo")
                if lane is not None and not task.checked and _side(ctx, lane[0]) is not None:
                    mine_raw, mine = (f"the section {lane[1]!r}", lane[0])
                elif not task.checked and not task_open(task):
                    continue  # dropped
                if _side(ctx, mine) == _side(ctx, theirs) and (mine == theirs or lane is None):
                    continue
                if theirs is None or _side(ctx, theirs) is None or ctx.config.vocab.status_of(theirs) == "cancelled":
                    continue
                sig = target.signals[0]
                yield ctx.report(doc, task.marker_span,
                                 f"{task.id} is listed here as {mine!r} ({mine_raw}) but in its own file "
                                 f"{describe_signal(sig.source, sig.raw)} ({idoc.path}:{sig.span.line}): "
                                 "make them agree")


def _section_statuses(doc: Document) -> list[tuple[int, int, str, str]]:
    """(first line, last line, status, title) of the sections whose heading names a status."""
    out = []
    for sec in doc.sections():
        st = sec.inherited.get("status")
        if sec.heading is not None and st:
            out.append((sec.span.line, sec.span.end_line, st, sec.title))
    return out


def _status_at(lanes: list[tuple[int, int, str, str]], line: int) -> tuple[str, str] | None:
    inner = [s for s in lanes if s[0] <= line <= s[1]]
    if not inner:
        return None
    best = max(inner, key=lambda s: s[0])
    return best[2], best[3]


def _name_slots(ctx: Context, docs: list[Document]) -> Iterator[Diagnostic]:
    """A Status field that names another state than the state slot of its file's name."""
    for path, slot in state_slots(docs, ctx.config.vocab).items():
        if path not in ctx.checked or agrees(slot.value, slot.field.value_raw, ctx.config.vocab):
            continue
        yield ctx.report(path, slot.field.value_span,
                         f"the file name gives the state {slot.value!r} (named {slot.pattern}, as its siblings are) "
                         f"but its Status field says {slot.field.value_raw.strip()!r}: rename the file or correct "
                         f"the status")


# --------------------------------------------------------------------------- boards

_LANE_STATUSES = frozenset({"todo", "in-progress", "done", "blocked"})


def board_lanes(doc: Document) -> dict[str, str]:
    """The lanes of a board: sections named after statuses (`## To Do`, `## In Progress`, `## Done`),
    by section path -> canonical status; a file with fewer than two is not a board."""
    lanes: dict[str, str] = {}
    for sec in doc.sections():
        status = sec.inherited.get("status")
        if sec.heading is not None and status in _LANE_STATUSES:
            lanes[sec.title] = status
    return lanes if len(set(lanes.values())) >= 2 else {}


# a card numbered in outline form ("1.4 Configure the base files"): the number names the card in every lane
_OUTLINE_RE = re.compile(r"^\W*(\d+(?:\.\d+)+)\s+\w")


def _two_places(ctx: Context, first: Item, first_lane: str, item: Item, lane: str) -> bool:
    """Whether two copies of a card in two lanes contradict each other: a card without a checkbox is where
    its lane says, so two lanes are two statuses; with checkboxes, the copies must disagree on done (a
    checked entry in a plan lane and its copy in the Done lane say the same)."""
    boxes = [next((s.value for s in card.signals if s.source == "checkbox"), None) for card in (first, item)]
    if boxes == [None, None]:
        return True
    sides = [_side(ctx, box if box is not None else where) for box, where in zip(boxes, (first_lane, lane),
                                                                                 strict=True)]
    return sides[0] != sides[1]


def _lanes(ctx: Context, doc: Document, lanes: dict[str, str]) -> Iterator[Diagnostic]:
    """On a board: a card whose Status field names another lane, and one card in two lanes."""
    seen: dict[str, tuple[str, Item]] = {}
    for item in doc.items:
        # the innermost enclosing lane: a card may sit in a group under its lane ("## To Do > ### Phase 1")
        lane_title = next((t for t in reversed(item.section.split(" > ")) if t in lanes), "")
        lane = lanes.get(lane_title)
        if lane is None:
            continue
        field = item.get("status")
        own = ctx.config.vocab.status_of(field.value) if field is not None else None
        # a checklist card's lane is one of its own signals: a done/open clash is reported with those
        # a done row in an open lane's table (not a heading: an epic in progress holds finished stories; not a
        # checklist card, whose lane is one of its own signals; an open card in a Done lane is the section's
        # conflict, reported with the item's own signals)
        misplaced = item.kind == "table-row" and _side(ctx, lane) == "open"
        if field is not None and own in _LANE_STATUSES and own != lane and (
                misplaced or _side(ctx, own) == _side(ctx, lane)):
            yield ctx.report(doc, field.value_span,
                             f"{item_name(item)} sits in the {lane_title!r} lane but its Status field says "
                             f"{field.value.strip()!r}: move it to its lane or correct the status")
        outline = _OUTLINE_RE.match(item.title)
        key = f"#{outline.group(1)}" if outline else title_key(item.title)
        if len(key) < 4:
            continue
        first = seen.get(key)
        if first is None:
            seen[key] = (lane_title, item)
        elif first[0] != lane_title and _two_places(ctx, first[1], lanes[first[0]], item, lane):
            yield ctx.report(doc, item.title_span,
                             f"{f'card {outline.group(1)}' if outline else item_name(item)} is on the board twice: "
                             f"in the {first[0]!r} lane (line "
                             f"{first[1].title_span.line}) and in the {lane_title!r} lane: keep the card in one lane",
                             related=((doc.path, first[1].title_span),))
