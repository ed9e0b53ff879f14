"""BL308 index-mismatch."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.ids import FIELD_ID_RE, family_of, is_word_form, normalise_id
from backlog_lint.model import Document, IndexRow, Item
from backlog_lint.rules._rule import Context, rule
from backlog_lint.rules._summary_rows import summary_conflicts
from backlog_lint.source import Span
from backlog_lint.vocab import is_done, priority_of
from backlog_lint.workspace.index import WorkspaceIndex, checked_keys, neighbours, whole_run, workspace_index
from backlog_lint.workspace.naming import id_label
from backlog_lint.workspace.status import is_completed, is_open
from backlog_lint.workspace.titles import level_marker, repaired

# columns that make an index an overview of the work (not, say, a table of context files)
OVERVIEW_COLUMNS = frozenset({"status", "priority", "wave", "phase", "effort", "owner", "dependencies", "unlocks"})
COMPARED = ("status", "priority", "wave", "phase", "effort")
_NUMBER_RE = re.compile(r"-?\d+(?:\.\d+)*")
_PAREN_RE = re.compile(r"\([^)]*\)")
_QUANTITY_RE = re.compile(
    r"^(?P<num>\d+(?:[.,]\d+)?(?:\s*(?:-|to)\s*\d+(?:[.,]\d+)?)?)\s*(?P<unit>[a-z]+)?"
)
_UNITS = {
    "h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h",
    "d": "d", "day": "d", "days": "d",
    "w": "w", "wk": "w", "wks": "w", "week": "w", "weeks": "w",
    "m": "mo", "mo": "mo", "month": "mo", "months": "mo",
    "min": "min", "mins": "min", "minute": "min", "minutes": "min",
    "sp": "sp", "pt": "sp", "pts": "sp", "point": "sp", "points": "sp",
}


@rule("BL308", "index-mismatch", severity=Severity.WARNING)
def index_mismatch(ctx: Context) -> Iterator[Diagnostic]:
    """Index row disagrees with the item it lists, or an open item is missing from the index.

    ## What it does
    Many backlogs keep a summary table or checklist (an "index") next to the
    detailed items. For each index row this rule checks that:

    - the ID names an item defined somewhere in the project;
    - its Status, Priority, Wave, Phase and Effort columns agree with the item's
      own field or the value it inherits from its section (compared normalised:
      `🔴 P1` = `P1`, `4-6 hours` = `4-6 hours (~150 lines)`), and its Status
      column with the row that lists the item in another file's summary (`Pending`
      in the state file's phase table, `In Progress` in the roadmap's progress
      table; a checkbox row says only done or not, and a file listing the item
      twice may keep a history, so neither is compared); a done/open
      disagreement is left to `status-conflict`;
    - its Unlocks (or Dependencies) column lists every item whose Dependencies
      (or Unlocks) field names it;
    - and, for an overview index that lists at least half of the file's items of
      that ID family, that no open item of the family is missing from it.

    ## Why is this bad?
    The index is what people read; when it drifts from the items, priorities and
    plans are made on stale data.

    ## Example
    ```markdown
    ### TODO-1: Cache parser output
    - **Priority:** P1

    ### TODO-2: Add a --watch flag
    - **Priority:** P2

    ### TODO-3: Document the cache
    - **Priority:** P3

    ## Order

    | # | TODO | Priority |
    |---|------|----------|
    | 1 | TODO-1 | P2 |
    | 2 | TODO-2 | P2 |
    ```

    ## Use instead
    ```markdown
    ### TODO-1: Cache parser output
    - **Priority:** P1

    ### TODO-2: Add a --watch flag
    - **Priority:** P2

    ### TODO-3: Document the cache
    - **Priority:** P3

    ## Order

    | # | TODO | Priority |
    |---|------|----------|
    | 1 | TODO-1 | P1 |
    | 2 | TODO-2 | P2 |
    | 3 | TODO-3 | P3 |
    ```

    ## Fix
    Not fixable: update the index row (or the item) so both say the same.
    """
    index = workspace_index(ctx)
    # every index is compared (a finding is kept when the index's or the item's file is checked, or
    # the file of a dependency the row's Unlocks/Dependencies column misses)
    checked = ctx.checked
    rows = None if whole_run(ctx) else _rows_near(index, checked_keys(ctx))
    for doc in index.docs:
        if not doc.index:
            continue
        mine = doc.path in checked
        for row in doc.index:
            if rows is not None and not mine and id(row) not in rows:
                continue
            hit = index.resolve(row.ref.target, doc)
            if hit is None:
                # "Phase 3" numbers a section, not a family of IDs: a roadmap archives finished phases elsewhere
                if (doc.path in ctx.checked and not is_word_form(row.ref.target)
                        and index.defines_family(normalise_id(row.ref.target))):
                    yield ctx.report(doc, row.ref.span,
                                     f"index row names {row.ref.target!r}, but no item has that ID: fix the ID "
                                     "or remove the row")
                continue
            yield from _compare(ctx, doc, row, *hit)
            yield from _relations(ctx, index, doc, row, *hit)
        if mine:
            yield from _missing(ctx, index, doc)
    yield from summary_conflicts(ctx, index, done_against_open=False)


def _rows_near(index: WorkspaceIndex, keys: set[int]) -> set[int]:
    """Index rows (by ``id``) listing one of these items or an item with a dependency edge to one."""
    return {id(row) for key in neighbours(index, keys) for _doc, row in index.rows_of.get(key, ())}


def _compare(ctx: Context, doc: Document, row: IndexRow, idoc: Document, item: Item) -> Iterator[Diagnostic]:
    for key in COMPARED:
        if key not in row.columns or not row.raw.get(key, "").strip():
            continue
        raw = row.raw[key]
        mine, shown_mine, where = _item_value(idoc, item, key)
        if mine is None:
            continue
        problem = _differs(ctx, key, raw, row.columns[key], mine)
        if problem is None:
            continue
        yield ctx.report(doc, row.spans.get(key, row.ref.span),
                         f"index row for {id_label(item)} says {key} {_clean(raw)!r} but the item says "
                         f"{_clean(shown_mine)!r} ({idoc.path}:{where.line}){problem}: update one of them",
                         related=((idoc.path, where),))


def _clean(text: str) -> str:
    return repaired(text.strip().strip("*_`").strip())


def _item_value(doc: Document, item: Item, key: str) -> tuple[str | None, str, Span]:
    """(value to compare, value to show, where) of the item's own or inherited value."""
    if key == "status":
        if not item.signals:
            return None, "", item.title_span
        sig = item.signals[0]
        return sig.value, sig.raw, sig.span
    f = item.get(key)
    if f is not None and f.value.strip():
        return f.value_raw, f.value_raw, f.value_span
    inherited = item.inherited.get(key)
    if inherited:
        return inherited, inherited, item.title_span
    return None, "", item.title_span


def _differs(ctx: Context, key: str, raw: str, canonical: str, mine: str) -> str | None:
    """None when the values agree (or cannot be compared); else a short note ('' for plain difference)."""
    if key == "status":
        vocab = ctx.config.vocab
        theirs = canonical
        ours = vocab.status_of(mine) or mine
        known = ctx.config.statuses
        if theirs not in known or ours not in known or theirs == ours:
            return None
        if (is_completed(theirs, ctx.config) and is_open(ours, ctx.config)) or (
                is_completed(ours, ctx.config) and is_open(theirs, ctx.config)):
            return None  # done against open: status-conflict reports it
        return ""
    if key == "priority":
        pa, pb = priority_of(raw), priority_of(mine)
        if pa is None or pb is None:
            return None
        if pa != pb:
            return ""
        ea, eb = level_marker(raw), level_marker(mine)
        if ea and eb and ea != eb:
            return f" (same level, different marker {ea} vs {eb})"
        return None
    if key in ("wave", "phase"):
        ma, mb = _NUMBER_RE.search(raw), _NUMBER_RE.search(mine)
        if ma is None or mb is None:
            return None
        return "" if ma.group() != mb.group() else None
    if key == "effort":
        fa, fb = _effort(raw), _effort(mine)
        if fa is None or fb is None or fa == fb:
            return None
        if (fa[1] is None) != (fb[1] is None):
            return None  # "Large" against "2 weeks": different scales, not comparable
        return ""
    return None


def _effort(text: str) -> tuple[str, str | None] | None:
    """('4-6', 'h') for '~4-6 hours (100 lines)'; ('large', None) for 'Large'; None when empty."""
    t = repaired(text).strip().strip("*_`").casefold()
    t = _PAREN_RE.sub("", t).translate(str.maketrans("–—", "--")).strip(" ~≈.")
    if not t:
        return None
    m = _QUANTITY_RE.match(t)
    if m:
        num = re.sub(r"\s*(?:-|to)\s*", "-", m.group("num")).replace(",", ".")
        unit = _UNITS.get(m.group("unit") or "", m.group("unit") or "")
        return num, unit
    return re.sub(r"\s+", " ", t), None


def _relations(ctx: Context, index: WorkspaceIndex, doc: Document, row: IndexRow, idoc: Document,
               item: Item) -> Iterator[Diagnostic]:
    """The Unlocks (or Dependencies) column against the Dependencies/Unlocks fields of the items."""
    for key in ("unlocks", "dependencies"):
        raw = row.raw.get(key)
        if raw is None:
            continue
        listed: set[int] = set()
        for m in FIELD_ID_RE.finditer(raw):
            hit = index.resolve(m.group(1), doc)
            if hit is not None:
                listed.add(id(hit[1]))
        me = id(item)
        if key == "unlocks":
            actual = {e.dst: e for e in index.edges_from(me)}
        else:
            actual = {e.src: e for e in index.edges_to(me)}
        shown = _clean(raw) or "empty"
        for other_key, edge in actual.items():
            if other_key in listed:
                continue
            other = index.items[other_key]
            if key == "unlocks":
                fact = f"{id_label(other)} depends on {id_label(item)}"
                column = f"Unlocks of {id_label(item)} ({shown!r})"
            else:
                fact = f"{id_label(item)} depends on {id_label(other)}"
                column = f"Dependencies of {id_label(item)} ({shown!r})"
            yield ctx.report(doc, row.spans.get(key, row.ref.span),
                             f"{fact} ({edge.doc.path}:{edge.span.line}) but the index row's {column} "
                             f"does not list {id_label(other)}: add it to the row or fix the item's field",
                             related=((edge.doc.path, edge.span),))


def _missing(ctx: Context, index: WorkspaceIndex, doc: Document) -> Iterator[Diagnostic]:
    tables: dict[str, list[IndexRow]] = {}
    for row in doc.index:
        tables.setdefault(row.table, []).append(row)
    reported: set[int] = set()
    for table, rows in tables.items():
        checklist = any(r.raw.get("status", "").startswith("[") for r in rows)
        if not checklist and not any(OVERVIEW_COLUMNS & r.columns.keys() for r in rows):
            continue
        listed: set[int] = set()
        families: set[str] = set()
        for r in rows:
            hit = index.resolve(r.ref.target, doc)
            if hit is not None and hit[0] is doc:
                listed.add(id(hit[1]))
                fam = family_of(hit[1].id or "")
                if fam:
                    families.add(fam)
        siblings = [it for it in doc.items if it.id and family_of(it.id) in families]
        if len(listed) < 2 or len(listed) * 2 < len(siblings):
            continue
        first = rows[0].ref.span
        name = table.rsplit(" > ", 1)[-1] or "index"
        ids = Counter(it.id for it in siblings)
        for it in siblings:
            if id(it) in listed or id(it) in reported or is_done(it.status, ctx.config.vocab):
                continue
            if ids[it.id] > 1 and any(o.id == it.id and id(o) in reported for o in siblings):
                continue  # the second definition of one ID (duplicate-item-id's): its first is reported already
            reported.add(id(it))
            yield ctx.report(doc, it.id_span or it.title_span,
                             f"open item {id_label(it)} is missing from the index {name!r} (line {first.line}), "
                             f"which lists {len(listed)} of the {len(siblings)} items: add a row for it",
                             related=((doc.path, first),))
