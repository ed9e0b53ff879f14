"""Convention: checklist entries (`- [ ]`, `- [x]`, nested to any depth) as tasks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from backlog_lint.ids import TASK_ID_RE, is_priority
from backlog_lint.model import (
    Task,
)
from backlog_lint.parser.blocks import Block
from backlog_lint.parser.patterns import CHECKBOX_RE
from backlog_lint.source import Span
from backlog_lint.vocab import CHECKED_MARKS

if TYPE_CHECKING:
    pass
from backlog_lint.parser.context import Ctx, plain_text, source_line


def task_of(ctx: Ctx, b: Block) -> Task | None:
    line = source_line(ctx, b.line)
    if "[" not in line:
        return None
    m = CHECKBOX_RE.match(line)
    if not m:
        return None
    mark = m.group("mark")
    text = m.group("text")
    tcol = m.start("text")
    tid = None
    im = TASK_ID_RE.match(text)
    if im and not is_priority(im.group(1)):
        tid = im.group(1)
    return Task(
        text=plain_text(text),
        checked=mark in CHECKED_MARKS,
        marker=mark,
        span=Span(b.line, len(m.group("prefix")) + 1, b.line, len(line.rstrip()) + 1),
        marker_span=Span(b.line, m.start("mark"), b.line, m.end("mark") + 2),
        depth=b.depth,
        id=tid,
    ) if tcol >= 0 else None


def collect_tasks(ctx: Ctx, indices: list[int]) -> list[Task]:
    """Checklist entries among these block indices, nested by their list parents."""
    roots: list[Task] = []
    by_block: dict[int, Task] = {}
    for bi in indices:
        b = ctx.blocks[bi]
        if b.kind != "list_item":
            continue
        task = task_of(ctx, b)
        if task is None:
            continue
        by_block[bi] = task
        parent = b.parent
        while parent >= 0 and parent not in by_block:
            parent = ctx.blocks[parent].parent
        if parent >= 0:
            by_block[parent].children.append(task)
        else:
            roots.append(task)
    return roots


def inside(blocks: list[Block], bi: int) -> list[int]:
    """Indices of the blocks nested in list item ``bi`` (they follow it, within its lines)."""
    end_line = blocks[bi].end_line
    out = []
    j = bi + 1
    while j < len(blocks) and blocks[j].line <= end_line:
        out.append(j)
        j += 1
    return out
