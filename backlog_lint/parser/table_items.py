"""Convention: tables of items and index tables.

- A table with a title-like column (Item, Task, Title, Feature ...), or `ID: title` first cells, holds
  items: each row is one, its other columns are fields.
- A table whose rows point at items defined elsewhere is an index: its rows carry the IDs of heading
  items of the same file, or link to the items' own files (`[TASK-001](./TASK-001.md)`), or number the
  file's `### Phase 2: ...` headings in a `| Phase | Name | Status |` progress table. Index rows are
  references carrying their column values, never second definitions.
- A two-column table whose first cells are field names (`| Status | Done |`) gives fields to the item it
  belongs to: key_value_tables.py.

The ID column is the first column whose cells are mostly IDs; a column naming a relation (Subtask,
Parent, Depends on, Related ...) never is.
"""

from __future__ import annotations

import re

from backlog_lint.ids import CELL_ID_RE, ID_WORDS, is_priority, normalise_id
from backlog_lint.model import Field, IndexRow, Item, Ref, StatusSignal, Table, Task
from backlog_lint.parser.context import BlockMarks, Ctx, block_span, plain_text, source_line
from backlog_lint.parser.fields import attach_field, fill_values
from backlog_lint.parser.inline import code_spans, plain, struck
from backlog_lint.parser.key_value_tables import is_key_value
from backlog_lint.parser.sections import section_path
from backlog_lint.parser.table_reading import (
    ReadTable,
    cell_id,
    mostly,
    read_table,
    row_number,
)
from backlog_lint.source import Span
from backlog_lint.text import normalise_key
from backlog_lint.vocab import KNOWN_FIELD_KEYS, priority_of

_LOCAL_MD_LINK_RE = re.compile(r"\]\((?![a-z][a-z0-9+.-]*:)[^)\s]*\.(?:md|markdown)(?:#[^)\s]*)?\)", re.IGNORECASE)
_PLACEHOLDER_RE = re.compile(r"^[\s\-–—_.…?/]*$")
# "[Fill in]", "<title>", "{owner}": a template's slot, when every cell of the row is one
_SLOT_RE = re.compile(r"^\s*(?:\[[^\[\]]{2,}\]|<[^<>]{2,}>|\{[^{}]{2,}\})\s*$")
# headers that name another item, never the row's own ID
_RELATION_HEADERS = frozenset({"subtask", "subtasks", "parent", "epic", "blocks", "blocked by", "depends on",
                               "depends", "dependencies", "related", "see", "requires", "unlocks", "follows",
                               "after", "before", "duplicate of", "replaces", "superseded by"})
_ID_WORDS = {w.lower(): w for w in ID_WORDS}


def _choose_columns(t: ReadTable) -> None:
    titles = [i for i, k in enumerate(t.keys) if k == "title"]
    for ci, name in enumerate(t.header):
        folded = normalise_key(name)
        if folded in _RELATION_HEADERS or t.keys[ci] in ("dependencies", "unlocks", "related"):
            continue
        vals = [plain_text(cells[ci][0]) for _, cells in t.rows if ci < len(cells) and plain_text(cells[ci][0])]
        if folded in _ID_WORDS and mostly(sum(1 for v in vals if row_number(v, folded)), len(vals)):
            t.id_col, t.id_word = ci, _ID_WORDS[folded]
            break
        if vals and sum(1 for v in vals if cell_id(v)) >= max(1, (len(vals) * 6 + 9) // 10):
            t.id_col = ci
            break
    titles = [i for i in titles if i != t.id_col]
    if len(titles) > 1:  # `| Epic | User Story |`: the column naming a relation groups the rows, the other titles them
        titles = [i for i in titles if normalise_key(t.header[i]) not in _RELATION_HEADERS] or titles
    t.title_col = next((i for i in titles if normalise_key(t.header[i]) == "title"), titles[0] if titles else -1)
    for i, key in enumerate(t.keys):  # the other title-like columns are fields by their own names (`Epic`)
        if key == "title" and i != t.title_col:
            t.keys[i] = normalise_key(t.header[i]) or t.keys[i]
    if t.title_col < 0 and t.id_col >= 0 and t.keys[t.id_col] == "id":
        t.title_col = _unnamed_title_column(t)
    if t.title_col < 0 and t.id_col < 0 and t.rows:
        # "| M3: Fixed vector add | ..." : IDs with titles in the first column
        firsts = [plain_text(cells[0][0]) for _, cells in t.rows if cells]
        hits = sum(1 for f in firsts if (cm := CELL_ID_RE.match(f)) and not is_priority(cm.group("id")))
        if mostly(hits, len(firsts)):
            t.title_col = 0


def _unnamed_title_column(t: ReadTable) -> int:
    """`| # | 항목 | 출처 |`: with an ID column that says so (its header an alias of ID) and no column the
    vocabulary knows as the title, the column right after the IDs titles the rows when it names no field of
    its own and reads as text."""
    ci = t.id_col + 1
    if ci >= len(t.header) or t.keys[ci] in KNOWN_FIELD_KEYS or t.keys[ci] in ("id", "description"):
        return -1
    vals = [plain_text(cells[ci][0]) for _, cells in t.rows if ci < len(cells)]
    texts = sum(1 for v in vals if any(ch.isalpha() for ch in v) and not cell_id(v))
    return ci if mostly(texts, len(vals)) else -1


def _role(t: ReadTable, heading_ids: set[str], checklist_ids: frozenset[str] = frozenset()) -> str:
    if t.id_col < 0:
        return "items" if t.title_col >= 0 else "other"
    ids = [normalise_id(rid) for _, cells in t.rows if (rid := t.row_id(cells))]
    if t.id_word or (heading_ids and mostly(sum(1 for i in ids if i in heading_ids), len(ids))):
        return "index"  # the rows name the file's own heading items
    if t.title_col < 0 and checklist_ids and mostly(sum(1 for i in ids if i in checklist_ids), len(ids)):
        return "index"  # `| REQ-01 | Phase 1 | Done |` beside `- [ ] **REQ-01**: ...`: a traceability table
    cols = [ci for ci in (t.id_col, t.title_col) if ci >= 0]
    linked = sum(1 for _, cells in t.rows
                 if any(_LOCAL_MD_LINK_RE.search(cells[ci][0]) for ci in cols if ci < len(cells)))
    if mostly(linked, len(t.rows)):
        return "index"  # the rows link to the items' own files
    if t.title_col < 0:
        return "index" if heading_ids else "other"
    return "items"


def find_table_items(ctx: Ctx, heading_ids: set[str], owned: BlockMarks,
                     checklist_ids: frozenset[str] = frozenset()) -> list[Item]:
    """The items of the file's tables; index tables add index rows, key/value tables nothing here.
    ``checklist_ids`` are the IDs of the file's own checklist entries (an ID-only table naming them is an index)."""
    items: list[Item] = []
    for bi, b in enumerate(ctx.blocks):
        if b.kind != "table" or not b.rows:
            continue
        t = read_table(ctx, b)
        section, inherited = section_path(ctx, ctx.section_of[bi])
        role = "fields" if is_key_value(ctx, t) else "other"
        if role == "other":
            _choose_columns(t)
            role = _role(t, heading_ids, checklist_ids)
        if bi in owned and role == "items":
            role = "other"
            _row_tasks(ctx, bi, t)
        ctx.doc.tables.append(Table(block_span(ctx, b), t.header, b.rows[0][0],
                                    [(ln, [c for c, _ in cells]) for ln, cells in t.rows], len(t.header), role,
                                    section))
        if role == "index":
            _index_rows(ctx, t, section)
        elif role == "items":
            for (ln, cells), tokens in zip(t.rows, t.tokens, strict=True):
                if all(_PLACEHOLDER_RE.match(plain_text(c)) for c, _ in cells):
                    continue  # "| — | — | — |": an empty lane's filler row
                if all(_SLOT_RE.match(plain_text(c)) or _PLACEHOLDER_RE.match(plain_text(c)) for c, _ in cells):
                    continue  # "| [fill in] | [fill in] |": a template's row, to be copied
                items.append(_table_item(ctx, ln, cells, tokens, t, section, inherited))
    return items


def _row_tasks(ctx: Ctx, bi: int, t: ReadTable) -> None:
    """A `| Task | Status |` table in a heading item's body: its rows are that item's tasks, done when their
    status says so (`✅`, `Done`), open when it names an open status; rows of no known status are left out."""
    owner = ctx.owner[bi] if bi < len(ctx.owner) else None
    status_col = next((i for i, k in enumerate(t.keys) if k == "status"), -1)
    if owner is None or status_col < 0 or t.id_col >= 0 or t.title_col < 0:
        return  # rows with IDs of their own are items, not tasks; without a title column, nothing names the task
    for ln, cells in t.rows:
        if status_col >= len(cells):
            continue
        raw, cspan = cells[status_col]
        status = ctx.vocab.status_of(plain_text(raw))
        if status is None:
            continue
        mark = "-" if status == "cancelled" else ("x" if status in ctx.vocab.done else " ")
        title_raw = cells[t.title_col][0] if t.title_col < len(cells) else ""  # a short row: an empty cell
        line = source_line(ctx, ln)
        row_span = Span(ln, len(line) - len(line.lstrip()) + 1, ln, len(line.rstrip()) + 1)
        owner.tasks.append(Task(plain_text(title_raw), mark == "x", mark, row_span, cspan, 0))


def _index_rows(ctx: Ctx, t: ReadTable, section: str) -> None:
    for ln, cells in t.rows:
        cid = t.row_id(cells)
        if not cid:
            continue
        cols: dict[str, str] = {}
        raws: dict[str, str] = {}
        spans: dict[str, Span] = {}
        for ci, (craw, cspan) in enumerate(cells[: len(t.keys)]):
            if ci == t.id_col:
                continue
            k = t.keys[ci] if t.keys[ci] != "id" else normalise_key(t.header[ci]) or "#"
            raws[k] = craw
            spans[k] = cspan
            cols[k] = _normalise_cell(ctx, k, craw)
        id_span = cells[t.id_col][1]
        shown = (row_number(cells[t.id_col][0]) or cid) if t.id_word else cid  # "3", or "Phase 3" as written
        col = source_line(ctx, ln).find(shown, id_span.col - 1)
        ref_span = Span(ln, col + 1, ln, col + len(shown) + 1) if col >= 0 else id_span
        ref = Ref(cid, "id", ref_span, "index", "index", attrs=cols)
        ctx.doc.index.append(IndexRow(ref, cols, raws, spans, section))


def _normalise_cell(ctx: Ctx, key: str, raw: str) -> str:
    text = plain_text(raw)
    if key == "status":
        return ctx.vocab.status_of(text) or text.lower()
    if key == "priority":
        return priority_of(text) or text
    return text


def _table_item(ctx: Ctx, ln: int, cells: list[tuple[str, Span]], tokens: list, t: ReadTable, section: str,
                inherited: dict[str, str]) -> Item:
    line = source_line(ctx, ln)
    row_span = Span(ln, len(line) - len(line.lstrip()) + 1, ln, len(line.rstrip()) + 1)
    title_raw, title_span = ("", row_span)  # a row too short for the title column: an empty title, as rendered
    if 0 <= t.title_col < len(cells):
        title_raw, title_span = cells[t.title_col]
    elif t.title_col < 0 and cells:
        title_raw, title_span = cells[0]
    title = plain_text(title_raw)
    struck_after: str | None = None  # `~~Sync credentials~~ **done**`: the title struck through, a word after
    if 0 <= t.title_col < len(tokens) and tokens[t.title_col] is not None and "~~" in title_raw:
        is_struck, after = struck(ctx.kids(tokens[t.title_col], keep=False))
        if is_struck:
            struck_after = after.strip()
            inner = plain_text(title_raw.split("~~")[1]) if title_raw.count("~~") >= 2 else title
            title = inner or title
    rid = None
    id_span = None
    if 0 <= t.id_col < len(cells):
        rid = t.row_id(cells)
        id_span = cells[t.id_col][1]
    elif t.id_col < 0:  # (a row too short for the ID column has no ID, as an empty cell)
        m = CELL_ID_RE.match(title)
        if m and not is_priority(m.group("id")):
            rid = m.group("id")
            title = m.group("title").strip()
            id_span = Span(ln, title_span.col, ln, title_span.col + len(rid))
    item = Item("table-row", normalise_id(rid) if rid else None, rid, title, title_raw, row_span, title_span,
                inherited=dict(inherited), section=section, id_span=id_span)
    if struck_after is not None:
        after_status = ctx.vocab.status_of(struck_after) if struck_after else None
        item.signals.append(StatusSignal("struck", "done", "~~", title_span))
        if after_status:
            item.signals.append(StatusSignal("heading", after_status, struck_after, title_span))
    for ci, (craw, cspan) in enumerate(cells[: len(t.keys)]):
        if ci in (t.title_col, t.id_col):
            continue
        key = t.keys[ci]
        tok = tokens[ci] if ci < len(tokens) else None
        kids = ctx.kids(tok, keep=False)  # read here only: not kept for the rest of the parse
        value = plain(kids) if tok is not None else plain_text(craw)
        f = Field(key, t.header[ci], value, craw, cspan, Span(ln, cspan.col, ln, cspan.col), cspan, "table",
                  known=ctx.vocab.canonical_key(t.header[ci]) is not None)
        if key == "labels":
            codes = code_spans(kids) if tok is not None else []
            f.values = codes or [p.strip() for p in re.split(r"[,;]", value) if p.strip()]
        else:
            fill_values(ctx, f)
        attach_field(item, f, ctx.vocab, ctx.lines, ctx.interned)
    return item


def holds_id_items(ctx: Ctx, bi: int) -> bool:
    """Whether the table at block ``bi`` lists items with IDs of their own: an ID column and a title column,
    neither a key/value table nor an index of the file's headings."""
    b = ctx.blocks[bi]
    if not b.rows or len(b.rows) < 3:
        return False
    t = read_table(ctx, b)
    if is_key_value(ctx, t):
        return False
    _choose_columns(t)
    return t.id_col >= 0 and t.title_col >= 0 and _role(t, set()) == "items"
