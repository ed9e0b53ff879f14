"""Convention: table items and index tables. A table with a title-like column (or `ID: title` first
cells) holds items; one whose rows point at items defined elsewhere by ID is an index."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from backlog_lint.ids import CELL_ID_RE, PURE_ID_RE, is_priority, normalise_id
from backlog_lint.model import (
    Field,
    IndexRow,
    Item,
    Ref,
    Table,
)
from backlog_lint.parser.inline import code_spans, plain
from backlog_lint.parser.patterns import (
    split_cells,
)
from backlog_lint.source import Span
from backlog_lint.text import normalise_key
from backlog_lint.vocab import priority_of

if TYPE_CHECKING:
    pass
from backlog_lint.parser.context import Ctx, block_span, plain_text, source_line
from backlog_lint.parser.fields import attach_field, fill_values
from backlog_lint.parser.sections import section_path


def _table_cells(ctx: Ctx, line_no: int) -> list[tuple[str, Span]]:
    line = source_line(ctx, line_no)
    return [(line[s:e], Span(line_no, s + 1, line_no, e + 1)) for s, e in split_cells(line)]


def _cell_id(raw: str) -> str | None:
    """The ID a table cell holds: a bare ID, possibly struck and redirected (`~~A-1~~ → B-2`)."""
    text = plain_text(raw)
    m = _ARROW_CELL_RE.match(text)
    if m:
        text = m.group(1)
    if PURE_ID_RE.match(text) and not is_priority(text) and not text.isdecimal():
        return text
    return None


_ARROW_CELL_RE = re.compile(r"^(\S+)\s+\S{1,3}\s+[A-Za-z][\w-]*\d+\w*$")


def find_table_items(ctx: Ctx, heading_ids: set[str], owned: set[int]) -> list[Item]:
    items: list[Item] = []
    for bi, b in enumerate(ctx.blocks):
        if b.kind != "table" or not b.rows:
            continue
        header_line, header_tokens = b.rows[0]
        header = [plain(ctx.kids(t)) if t is not None else "" for t in header_tokens]
        body_rows = b.rows[1:]
        section, inherited = section_path(ctx, ctx.section_of[bi])
        keys: list[str] = []
        for h in header:
            canonical = ctx.vocab.canonical_key(h)
            keys.append(canonical or normalise_key(h) or f"column {len(keys) + 1}")
        raw_rows = [(ln, _table_cells(ctx, ln)) for ln, _ in body_rows]
        # an ID column: most non-empty cells are a bare ID
        id_col = -1
        for ci in range(len(header)):
            vals = [cells[ci][0] for _, cells in raw_rows if ci < len(cells) and plain_text(cells[ci][0])]
            if vals and sum(1 for v in vals if _cell_id(v)) >= max(1, (len(vals) * 6 + 9) // 10):
                id_col = ci
                break
        titles = [i for i, k in enumerate(keys) if k == "title" and i != id_col]
        title_col = next((i for i in titles if normalise_key(header[i]) == "title"), titles[0] if titles else -1)
        if title_col < 0 and id_col < 0 and raw_rows:
            # "| M3: Fixed vector add | ..." : IDs with titles in the first column
            firsts = [plain_text(cells[0][0]) for _, cells in raw_rows if cells]
            hits = sum(1 for f in firsts if (cm := CELL_ID_RE.match(f)) and not is_priority(cm.group("id")))
            if firsts and hits * 10 >= len(firsts) * 6:
                title_col = 0
        role = "other"
        if id_col >= 0:
            ids = [normalise_id(_cell_id(cells[id_col][0]) or "") for _, cells in raw_rows if id_col < len(cells)]
            defined = sum(1 for i in ids if i in heading_ids)
            if heading_ids and defined * 2 >= len(ids):
                role = "index"
            elif title_col < 0:
                role = "index" if heading_ids else "other"
            else:
                role = "items"
        elif title_col >= 0:
            role = "items"
        if bi in owned and role == "items":
            role = "other"
        span = block_span(ctx, b)
        ctx.doc.tables.append(Table(span, header, header_line, [(ln, [c for c, _ in cells]) for ln, cells in raw_rows],
                                    len(header), role, section))
        if role == "index":
            for ln, cells in raw_rows:
                if id_col >= len(cells):
                    continue
                cid = _cell_id(cells[id_col][0])
                if not cid:
                    continue
                cols = {}
                raws = {}
                spans = {}
                for ci, (craw, cspan) in enumerate(cells[: len(keys)]):
                    if ci == id_col:
                        continue
                    k = keys[ci] if keys[ci] != "id" else normalise_key(header[ci]) or "#"
                    raws[k] = craw
                    spans[k] = cspan
                    cols[k] = _normalise_cell(ctx, k, craw)
                id_span = cells[id_col][1]
                col = source_line(ctx, ln).find(cid, id_span.col - 1)
                ref_span = Span(ln, col + 1, ln, col + len(cid) + 1) if col >= 0 else id_span
                ref = Ref(cid, "id", ref_span, "index", "index", attrs=cols)
                ctx.doc.index.append(IndexRow(ref, cols, raws, spans, section))
        elif role == "items":
            for (ln, cells), (_, tokens) in zip(raw_rows, body_rows, strict=True):
                items.append(_table_item(ctx, ln, cells, tokens, keys, header, id_col, title_col,
                                         section, inherited))
    return items


def _normalise_cell(ctx: Ctx, key: str, raw: str) -> str:
    text = plain_text(raw)
    if key == "status":
        return ctx.vocab.status_of(text) or text.lower()
    if key == "priority":
        return priority_of(text) or text
    return text


def _table_item(ctx: Ctx, ln: int, cells: list[tuple[str, Span]], tokens: list, keys: list[str],
                header: list[str], id_col: int, title_col: int, section: str,
                inherited: dict[str, str]) -> Item:
    line = source_line(ctx, ln)
    row_span = Span(ln, len(line) - len(line.lstrip()) + 1, ln, len(line.rstrip()) + 1)
    title_raw, title_span = ("", row_span)
    if 0 <= title_col < len(cells):
        title_raw, title_span = cells[title_col]
    elif cells:
        title_raw, title_span = cells[0]
    title = plain_text(title_raw)
    rid = None
    id_span = None
    if 0 <= id_col < len(cells):
        rid = _cell_id(cells[id_col][0])
        id_span = cells[id_col][1]
    else:
        m = CELL_ID_RE.match(title)
        if m and not is_priority(m.group("id")):
            rid = m.group("id")
            title = m.group("title").strip()
            id_span = Span(ln, title_span.col, ln, title_span.col + len(rid))
    item = Item("table-row", normalise_id(rid) if rid else None, rid, title, title_raw, row_span, title_span,
                inherited=dict(inherited), section=section, id_span=id_span)
    for ci, (craw, cspan) in enumerate(cells[: len(keys)]):
        if ci in (title_col, id_col):
            continue
        key = keys[ci]
        tok = tokens[ci] if ci < len(tokens) else None
        value = plain(ctx.kids(tok)) if tok is not None else plain_text(craw)
        f = Field(key, header[ci], value, craw, cspan, Span(ln, cspan.col, ln, cspan.col), cspan, "table",
                  known=ctx.vocab.canonical_key(header[ci]) is not None)
        if key == "labels":
            codes = code_spans(ctx.kids(tok)) if tok is not None else []
            f.values = codes or [p.strip() for p in re.split(r"[,;]", value) if p.strip()]
        else:
            fill_values(ctx, f)
        attach_field(item, f, ctx.vocab, ctx.lines)
    return item
