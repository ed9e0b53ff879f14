"""Convention: headings make sections, and a section passes attributes down to the items in it
(section inheritance: `## P1 – Performance`, `## Wave 2`, kanban lanes such as `## In Progress`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from backlog_lint.model import (
    Heading,
    Section,
)
from backlog_lint.parser.inline import github_slug, plain
from backlog_lint.parser.patterns import (
    section_attributes,
)
from backlog_lint.source import Span

if TYPE_CHECKING:
    pass
from backlog_lint.parser.context import Ctx, source_line, span_in_line

# what a section passes down when it passes nothing: one dict for them all, read only (a backlog of
# 50,000 heading items is 50,000 sections)
_NOTHING_INHERITED: dict[str, str] = {}


def headings_and_sections(ctx: Ctx) -> None:
    doc = ctx.doc
    slug_counts: dict[str, int] = {}
    stack: list[Section] = [doc.root]
    current = -1
    last_line = len(ctx.lines)
    for bi, b in enumerate(ctx.blocks):
        if b.kind == "heading" and b.depth == 0 and b.quote == 0:
            raw = b.inline.content if b.inline is not None else ""
            text = plain(ctx.kids(b.inline))
            span = span_in_line(ctx, b.line, raw.split("\n")[0])
            if b.setext and b.end_line > b.line + 1:
                last = b.end_line - 1
                span = Span(b.line, span.col, last, len(source_line(ctx, last).rstrip()) + 1)
            base = github_slug(text)
            n = slug_counts.get(base, 0)
            slug_counts[base] = n + 1
            heading = Heading(b.level, text, raw, span, base if n == 0 else f"{base}-{n}", b.setext)
            doc.headings.append(heading)
            while len(stack) > 1 and stack[-1].level >= b.level:
                closed = stack.pop()
                closed.span = Span(closed.span.line, 1, max(b.line - 1, closed.span.line),
                                   len(source_line(ctx, max(b.line - 1, closed.span.line))) + 1)
            section = Section(text, b.level, Span(b.line, 1, last_line, len(source_line(ctx, last_line)) + 1),
                              heading)
            inherited = section_attributes(text, ctx.vocab)
            if b.level == 1:
                inherited.pop("status", None)  # "# Backlog" is a title, not a lane
            section.inherited = inherited or _NOTHING_INHERITED
            stack[-1].children.append(section)
            stack.append(section)
            ctx.sections.append(section)
            ctx.heading_blocks.append(bi)
            current = len(ctx.sections) - 1
        ctx.section_of.append(current)
    _heading_tree(ctx)


def _heading_tree(ctx: Ctx) -> None:
    """Parent and body end of every heading, in one pass with a stack (no quadratic scans)."""
    levels = [ctx.blocks[bi].level for bi in ctx.heading_blocks]
    ctx.parent_of = [-1] * len(levels)
    ctx.body_end = [len(ctx.blocks)] * len(levels)
    stack: list[int] = []
    for ordinal, level in enumerate(levels):
        while stack and levels[stack[-1]] >= level:
            ctx.body_end[stack.pop()] = ctx.heading_blocks[ordinal]
        ctx.parent_of[ordinal] = stack[-1] if stack else -1
        stack.append(ordinal)


def section_path(ctx: Ctx, ordinal: int) -> tuple[str, dict[str, str]]:
    """Title path and merged inherited attributes of the section with this ordinal (memoised)."""
    if ordinal < 0:
        return "", {}
    memo = ctx.path_memo.get(ordinal)
    if memo is None:
        title, inherited = section_path(ctx, ctx.parent_of[ordinal])
        section = ctx.sections[ordinal]
        merged = {**inherited, **section.inherited}
        memo = (f"{title} > {section.title}" if title else section.title, merged)
        ctx.path_memo[ordinal] = memo
    # one dict per section, shared by the items under it (read only: 50,000 heading items held
    # 50,000 copies of the same empty dict)
    return memo
