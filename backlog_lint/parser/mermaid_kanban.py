"""Convention: a Mermaid kanban board. A fenced ```` ```mermaid ```` block whose diagram is `kanban`
draws a board: the nodes at the first node's indentation are its columns (`todo[To Do]`, or a
bare `Done`), each deeper node a card of the column above it (`id7[Login form]`), with optional
metadata after it (`@{ ticket: 7, assigned: 'ana', priority: 'High' }`).

Each card is an item of kind ``card``: its column's status (when the column's title is one) is
its lane, its metadata are its fields (`assigned` is the owner). A node shallower than the
first one is no card (Mermaid rejects the diagram), and a block that is no kanban diagram is
left alone.
"""

from __future__ import annotations

import re

from backlog_lint.model import Field, Item, StatusSignal
from backlog_lint.parser.context import Ctx
from backlog_lint.parser.fields import attach_field, fill_values
from backlog_lint.parser.sections import section_path
from backlog_lint.source import Span

# `id[Title]`, `id["Title"]`, `id(Title)` or a bare `id`, then `@{ ... }` metadata
_NODE_RE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<id>[^\s\[\](){}@]+)?"
    r"(?:(?P<open>\[|\(\(|\()(?P<text>[^\]\n]*?)(?:\]|\)\)|\)))?"
    r"\s*(?:@\{(?P<meta>[^}]*)\})?\s*$"
)
# `key: 'value'`, `key: "value"`, `key: value` in the metadata
_META_RE = re.compile(r"(?P<key>[A-Za-z_][\w-]*)\s*:\s*(?:'(?P<a>[^']*)'|\"(?P<b>[^\"]*)\"|(?P<c>[^,]*))")


def find_kanban_cards(ctx: Ctx) -> list[Item]:
    """The cards of the file's Mermaid kanban boards."""
    items: list[Item] = []
    for bi, b in enumerate(ctx.blocks):
        if b.kind == "fence" and b.content.strip().lower().split(" ", 1)[0] == "mermaid":
            items.extend(_board(ctx, bi))
    return items


def _diagram_lines(ctx: Ctx, bi: int) -> list[int]:
    """Line numbers of the diagram's body after its `kanban` keyword; [] when it is no kanban diagram."""
    b = ctx.blocks[bi]
    last = b.end_line - 1 if b.end_line > b.line and ctx.lines[b.end_line - 1].strip().startswith(b.markup) \
        else b.end_line
    n = b.line + 1
    if n <= last and ctx.lines[n - 1].strip() == "---":  # the diagram's own front matter (config, title)
        n += 1
        while n <= last and ctx.lines[n - 1].strip() != "---":
            n += 1
        n += 1
    while n <= last and (not ctx.lines[n - 1].strip() or ctx.lines[n - 1].lstrip().startswith("%%")):
        n += 1
    if n > last or ctx.lines[n - 1].strip() != "kanban":
        return []
    return [k for k in range(n + 1, last + 1)
            if ctx.lines[k - 1].strip() and not ctx.lines[k - 1].lstrip().startswith("%%")]


def _board(ctx: Ctx, bi: int) -> list[Item]:
    lines = _diagram_lines(ctx, bi)
    if not lines:
        return []
    section, inherited = section_path(ctx, ctx.section_of[bi])
    column_indent: int | None = None
    column = ""
    status: str | None = None
    items: list[Item] = []
    for n in lines:
        line = ctx.lines[n - 1]
        m = _NODE_RE.match(line)
        if m is None:
            continue
        indent = len(m.group("indent").expandtabs(4))
        title = (m.group("text") if m.group("open") else m.group("id")) or ""
        title = title.strip().strip("\"'").strip()
        if column_indent is None:
            column_indent = indent
        if indent <= column_indent:
            if indent < column_indent:
                break  # a node shallower than the columns: Mermaid rejects the diagram
            column = title
            status = ctx.vocab.status_of(column) if column else None
            continue
        if not title:
            continue
        items.append(_card(ctx, n, line, m, title, column, status, section, inherited))
    return items


def _card(ctx: Ctx, n: int, line: str, m: re.Match[str], title: str, column: str, status: str | None,
          section: str, inherited: dict[str, str]) -> Item:
    start = len(m.group("indent"))
    span = Span(n, start + 1, n, len(line.rstrip()) + 1)
    group = "text" if m.group("open") else "id"
    raw = m.group(group)
    col = line.find(title, m.start(group))
    title_span = Span(n, col + 1, n, col + len(title) + 1) if col >= 0 else span
    lane = {**inherited, "status": status} if status else dict(inherited)
    item = Item("card", None, None, title, raw, span, title_span, inherited=lane,
                section=f"{section} > {column}" if section else column)
    if status:
        item.signals.append(StatusSignal("lane", status, column, span))
    meta = m.group("meta")
    if meta is not None:
        base = m.start("meta")
        for mm in _META_RE.finditer(meta):
            which = "a" if mm.group("a") is not None else "b" if mm.group("b") is not None else "c"
            value = (mm.group(which) or "").strip()
            key_raw = mm.group("key")
            canonical = ctx.vocab.canonical_key(key_raw)
            vstart = base + mm.start(which)
            f = Field(canonical or key_raw.lower(), key_raw, value, value,
                      Span(n, base + mm.start() + 1, n, base + mm.end() + 1),
                      Span(n, base + mm.start("key") + 1, n, base + mm.end("key") + 1),
                      Span(n, vstart + 1, n, vstart + len(value) + 1), "inline", known=canonical is not None)
            fill_values(ctx, f)
            attach_field(item, f, ctx.vocab, ctx.lines, ctx.interned)
    return item
