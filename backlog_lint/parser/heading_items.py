"""Convention: heading items. A heading is an item when it carries an ID (`### TODO-052: Title`), a
number among numbered siblings (`### 3. Run benchmarks`), or field lines like its siblings; status
markers on the heading (`✅`, `[DONE]`, `~~struck~~ → NEW-ID`) are signals."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from backlog_lint.ids import normalise_id
from backlog_lint.model import (
    Field,
    Item,
    Ref,
    StatusSignal,
)
from backlog_lint.parser.inline import struck
from backlog_lint.parser.patterns import (
    ARROW_RE,
    GROUP_WORD_RE,
    LEADING_STATUS_RE,
    TRAILING_STATUS_RE,
    match_item_heading,
)
from backlog_lint.source import Span
from backlog_lint.text import normalise_word
from backlog_lint.vocab import KNOWN_FIELD_KEYS

if TYPE_CHECKING:
    from backlog_lint.vocab import Vocabulary
from backlog_lint.parser.context import Ctx, plain_text, source_line, span_in_line
from backlog_lint.parser.fields import attach_field, direct_fields, fill_values
from backlog_lint.parser.key_value_tables import is_key_value_table, key_value_fields
from backlog_lint.parser.sections import section_path
from backlog_lint.parser.table_items import holds_id_items


def _strip_heading(text: str, vocab: Vocabulary) -> tuple[str, list[tuple[str, str]]]:
    """Remove leading/trailing status markers from heading text; return the markers found."""
    signals: list[tuple[str, str]] = []
    m = LEADING_STATUS_RE.match(text)
    if m:
        signals.append(("emoji" if m.group("emoji") else "prefix", m.group(0).strip()))
        text = text[m.end():]
    m = TRAILING_STATUS_RE.search(text)
    if m and m.start() > 0:
        signals.append(("emoji" if m.group("emoji") else "heading", m.group("raw")))
        text = text[: m.start()]
    else:
        m = _CAPS_SUFFIX_RE.search(text)
        if m and m.start() > 0 and _is_caps_status(m.group("raw"), vocab):
            signals.append(("heading", m.group("raw")))
            text = text[: m.start()]
    return text.strip(), signals


# "— COMPLÉTÉE", "- ERLEDIGT", ": EN COURS": a status in capitals after a dash or colon, in any language
_CAPS_SUFFIX_RE = re.compile(r"\s+[-—–:]\s+(?P<raw>[^\W\d_][^\W\d_ ]*(?: [^\W\d_]+){0,2})\s*$")


def _is_caps_status(raw: str, vocab: Vocabulary) -> bool:
    """A suffix written in capitals that the vocabulary reads as a status (a status word, not the title's
    last words: those are not in capitals)."""
    return raw.isupper() and len(raw) >= 3 and vocab.status.get(normalise_word(raw)) is not None


_DATE_PART_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _dotted_parts(ctx: Ctx, title: str, markers: list[tuple[str, str]]) -> str:
    """`2026-03-01 · support · OPEN` after an ID: a status part is a marker, a date part is dropped, the rest
    is the title."""
    kept = []
    for part in (p.strip() for p in title.split("·")):
        if not part or _DATE_PART_RE.match(part):
            continue
        if ctx.vocab.status_of(part) is not None and len(part.split()) <= 3:
            markers.append(("heading", part))
            continue
        kept.append(part)
    return " · ".join(kept) or title


def _heading_candidates(ctx: Ctx) -> dict[int, tuple[str | None, int | None, str, list[tuple[str, str]], bool, str]]:
    """Heading ordinal -> (id, number, title, status markers, struck, arrow target)."""
    out: dict[int, tuple[str | None, int | None, str, list[tuple[str, str]], bool, str]] = {}
    for ordinal, bi in enumerate(ctx.heading_blocks):
        b = ctx.blocks[bi]
        children = ctx.kids(b.inline)
        is_struck, after = struck(children)
        text = ctx.sections[ordinal].title
        arrow = ""
        if is_struck:
            inner_end = text.find(after) if after else len(text)
            inner = text[:inner_end].strip() if after else text
            am = ARROW_RE.search(after)
            if am:
                arrow = am.group("target")
            text = inner
        text, markers = _strip_heading(text, ctx.vocab)
        if is_struck and after and not arrow:
            markers.append(("heading", after.strip()))
        hm = match_item_heading(text)
        if hm is None:
            out[ordinal] = (None, None, text, markers, is_struck, arrow)
        else:
            title = _dotted_parts(ctx, hm.title, markers) if hm.dotted else hm.title
            out[ordinal] = (hm.id, hm.number, title, markers, is_struck, arrow)
    return out


def body_range(ctx: Ctx, ordinal: int) -> tuple[int, int]:
    """Block indices (start, end-exclusive) of a heading's body: up to the next heading of <= level."""
    return ctx.heading_blocks[ordinal] + 1, ctx.body_end[ordinal]


def find_heading_items(ctx: Ctx, doc_is_item: bool) -> list[tuple[int, Item]]:
    cands = _heading_candidates(ctx)
    numbered_levels: dict[int, int] = {}
    for ordinal, (hid, num, *_rest) in cands.items():
        if num is not None and hid is None:
            lvl = ctx.blocks[ctx.heading_blocks[ordinal]].level
            numbered_levels[lvl] = numbered_levels.get(lvl, 0) + 1
    chosen: dict[int, str] = {}
    for ordinal, (hid, num, *_rest) in cands.items():
        lvl = ctx.blocks[ctx.heading_blocks[ordinal]].level
        if hid is not None:
            chosen[ordinal] = "id"
        elif num is not None and numbered_levels.get(lvl, 0) >= 2:
            chosen[ordinal] = "number"
    # headings without IDs: items when they and a sibling both carry field lines
    with_fields: dict[tuple[int, int], list[int]] = {}
    for ordinal in cands:
        if ordinal in chosen:
            continue
        start, end = body_range(ctx, ordinal)
        fields = direct_fields(ctx, start, end, allow_plain=True)
        if any(f.value and f.key in KNOWN_FIELD_KEYS for f in fields):
            lvl = ctx.blocks[ctx.heading_blocks[ordinal]].level
            parent = _parent_ordinal(ctx, ordinal)
            with_fields.setdefault((parent, lvl), []).append(ordinal)
    for group in with_fields.values():
        if len(group) >= 2 and not doc_is_item:
            for ordinal in group:
                chosen[ordinal] = "fields"
    # "Phase 2: ..." groups items or sits inside one: a section then, not an item
    for ordinal in list(chosen):
        hid = cands[ordinal][0]
        if hid is None or not GROUP_WORD_RE.match(hid):
            continue
        start, end = body_range(ctx, ordinal)
        inner = any(o in chosen and o != ordinal and start <= ctx.heading_blocks[o] < end for o in chosen)
        parent = _parent_ordinal(ctx, ordinal)
        nested = False
        while parent >= 0:
            if parent in chosen and parent != ordinal:
                nested = True
                break
            parent = _parent_ordinal(ctx, parent)
        if inner or nested:
            del chosen[ordinal]
    # "# 3. Example" whose body holds a table of rows with IDs of their own (`| US-001 | ... |`): the numbered
    # headings are the document's chapters, the rows its items; one numbered sibling holding items makes
    # the whole numbered group at that level chapters
    chapters = {(_parent_ordinal(ctx, o), ctx.blocks[ctx.heading_blocks[o]].level)
                for o, how in chosen.items() if how == "number" and _holds_id_table(ctx, o)}
    for ordinal in [o for o, how in chosen.items() if how == "number"]:
        if (_parent_ordinal(ctx, ordinal), ctx.blocks[ctx.heading_blocks[ordinal]].level) in chapters:
            del chosen[ordinal]
    # "## 4. Commit approval" under "# TASK-6: ...": a numbered section of that item, not an item
    for ordinal in [o for o, how in chosen.items() if how == "number"]:
        parent = _parent_ordinal(ctx, ordinal)
        while parent >= 0:
            if chosen.get(parent) == "id":
                del chosen[ordinal]
                break
            parent = _parent_ordinal(ctx, parent)
    items: list[tuple[int, Item]] = []
    for ordinal in sorted(chosen):
        items.append((ordinal, _make_heading_item(ctx, ordinal, cands[ordinal])))
    return items


def _holds_id_table(ctx: Ctx, ordinal: int) -> bool:
    start, end = body_range(ctx, ordinal)
    return any(ctx.blocks[bi].kind == "table" and holds_id_items(ctx, bi) for bi in range(start, end))


def _parent_ordinal(ctx: Ctx, ordinal: int) -> int:
    return ctx.parent_of[ordinal]


def _make_heading_item(ctx: Ctx, ordinal: int, cand: tuple) -> Item:
    hid, num, title, markers, is_struck, arrow = cand
    bi = ctx.heading_blocks[ordinal]
    b = ctx.blocks[bi]
    heading = ctx.sections[ordinal].heading
    assert heading is not None
    start, end = body_range(ctx, ordinal)
    last_line = ctx.blocks[end].line - 1 if end < len(ctx.blocks) else len(ctx.lines)
    while last_line > b.line and not source_line(ctx, last_line).strip():
        last_line -= 1
    span = Span(b.line, heading.span.col, last_line, len(source_line(ctx, last_line)) + 1)
    title_span = span_in_line(ctx, b.line, title) if title else heading.span
    id_span = span_in_line(ctx, b.line, hid) if hid else None
    section, inherited = section_path(ctx, _parent_ordinal(ctx, ordinal))
    item = Item("heading", hid, hid, title, title, span, title_span, inherited=inherited,
                section=section, number=num, id_span=id_span, level=b.level)
    if hid:
        nid = normalise_id(hid)
        item.id = hid if nid == hid else nid  # one string when the ID is written in its normal form
    for source, raw in markers:
        status = ctx.vocab.status_of(raw) or ("done" if source == "heading" else None)
        if status:
            item.signals.append(StatusSignal(source, status, raw, heading.span))
    if is_struck:
        item.signals.append(StatusSignal("strikethrough", "done", "~~", heading.span))
    if arrow:
        item.refs.append(Ref(arrow, "id", span_in_line(ctx, b.line, arrow), "arrow", "closed-by"))
    own_status = ctx.sections[ordinal].inherited.get("status")
    if own_status and not item.signals:
        item.signals.append(StatusSignal("heading", own_status, heading.text, heading.span))
    for f in direct_fields(ctx, start, end, allow_plain=True):
        attach_field(item, f, ctx.vocab, ctx.lines, ctx.interned)
    for bi in range(start, end):  # a `| Status | Done |` table right under the heading
        if ctx.blocks[bi].kind == "heading":
            break
        if ctx.blocks[bi].depth == 0 and is_key_value_table(ctx, bi):
            for f in key_value_fields(ctx, bi):
                if item.get(f.key) is None:
                    attach_field(item, f, ctx.vocab, ctx.lines, ctx.interned)
    _fields_as_headings(ctx, item, ordinal, start, end)
    return item


def _fields_as_headings(ctx: Ctx, item: Item, ordinal: int, start: int, end: int) -> None:
    """`### Priority` followed by a paragraph (one-item-per-file tickets)."""
    for bi in range(start, end):
        b = ctx.blocks[bi]
        if b.kind != "heading" or b.inline is None:
            continue
        key = ctx.vocab.canonical_key(b.inline.content)
        if key is None or key not in KNOWN_FIELD_KEYS or item.get(key) is not None:
            continue
        nxt = bi + 1
        if nxt < len(ctx.blocks) and ctx.blocks[nxt].kind == "paragraph" and ctx.blocks[nxt].depth == 0:
            p = ctx.blocks[nxt]
            raw = source_line(ctx, p.line).strip()
            key_span = span_in_line(ctx, b.line, b.inline.content)
            value_span = span_in_line(ctx, p.line, raw)
            f = Field(key, b.inline.content, plain_text(raw), raw, Span(b.line, 1, p.line, value_span.end_col),
                      key_span, value_span, "heading", known=True)
            fill_values(ctx, f)
            attach_field(item, f, ctx.vocab, ctx.lines, ctx.interned)
