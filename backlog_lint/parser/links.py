"""Convention: references. Markdown links (inline, reference-style, wiki links), reference
definitions, and item IDs mentioned in an item's text."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from backlog_lint.ids import TEXT_ID_RE
from backlog_lint.model import (
    Item,
    Link,
    Ref,
)
from backlog_lint.parser.inline import links
from backlog_lint.source import Span

if TYPE_CHECKING:
    pass
from backlog_lint.parser.context import Ctx, block_span, source_line

_REFDEF_RE = re.compile(r"^ {0,3}\[(?P<label>[^\]]+)\]:\s*(?P<target><[^>]*>|\S*)")


_REFLINK_RE = re.compile(r"(?<![\\!\]])\[(?P<text>[^\[\]]+)\](?:\[(?P<label>[^\[\]]*)\])?(?![(:\[])")


_WIKILINK_RE = re.compile(r"\[\[(?P<target>[^\]|#]*)(?:#[^\]|]*)?(?:\|[^\]]*)?\]\]")


def doc_links(ctx: Ctx) -> None:
    """Every link in the document with its position, plus reference definitions."""
    doc = ctx.doc
    code = doc.code_lines
    for n, line in enumerate(ctx.lines, 1):
        if n in code:
            continue
        m = _REFDEF_RE.match(line)
        if m:
            label = _norm_label(m.group("label"))
            target = m.group("target").strip("<>")
            doc.refdefs.setdefault(label, Link(target, m.group("label"), Span(n, m.start("label"), n, len(line) + 1),
                                               "refdef", label))
    for b in ctx.blocks:
        if b.inline is None:
            continue
        # a paragraph's children are read here only; a heading's again by the heading recognisers
        found = (links(ctx.kids(b.inline, keep=b.kind == "heading")) if _may_link(b.inline.content, ctx.env)
                 else [])
        search_line, search_col = b.line, 0
        for lk in found:
            needle = f"({lk.href}" if lk.kind != "autolink" else lk.href
            span = None
            for n in range(search_line, b.end_line + 1):
                line = source_line(ctx, n)
                col = line.find(needle, search_col if n == search_line else 0) if needle != "(" else -1
                if col < 0 and lk.kind != "autolink":
                    raw_href = lk.href.replace("%20", " ")
                    col = line.find(f"({raw_href}", search_col if n == search_line else 0)
                if col >= 0:
                    start = line.rfind("[", 0, col)
                    start = start if start >= 0 else col
                    end = col + len(needle) + (1 if lk.kind != "autolink" else 0)
                    span = Span(n, start + 1, n, min(end, len(line)) + 1)
                    search_line, search_col = n, end
                    break
            if span is None:
                span = block_span(ctx, b)
            doc.links.append(Link(lk.href, lk.text, span, lk.kind))
        # reference-style links whose definition is missing stay as literal text: find them
        for n in range(b.line, b.end_line + 1):
            line = source_line(ctx, n)
            if "[" not in line:
                continue
            for m in _WIKILINK_RE.finditer(line):
                doc.links.append(Link(m.group("target"), m.group("target"), Span(n, m.start() + 1, n, m.end() + 1),
                                      "wikilink"))
            for m in _REFLINK_RE.finditer(line):
                label = m.group("label")
                inline_link = label is None and line[m.end() : m.end() + 1] == "("
                if m.group("text").strip() in (" ", "x", "X", "") or inline_link:
                    continue
                key = _norm_label(label if label else m.group("text"))
                if m.group("text").startswith("[") or line[max(m.start() - 1, 0):m.start()] == "[":
                    continue
                if label is not None or key in doc.refdefs:
                    doc.links.append(Link("", m.group("text"), Span(n, m.start() + 1, n, m.end() + 1),
                                          "reference", key))


_AUTOLINK_START_RE = re.compile(r"<(?:[A-Za-z][A-Za-z0-9.+-]{1,31}:|[^\s<>@]+@)")


def _may_link(content: str, env: dict) -> bool:
    """Whether inline text can hold a link or image (cheap test before the inline parse).

    Without reference definitions a link needs `](` (inline link or image) or an autolink;
    with them, any `[` may be a reference link.
    """
    if "<" in content and _AUTOLINK_START_RE.search(content):
        return True
    if "[" not in content:
        return False
    return bool(env.get("references")) or "](" in content


def sort_links(ctx: Ctx) -> None:
    ctx.doc.links.sort(key=lambda lk: (lk.span.line, lk.span.col))
    ctx.link_lines = [lk.span.line for lk in ctx.doc.links]


def _norm_label(label: str) -> str:
    return re.sub(r"\s+", " ", label.strip()).casefold()


def link_refs(ctx: Ctx, item: Item) -> None:
    from bisect import bisect_left, bisect_right

    links = ctx.doc.links
    lo = bisect_left(ctx.link_lines, item.span.line)
    hi = bisect_right(ctx.link_lines, item.span.end_line)
    for lk in links[lo:hi]:
        if lk.kind in ("inline", "reference"):
            target = lk.target
            if lk.kind == "reference":
                d = ctx.doc.refdefs.get(lk.label or "")
                target = d.target if d else ""
            if target and not re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):
                item.refs.append(Ref(target, "link", lk.span, "link", attrs={"text": lk.text}))


def text_refs(ctx: Ctx, item: Item, first: int, last: int, skip: set[int]) -> None:
    code = ctx.doc.code_lines
    seen = {(r.span.line, r.span.col) for r in item.refs}
    for n in range(first, last + 1):
        if n in code or n in skip:
            continue
        line = source_line(ctx, n)
        if "-" not in line and "_" not in line:
            continue
        spans = _code_spans(line) if "`" in line else ()
        for m in TEXT_ID_RE.finditer(line):
            if (n, m.start(1) + 1) in seen:
                continue
            if any(a <= m.start(1) and m.end(1) <= b and line[a:b].strip() != m.group(1) for a, b in spans):
                continue  # inside code that is more than the ID (`ticket=GATE4-A-002`): a literal, not a reference
            if item.id_span and item.id_span.line == n and item.id_span.col == m.start(1) + 1:
                continue
            ts = item.title_span
            if ts.line == n and ts.col <= m.start(1) + 1 <= ts.col + 1:
                continue  # "PAC-101A: Kpi ..." leading the item's own title labels the item, it names no other
            item.refs.append(Ref(m.group(1), "id", Span(n, m.start(1) + 1, n, m.end(1) + 1), "text"))


_CODE_SPAN_RE = re.compile(r"(`+)(.+?)\1")


def _code_spans(line: str) -> list[tuple[int, int]]:
    """(start, end) of the contents of each code span on a line."""
    return [(m.start(2), m.end(2)) for m in _CODE_SPAN_RE.finditer(line)]
