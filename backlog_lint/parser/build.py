"""Build the backlog model of one document: run the recognisers over its blocks in order.

Conventions are recognised, not assumed: a heading becomes an item only when it
carries an ID or a number among siblings of the same kind, or has field lines
like its siblings; a table becomes items only when it has a title-like column;
and so on. Everything that is not recognised stays plain Markdown.
"""

from __future__ import annotations

import re

from backlog_lint.ids import normalise_id
from backlog_lint.linesets import LineSet
from backlog_lint.model import Item
from backlog_lint.parser.board_cards import find_board_cards
from backlog_lint.parser.checkbox_legend import apply_legend, checkbox_legend
from backlog_lint.parser.context import BlockMarks, Ctx, source_line
from backlog_lint.parser.declarations import find_declarations
from backlog_lint.parser.document_item import (
    front_matter_fields,
    make_document_item,
    status_section_fields,
    top_fields,
)
from backlog_lint.parser.heading_items import body_range, find_heading_items
from backlog_lint.parser.links import doc_links, link_refs, sort_links, text_refs
from backlog_lint.parser.list_items import checklist_ids, find_list_items, task_index_row
from backlog_lint.parser.mermaid_kanban import find_kanban_cards
from backlog_lint.parser.sections import headings_and_sections
from backlog_lint.parser.table_items import find_table_items
from backlog_lint.parser.tasks import collect_tasks
from backlog_lint.source import Span
from backlog_lint.vocab import box_marker


def build(ctx: Ctx) -> None:
    doc = ctx.doc
    code: list[tuple[int, int]] = []
    for b in ctx.blocks:
        if b.kind in ("fence", "code"):
            code.append((b.line, b.end_line))
            if b.kind == "fence":
                doc.fences.append((b.line, min(b.end_line, len(ctx.lines))))
        elif b.kind == "hr" and b.depth == 0 and b.quote == 0:
            doc.thematic_breaks.append(b.line)
        elif b.kind == "html":
            for m in re.finditer(r"<!--(.*?)-->", b.content, re.DOTALL):
                start_line = b.line + b.content.count("\n", 0, m.start())
                end_line = b.line + b.content.count("\n", 0, m.end())
                doc.html_comments.append((Span(start_line, 1, end_line, len(source_line(ctx, end_line)) + 1),
                                          m.group(1).strip()))
    doc.code_lines = LineSet(code)
    doc.paragraph_lines = LineSet((b.line, b.end_line) for b in ctx.blocks if b.kind == "paragraph")
    doc.blank_lines = LineSet.of(i for i, line in enumerate(ctx.lines, 1) if not line.strip())
    for b in ctx.blocks:
        if b.inline is not None and "<!--" in b.inline.content:
            for n in range(b.line, b.end_line + 1):
                line = source_line(ctx, n)
                for m in re.finditer(r"<!--(.*?)-->", line):
                    doc.html_comments.append((Span(n, m.start() + 1, n, m.end() + 1), m.group(1).strip()))
    headings_and_sections(ctx)
    fm_fields = front_matter_fields(ctx)
    doc_links(ctx)
    sort_links(ctx)

    top = top_fields(ctx)
    # the file is one item (front matter or top field lines with an ID or a status): its body's headings
    # are its own structure (plan steps, "### Notes"), items only when they carry an ID of their own
    doc_item = make_document_item(ctx, fm_fields, top)
    heading_items = find_heading_items(ctx, doc_item is not None)
    # the headings' inline children were read (sections, links, heading items) and are not again: dropped
    # now rather than held to the end of the parse (50,000 headings held 150,000 token objects)
    for bi in ctx.heading_blocks:
        inline = ctx.blocks[bi].inline
        if inline is not None:
            inline.children = None
    if doc_item is not None:
        heading_items = [(o, it) for o, it in heading_items if it.id and it.id != doc_item.id]
    heading_ids = {it.id for _, it in heading_items if it.id}
    owned = BlockMarks(len(ctx.blocks))
    ctx.owner = [None] * len(ctx.blocks)
    for ordinal, item in heading_items:
        start, end = body_range(ctx, ordinal)
        for bi in range(start, end):
            owned.add(bi)
            ctx.owner[bi] = item
    # nested item headings: a block belongs to its innermost item
    # tasks: checklist entries in the item's body, stopping at nested item headings
    item_ordinals = {o for o, _ in heading_items}
    ordinal_of = {bi: o for o, bi in enumerate(ctx.heading_blocks)}
    for ordinal, item in heading_items:
        start, end = body_range(ctx, ordinal)
        indices = []
        bi = start
        while bi < end:
            nested = ordinal_of.get(bi)
            if nested is not None and nested in item_ordinals:
                _s, e = body_range(ctx, nested)
                bi = e
                continue
            indices.append(bi)
            bi += 1
        item.tasks = collect_tasks(ctx, indices)
        for task in item.tasks:  # "- [x] **Phase 12: ...**" under a milestone: it also says Phase 12 is done
            if task.id and normalise_id(task.id) != item.id and normalise_id(task.id) in heading_ids:
                doc.index.append(task_index_row(ctx, task, item.section))
        lines_skip: set[int] = set()
        text_refs(ctx, item, item.span.line, item.span.end_line, lines_skip)
        link_refs(ctx, item)

    if doc_item is None:
        doc.fields = [*fm_fields, *top, *status_section_fields(ctx)]
    else:  # its tasks and references: those outside the items its body holds
        doc_item.tasks = collect_tasks(ctx, [i for i, b in enumerate(ctx.blocks)
                                             if b.kind == "list_item" and i not in owned])
    table_items = find_table_items(ctx, heading_ids, owned if heading_items else BlockMarks(0),
                                   checklist_ids(ctx) if doc_item is None else frozenset())
    list_owned = owned.copy()
    list_items = find_list_items(ctx, list_owned, heading_ids, bool(heading_items), doc_item is not None)
    if doc_item is None:
        list_items += find_board_cards(ctx, list_owned)
        list_items += find_kanban_cards(ctx)
    for item in [*table_items, *list_items]:
        text_refs(ctx, item, item.span.line, item.span.end_line, set())
        link_refs(ctx, item)
    items: list[Item] = [it for _, it in heading_items]
    if doc_item is not None:
        inside = {n for _, it in heading_items for n in range(it.span.line, it.span.end_line + 1)}
        text_refs(ctx, doc_item, 1, len(ctx.lines), inside)
        link_refs(ctx, doc_item)
        items.insert(0, doc_item)
    items.extend(table_items)
    items.extend(list_items)
    items.sort(key=lambda it: (it.span.line, it.span.col))
    doc.items = items
    doc.declarations = _declarations_outside_items(ctx, items)
    _place_in_sections(ctx)
    legend = checkbox_legend(ctx, ctx.vocab)
    if legend:
        apply_legend([t for it in items for t in it.tasks] + doc.loose_tasks, legend)
        for it in items:
            box = next((s for s in it.signals if s.source == "checkbox"), None)
            if box is not None and box.raw[1:-1] in legend and box.value != "done":
                box.value = legend[box.raw[1:-1]]
            field = it.signals[0] if it.signals and it.signals[0].source == "field" else None
            marker = box_marker(field.raw) if field is not None else None
            if field is not None and marker is not None and marker in legend and field.value != "done":
                field.value = legend[marker]  # `| [~] |` in a Status column



def _place_in_sections(ctx: Ctx) -> None:
    """Attach each item to its innermost section: the last heading at or before its line."""
    from bisect import bisect_right

    starts = [ctx.blocks[bi].line for bi in ctx.heading_blocks]
    for item in ctx.doc.items:
        idx = bisect_right(starts, item.span.line) - 1
        if item.kind == "heading" and idx >= 0 and starts[idx] == item.span.line:
            idx = ctx.parent_of[idx]
        (ctx.sections[idx] if idx >= 0 else ctx.doc.root).items.append(item)


def _declarations_outside_items(ctx: Ctx, items: list[Item]) -> list:
    """Declared vocabularies of the backlog itself: those in an item's body or field lines describe the work
    (a data model's states, a ticket's tags), and front matter is the document's own fields."""
    inside = [(it.span.line, it.span.end_line) for it in items]
    first_item = min((a for a, _ in inside), default=len(ctx.lines) + 1)
    fm = ctx.doc.front_matter_span
    out = []
    for d in find_declarations(ctx):
        n = d.span.line
        if fm is not None and fm.line <= n <= fm.end_line:
            continue
        if d.form == "prose" and n > first_item:  # "statuses (a / b / c)" in running text: the intro only
            continue
        if any(a <= n <= b for a, b in inside):
            continue
        out.append(d)
    return out
