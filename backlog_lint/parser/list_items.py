"""Convention: list items. Checklist entries outside other items (`- [ ] TODO-1: title`, inline
`@key:value` and `#tag` metadata) and bold-name bullets (`- **Name**: description`)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from backlog_lint.ids import CELL_ID_RE, is_priority, normalise_id
from backlog_lint.model import (
    Field,
    IndexRow,
    Item,
    Ref,
    StatusSignal,
    Task,
)
from backlog_lint.parser.blocks import Block
from backlog_lint.parser.patterns import (
    BOLD_NAME_RE,
    CHECKBOX_RE,
    NON_ITEM_SECTION_RE,
)
from backlog_lint.source import Span

if TYPE_CHECKING:
    pass
from backlog_lint.parser.context import BlockMarks, Ctx, block_span, plain_text, source_line, span_in_line
from backlog_lint.parser.fields import attach_field, fields_in_line, fill_values
from backlog_lint.parser.sections import section_path
from backlog_lint.parser.tasks import collect_tasks, inside, task_of

_LINK_ONLY_RE = re.compile(r"^\[[^\]]*\]\([^)]*\)\.?$")


def find_list_items(ctx: Ctx, owned: BlockMarks, heading_ids: set[str], has_heading_items: bool,
                doc_is_item: bool) -> list[Item]:
    """Top-level checklist entries and bold-name bullets outside other items."""
    items: list[Item] = []
    if doc_is_item:
        return items
    blocks = ctx.blocks
    # bold-name bullets need a sibling of the same shape in the same list
    bold: dict[int, tuple[re.Match[str], int]] = {}
    list_memo: dict[int, int] = {}
    sibling_count: dict[tuple[int, int], int] = {}
    for bi, b in enumerate(blocks):
        if b.kind != "list_item" or b.depth != 0 or bi in owned:
            continue
        line = source_line(ctx, b.line)
        if CHECKBOX_RE.match(line):
            continue
        m = BOLD_NAME_RE.match(line)
        if not m:
            continue
        name = m.group("name").strip().rstrip(":：")
        desc = m.group("desc")
        if ctx.vocab.canonical_key(name) is not None or not desc or _LINK_ONLY_RE.match(desc.strip()):
            continue
        ordinal = ctx.section_of[bi]
        if ordinal >= 0 and NON_ITEM_SECTION_RE.search(ctx.sections[ordinal].title):
            continue
        group = (ordinal, _list_start(ctx, bi, list_memo))
        bold[bi] = (m, group[1])
        sibling_count[group] = sibling_count.get(group, 0) + 1
    # the same bold name in several lists is a template of properties, not item names
    names_by_group: dict[int, set[str]] = {}
    for m, start in bold.values():
        names_by_group.setdefault(start, set()).add(m.group("name").strip().rstrip(":：").casefold())
    seen_names: dict[str, int] = {}
    for names in names_by_group.values():
        for nm in names:
            seen_names[nm] = seen_names.get(nm, 0) + 1
    for bi in [bi for bi, (m, start) in bold.items()
               if any(seen_names[nm] > 1 for nm in names_by_group[start])]:
        del bold[bi]
    for bi, b in enumerate(blocks):
        if b.kind != "list_item" or bi in owned:
            continue
        section, inherited = section_path(ctx, ctx.section_of[bi])
        line = source_line(ctx, b.line)
        span = block_span(ctx, b)
        if b.depth == 0 and CHECKBOX_RE.match(line):
            task = task_of(ctx, b)
            if task is None or not task.text.strip():
                continue  # an empty `- [ ]` is no item (BL112 reports it)
            sub = inside(blocks, bi)
            if has_heading_items:
                if task.id and normalise_id(task.id) in heading_ids:
                    ctx.doc.index.append(task_index_row(ctx, task, section))
                else:
                    task.children = collect_tasks(ctx, sub)
                    ctx.doc.loose_tasks.append(task)
                owned.update(sub)
                continue
            children = collect_tasks(ctx, sub)
            title = task.text
            tid = task.id
            if tid:
                title = _after_id(title, tid) or title
            item = Item("checklist", normalise_id(tid) if tid else None, tid, title, task.text, span,
                        task.span, tasks=children, inherited=dict(inherited), section=section,
                        id_span=span_in_line(ctx, b.line, tid) if tid else None, level=b.depth)
            item.signals.append(StatusSignal("checkbox", "done" if task.checked else "todo",
                                             f"[{task.marker}]", task.marker_span))
            if inherited.get("status") and not task.checked:
                item.signals.insert(0, StatusSignal("lane", inherited["status"], section, span))
            for f in _inline_meta_fields(ctx, b):
                attach_field(item, f, ctx.vocab, ctx.lines, ctx.interned)
            for n in range(b.line + 1, b.end_line + 1):  # "  **Do:** ..." lines under the entry
                for line_field in fields_in_line(ctx, n, allow_plain=False) if n not in ctx.doc.code_lines else ():
                    if item.get(line_field.key) is None:
                        attach_field(item, line_field, ctx.vocab, ctx.lines, ctx.interned)
            items.append(item)
            owned.update(sub)
            owned.add(bi)
        elif bi in bold and sibling_count.get((ctx.section_of[bi], bold[bi][1]), 0) >= 2:
            bm = bold[bi][0]
            name = bm.group("name").strip().rstrip(":：").strip()
            name_span = span_in_line(ctx, b.line, bm.group("name"))
            idm = CELL_ID_RE.match(name)
            nid = idm.group("id") if idm and not is_priority(idm.group("id")) else None
            item = Item("bullet", normalise_id(nid) if nid else None, nid, idm.group("title") if nid and idm else name,
                        name, span, name_span, inherited=dict(inherited), section=section,
                        id_span=span_in_line(ctx, b.line, nid) if nid else None)
            desc = bm.group("desc")
            if desc:
                dcol = bm.start("desc")
                dspan = Span(b.line, dcol + 1, b.line, dcol + len(desc) + 1)
                key_span = Span(b.line, dcol + 1, b.line, dcol + 1)
                item.fields.append(Field("description", "", plain_text(desc), desc, dspan, key_span, dspan, "bullet"))
            sub = inside(blocks, bi)
            item.tasks = collect_tasks(ctx, sub)
            items.append(item)
            owned.update(sub)
            owned.add(bi)
    return items


def checklist_ids(ctx: Ctx) -> frozenset[str]:
    """The IDs leading the file's top-level checklist entries (`- [ ] **REQ-01**: ...`), normalised."""
    out = set()
    for b in ctx.blocks:
        if b.kind == "list_item" and b.depth == 0:
            task = task_of(ctx, b)
            if task is not None and task.id:
                out.add(normalise_id(task.id))
    return frozenset(out)


def _after_id(text: str, tid: str) -> str:
    """The text after a leading ID and its punctuation ("**T-1:** Title" -> "Title")."""
    start = 0
    while start < len(text) and not (text[start].isalnum() or text[start] == "_"):
        start += 1
    if not text.startswith(tid, start):
        return text.strip()
    rest = text[start + len(tid) :]
    i = 0
    while i < len(rest) and not (rest[i].isalnum() or rest[i] == "_"):
        i += 1
    return rest[i:].strip()


def _prev_sibling(ctx: Ctx, bi: int) -> int | None:
    """The list item just before ``bi`` in the same list (contiguous), if any."""
    b = ctx.blocks[bi]
    for j in range(bi - 1, -1, -1):
        o = ctx.blocks[j]
        if o.kind == "list_item" and o.depth == b.depth and o.parent == b.parent:
            return j if o.end_line + 2 >= b.line else None
        if o.depth <= b.depth and o.kind not in ("list_item", "paragraph"):
            return None
        if o.kind == "paragraph" and o.depth == 0:
            return None
    return None


def _list_start(ctx: Ctx, bi: int, memo: dict[int, int]) -> int:
    """Index of the first item of the list holding block bi (iterative, memoised)."""
    chain: list[int] = []
    cur: int | None = bi
    start = bi
    while cur is not None:
        if cur in memo:
            start = memo[cur]
            break
        chain.append(cur)
        start = cur
        cur = _prev_sibling(ctx, cur)
    for c in chain:
        memo[c] = start
    return start


_META_RE = re.compile(r"@(?P<key>[A-Za-z]+):(?P<value>[^\s`]+)|(?<![\w&])#(?P<tag>[A-Za-z][\w-]*)")


def _inline_meta_fields(ctx: Ctx, b: Block) -> list[Field]:
    """`@depends:BE-051,BE-052` / `@est:4h` / `#backend` metadata on a checklist entry's lines."""
    out: list[Field] = []
    tags: list[tuple[str, Span]] = []
    for n in range(b.line, min(b.end_line, b.line + 2) + 1):
        line = source_line(ctx, n)
        if ("@" not in line and "#" not in line) or n in ctx.doc.code_lines:
            continue
        for m in _META_RE.finditer(line):
            if m.group("tag"):
                if "`" in line[: m.start()] or n != b.line:
                    tags.append((m.group("tag"), Span(n, m.start() + 1, n, m.end() + 1)))
                continue
            key_raw = m.group("key")
            known = ctx.vocab.canonical_key(key_raw)
            canonical = known or {"est": "effort", "ac": "acceptance"}.get(key_raw, key_raw)
            value = m.group("value")
            vspan = Span(n, m.start("value") + 1, n, m.end("value") + 1)
            f = Field(canonical, key_raw, value, value, Span(n, m.start() + 1, n, m.end() + 1),
                      Span(n, m.start("key") + 1, n, m.end("key") + 1), vspan, "inline", known=known is not None)
            fill_values(ctx, f)
            out.append(f)
    if tags:
        first, last = tags[0][1], tags[-1][1]
        span = Span(first.line, first.col, last.end_line, last.end_col)
        out.append(Field("labels", "#", ", ".join(t for t, _ in tags), " ".join("#" + t for t, _ in tags), span,
                         Span(first.line, first.col, first.line, first.col), span, "inline",
                         values=[t for t, _ in tags], known=True))
    return out


def task_index_row(ctx: Ctx, task: Task, section: str) -> IndexRow:
    """A checklist entry naming a heading item of the file (`- [x] **Phase 12: ...**` in a summary list): an
    index row saying whether that item is done."""
    cols = {"status": "done" if task.checked else "todo"}
    ref = Ref(task.id or "", "id", span_in_line(ctx, task.span.line, task.id or ""), "index", "index", attrs=cols)
    return IndexRow(ref, cols, {"status": f"[{task.marker}]"}, {"status": task.marker_span}, section)
