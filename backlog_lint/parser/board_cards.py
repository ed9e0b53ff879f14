"""Convention: plain bullets under the lanes of a board are its cards.

A file whose sections are named after at least two statuses (`## Backlog`, `## To Do`,
`## In Progress`, `## Done`) is a board. A top-level bullet directly under a lane heading,
with no checkbox and outside every other item, is a card of that lane (`- Write the docs`);
leading tags in brackets are its labels (`- [UI][API] Login form`). Checklist cards and
bold-name bullets are read by ``list_items``; a nested bullet is its card's note, not a card.
"""

from __future__ import annotations

import re

from backlog_lint.ids import CELL_ID_RE, is_priority, normalise_id
from backlog_lint.model import Field, Item, StatusSignal
from backlog_lint.parser.context import BlockMarks, Ctx, block_span, plain_text, source_line, span_in_line
from backlog_lint.parser.patterns import CHECKBOX_RE
from backlog_lint.parser.sections import section_path
from backlog_lint.parser.tasks import inside
from backlog_lint.source import Span

_BULLET_RE = re.compile(r"^(?P<prefix>\s*[-*+]\s+)(?P<text>\S.*?)\s*$")
_TAGS_RE = re.compile(r"^(?P<tags>(?:\[[^\]\[\s][^\]\[]{0,19}\]\s*)+)(?=[^\s(\[])")
_TAG_RE = re.compile(r"\[([^\]]+)\]")
_MIN_TITLE = 3


def lane_statuses(ctx: Ctx) -> set[str]:
    """The distinct statuses the file's section headings (below the title) name."""
    return {s.inherited["status"] for s in ctx.sections if s.level > 1 and "status" in s.inherited}


def find_board_cards(ctx: Ctx, owned: BlockMarks) -> list[Item]:
    """The cards of a board: plain bullets directly under its lane headings, outside other items."""
    if len(lane_statuses(ctx)) < 2:
        return []
    items: list[Item] = []
    for bi, b in enumerate(ctx.blocks):
        if b.kind != "list_item" or b.depth != 0 or b.quote or bi in owned:
            continue
        ordinal = ctx.section_of[bi]
        if ordinal < 0 or "status" not in ctx.sections[ordinal].inherited:
            continue  # only bullets of the lane itself, not of a sub-section or of the intro
        line = source_line(ctx, b.line)
        if CHECKBOX_RE.match(line):
            continue
        m = _BULLET_RE.match(line)
        if m is None:
            continue
        item = _card(ctx, bi, m)
        if item is not None:
            items.append(item)
            owned.add(bi)
            owned.update(inside(ctx.blocks, bi))
    return items


def _card(ctx: Ctx, bi: int, m: re.Match[str]) -> Item | None:
    b = ctx.blocks[bi]
    raw = m.group("text")
    col = m.start("text")
    tags: list[str] = []
    tm = _TAGS_RE.match(raw)
    if tm:
        tags = [t.strip() for t in _TAG_RE.findall(tm.group("tags"))]
        col += tm.end()
        raw = raw[tm.end():]
    title = plain_text(raw).strip().rstrip(":")
    if len(title) < _MIN_TITLE:
        return None
    section, inherited = section_path(ctx, ctx.section_of[bi])
    span = block_span(ctx, b)
    title_span = Span(b.line, col + 1, b.line, col + len(raw) + 1)
    idm = CELL_ID_RE.match(title)
    rid = idm.group("id") if idm and not is_priority(idm.group("id")) else None
    item = Item("bullet", normalise_id(rid) if rid else None, rid, idm.group("title").strip() if rid and idm else title,
                raw, span, title_span, inherited=dict(inherited), section=section,
                id_span=span_in_line(ctx, b.line, rid) if rid else None)
    item.signals.append(StatusSignal("lane", inherited["status"], section, span))
    if tags:
        first = Span(b.line, m.start("text") + 1, b.line, m.start("text") + 1)
        tspan = Span(b.line, m.start("text") + 1, b.line, m.start("text") + (tm.end() if tm else 0) + 1)
        item.fields.append(Field("labels", "[]", ", ".join(tags), tm.group("tags").strip() if tm else "", tspan,
                                 first, tspan, "inline", values=tags, known=True))
    return item
