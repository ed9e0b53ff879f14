"""Reading a Markdown table for the table conventions (table_items.py, key_value_tables.py): its header,
each column's field name, its rows' cells with their spans, and what a cell says as an ID or a number."""

from __future__ import annotations

import re
from dataclasses import dataclass

from backlog_lint.ids import PURE_ID_RE, is_priority
from backlog_lint.parser.blocks import Block
from backlog_lint.parser.context import Ctx, plain_text, source_line
from backlog_lint.parser.inline import plain
from backlog_lint.parser.patterns import split_cells
from backlog_lint.source import Span
from backlog_lint.text import normalise_key

_ARROW_CELL_RE = re.compile(r"^(\S+)\s+\S{1,3}\s+[A-Za-z][\w-]*\d+\w*$")
# "1", "12.1", "1. Foundation", "4.1 API Service Testing": the number a Phase/Step column gives a row
NUMBERED_RE = re.compile(r"^(?P<num>\d{1,4}(?:\.\d{1,3})*)(?:\.?(?:\s+\S.*)?)$")
_WORD_NUMBER_RE = re.compile(r"^(?P<word>[^\W\d_]+)\s+#?(?P<num>\d{1,4}(?:\.\d{1,3})*)(?:[.:]?(?:\s+\S.*)?)$")


def table_cells(ctx: Ctx, line_no: int) -> list[tuple[str, Span]]:
    """The raw cells of a row with their spans; a short cell is one shared string (`Open`, `P1`: the table and
    its items' fields keep each cell, 100,000 rows held 200,000 copies of a few words)."""
    line = source_line(ctx, line_no)
    text = ctx.interned.text
    return [(text(line[s:e]), Span(line_no, s + 1, line_no, e + 1)) for s, e in split_cells(line)]


def row_number(raw: str, word: str = "") -> str | None:
    """The number a Phase/Step cell gives its row: `3`, `3. Foundation`, or, with the column's ``word``,
    `Phase 3`."""
    text = plain_text(raw)
    m = NUMBERED_RE.match(text)
    if m:
        return m.group("num")
    wm = _WORD_NUMBER_RE.match(text) if word else None
    return wm.group("num") if wm and wm.group("word").lower() == word.lower() else None


def cell_id(raw: str) -> str | None:
    """The ID a table cell holds: a bare ID, possibly struck and redirected (`~~A-1~~ → B-2`)."""
    text = plain_text(raw)
    m = _ARROW_CELL_RE.match(text)
    if m:
        text = m.group(1)
    if PURE_ID_RE.match(text) and not is_priority(text) and not text.isdecimal():
        return text
    return None


@dataclass(slots=True)
class ReadTable:
    block: Block
    header: list[str]
    keys: list[str]  # canonical field name per column
    rows: list[tuple[int, list[tuple[str, Span]]]]  # (line, cells as in the source)
    tokens: list  # inline tokens per row (for labels in code spans)
    id_col: int = -1
    id_word: str = ""  # "Phase" when the ID column numbers the file's "Phase N" headings
    title_col: int = -1

    def row_id(self, cells: list[tuple[str, Span]]) -> str | None:
        if not 0 <= self.id_col < len(cells):
            return None
        raw = cells[self.id_col][0]
        if self.id_word:
            num = row_number(raw, self.id_word)
            return f"{self.id_word} {num}" if num else None
        return cell_id(raw)


def read_table(ctx: Ctx, b: Block) -> ReadTable:
    header_tokens = b.rows[0][1]
    header = [plain(ctx.kids(t)) if t is not None else "" for t in header_tokens]
    keys: list[str] = []
    for h in header:
        canonical = ctx.vocab.canonical_key(h)
        keys.append(canonical or normalise_key(h) or f"column {len(keys) + 1}")
    rows = [(ln, table_cells(ctx, ln)) for ln, _ in b.rows[1:]]
    return ReadTable(b, header, keys, rows, [tokens for _, tokens in b.rows[1:]])


def mostly(hits: int, total: int) -> bool:
    return total > 0 and hits * 10 >= total * 6
