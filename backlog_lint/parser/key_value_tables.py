"""Convention: key/value tables. A two-column table whose first cells are field names (`| Status | Done |`,
`| Field | Value |`) gives fields to the item it belongs to: the task file it opens, or the item heading
it sits under. A row that declares the values a field takes (`| **Status** | Open / Doing / Done |`)
gives no value."""

from __future__ import annotations

from backlog_lint.model import Field
from backlog_lint.parser.context import Ctx, plain_text, source_line
from backlog_lint.parser.declarations import row_declaration
from backlog_lint.parser.fields import fill_values
from backlog_lint.parser.table_reading import ReadTable, mostly, read_table, table_cells
from backlog_lint.source import Span
from backlog_lint.vocab import KNOWN_FIELD_KEYS


def is_key_value(ctx: Ctx, t: ReadTable) -> bool:
    """`| Field | Value |` / `| Status | Done |` tables: two columns, the first naming known fields."""
    if len(t.header) != 2 or not t.rows:
        return False
    names = [plain_text(t.header[0]), *(plain_text(cells[0][0]) for _, cells in t.rows if cells)]
    known = sum(1 for n in names if ctx.vocab.canonical_key(n) in KNOWN_FIELD_KEYS | {"id", "title"})
    return known >= 2 and mostly(known, len(names))


def is_key_value_table(ctx: Ctx, bi: int) -> bool:
    b = ctx.blocks[bi]
    return b.kind == "table" and bool(b.rows) and is_key_value(ctx, read_table(ctx, b))


def key_value_fields(ctx: Ctx, bi: int) -> list[Field]:
    """The fields of the key/value table at block ``bi`` (the header row is a field too when it names one)."""
    b = ctx.blocks[bi]
    out: list[Field] = []
    for ln, _tokens in b.rows:
        cells = table_cells(ctx, ln)
        if len(cells) < 2:
            continue
        (kraw, kspan), (vraw, vspan) = cells[0], cells[1]
        key_raw = plain_text(kraw)
        canonical = ctx.vocab.canonical_key(key_raw)
        if canonical is None or row_declaration(ctx, ln, source_line(ctx, ln)) is not None:
            continue  # `| **Status** | Open / Doing / Done |` declares the values a field takes: it has none
        f = Field(canonical, key_raw, plain_text(vraw), vraw, Span(ln, kspan.col, ln, vspan.end_col), kspan, vspan,
                  "table", known=True)
        fill_values(ctx, f)
        out.append(f)
    return out
