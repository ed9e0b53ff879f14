"""Convention: the document as one item. YAML front matter (Backlog.md task files) or bold field
lines at the top (`**Status:** Proposed`) make the whole file an item."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from backlog_lint.ids import FILE_ID_RE, normalise_id
from backlog_lint.model import (
    BROKEN_FRONT_MATTER,
    Field,
    Item,
)
from backlog_lint.parser import frontmatter
from backlog_lint.parser.patterns import (
    match_item_heading,
)
from backlog_lint.source import Span
from backlog_lint.text import normalise_key

if TYPE_CHECKING:
    pass
from backlog_lint.parser.context import Ctx, plain_text, problem, source_line
from backlog_lint.parser.fields import attach_field, field_in_line, fields_in_line
from backlog_lint.parser.key_value_tables import is_key_value_table, key_value_fields


def front_matter_fields(ctx: Ctx) -> list[Field]:
    fields: list[Field] = []
    fm_block = next((b for b in ctx.blocks if b.kind == "front_matter"), None)
    first = source_line(ctx, 1).strip()
    if fm_block is None:
        if first == "---" and not _has_closing_fence(ctx):
            problem(ctx, Span(1, 1, 1, 4), BROKEN_FRONT_MATTER,
                     "front matter opened with '---' on line 1 is never closed: add a closing '---' line "
                     "(everything after it is read as YAML)")
        return fields
    result = frontmatter.load(fm_block.content)
    ctx.doc.front_matter_span = Span(fm_block.line, 1, fm_block.end_line, len(source_line(ctx, fm_block.end_line)) + 1)
    if result.error is not None:
        bad = fm_block.line + result.error_line
        unread = "its fields are not read" if result.data is None else f"its fields from line {bad} on are not read"
        problem(ctx, Span(bad, 1, bad, len(source_line(ctx, bad)) + 1), BROKEN_FRONT_MATTER,
                 f"{result.error}; {unread} until it is fixed")
    if result.data is None:
        return fields
    ctx.doc.front_matter = result.data
    positions = frontmatter.key_lines(fm_block.content)
    for key, value in result.data.items():
        where = positions.get(key)
        if where is None:
            continue
        rel, kend, vstart = where
        n = fm_block.line + 1 + rel
        line = source_line(ctx, n)
        canonical = ctx.vocab.canonical_key(key)
        text = frontmatter.as_text(value)
        vend = len(line.rstrip()) if line[vstart:].strip() else vstart
        if isinstance(value, int | float) and not isinstance(value, bool):
            # YAML reads `id: 0236` as an octal number (158) and `1.10` as 1.1: keep what was written
            text = frontmatter.scalar_text(line[vstart:vend]) or text
        end_n = n
        while end_n + 1 < fm_block.end_line and source_line(ctx, end_n + 1)[:1] in (" ", "\t", "-"):
            end_n += 1
        f = Field(canonical or normalise_key(key), key, text, line[vstart:vend] if vend > vstart else text,
                  Span(n, 1, end_n, len(source_line(ctx, end_n).rstrip()) + 1), Span(n, 1, n, kend + 1),
                  Span(n, vstart + 1, n, vend + 1), "frontmatter", known=canonical is not None)
        if isinstance(value, list):
            f.values = [frontmatter.as_text(v) for v in value]
        elif canonical in ctx.vocab.list_fields and text:
            f.values = [p.strip() for p in text.split(",") if p.strip()]
        fields.append(f)
    return fields


def _has_closing_fence(ctx: Ctx) -> bool:
    return any(line.rstrip() == "---" for line in ctx.lines[1:])


def top_fields(ctx: Ctx) -> list[Field]:
    """Field lines before the first level-2 heading (after the title)."""
    out: list[Field] = []
    for bi, b in enumerate(ctx.blocks):
        if b.kind == "heading" and b.level >= 2:
            break
        if b.kind == "table" and b.depth == 0 and is_key_value_table(ctx, bi):
            out.extend(key_value_fields(ctx, bi))
            continue
        if b.kind == "paragraph" and b.depth == 0:
            for n in range(b.line, b.end_line + 1):
                out.extend(fields_in_line(ctx, n, allow_plain=False))
        elif b.kind == "list_item" and b.depth == 0:
            f = field_in_line(ctx, b.line, allow_plain=False, allow_unknown=False)
            if f is not None:
                out.append(f)
    return out


def status_section_fields(ctx: Ctx) -> list[Field]:
    """The field lines of a `## Status` section that opens the document (a spec's tasks file:
    `## Status` / `- **Phase:** Complete` / `- **Updated:** 2026-02-02`): the document's own fields.

    Only the first level-2 section, titled with a Status alias, and only when every line of its body
    is a field line (a section of prose about statuses is not a field block)."""
    first = next((bi for bi in ctx.heading_blocks if ctx.blocks[bi].level == 2), None)
    inline = ctx.blocks[first].inline if first is not None else None
    if first is None or inline is None or ctx.vocab.canonical_key(plain_text(inline.content)) != "status":
        return []
    out: list[Field] = []
    for b in ctx.blocks[first + 1:]:
        if b.kind == "heading":
            break
        if b.depth > 1 or (b.depth == 1 and b.kind == "paragraph"):
            continue  # a field line's own paragraph
        if b.kind == "list_item" and b.depth == 0:
            lines = [b.line]
        elif b.kind == "paragraph" and b.depth == 0:
            lines = list(range(b.line, b.end_line + 1))
        else:
            return []
        for n in lines:
            f = field_in_line(ctx, n, allow_plain=False)
            if f is None:
                return []
            out.append(f)
    return out


def make_document_item(ctx: Ctx, fm_fields: list[Field], top: list[Field]) -> Item | None:
    keys = {f.key for f in fm_fields} | {f.key for f in top}
    if not ({"id", "status"} & keys):
        return None
    doc = ctx.doc
    h1 = next((h for h in doc.headings if h.level == 1), None)
    title_f = next((f for f in fm_fields if f.key == "title"), None)
    title = title_f.value if title_f else (h1.text if h1 else PurePosixPath(ctx.path).stem)
    title_span = title_f.value_span if title_f else (h1.span if h1 else Span(1, 1, 1, 1))
    id_f = next((f for f in fm_fields if f.key == "id"), None)
    last = len(ctx.lines)
    item = Item("document", None, None, title, title, Span(1, 1, last, len(source_line(ctx, last)) + 1), title_span)
    if id_f and id_f.value:
        item.id_raw = id_f.value
        item.id = normalise_id(id_f.value)
        item.id_span = id_f.value_span
    else:
        fm = FILE_ID_RE.match(PurePosixPath(ctx.path).name)
        hm = match_item_heading(title) if title else None
        if hm and hm.id:
            item.id_raw, item.id, item.title = hm.id, normalise_id(hm.id), hm.title
        elif fm and fm_fields:
            item.id_raw, item.id = fm.group("id"), normalise_id(fm.group("id"))
    for f in [*fm_fields, *top]:
        if f.key in ("title", "id") and f.style == "frontmatter":
            continue
        attach_field(item, f, ctx.vocab, ctx.lines, ctx.interned)
    return item
