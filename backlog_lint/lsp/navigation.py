"""Navigation by item ID: where the ID under the cursor is defined, every place it is mentioned,
what the item is (hover), and where a link leads."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from backlog_lint import fslookup
from backlog_lint.fslookup import Lookup
from backlog_lint.lsp.mentions import Mentions
from backlog_lint.lsp.project import Project
from backlog_lint.model import Document, Item
from backlog_lint.source import Span

_SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Place:
    """A span in a file; ``doc`` is its model when the file is one of the project's."""

    path: Path
    span: Span
    doc: Document | None


def definitions(project: Project, key: str) -> list[tuple[Document, Item]]:
    """The items whose ID has this comparison form, in path/line order."""
    return project.definitions(key)


def item_span(item: Item) -> Span:
    """Where to put the cursor for an item: its ID, else its title."""
    return item.id_span or item.title_span or item.span


def place_of(project: Project, doc: Document, span: Span) -> Place:
    return Place(project.path(doc.path), span, doc)


def definition(project: Project, mentions: Mentions, doc: Document, line: int, col: int) -> list[Place]:
    """Where the ID (or the link) under the cursor leads."""
    m = mentions.at(doc, line, col)
    if m is not None:
        return [place_of(project, d, item_span(i)) for d, i in definitions(project, m.key)]
    target = link_target(project, doc, line, col)
    return [target] if target is not None else []


def references(project: Project, mentions: Mentions, doc: Document, line: int, col: int, *,
               declarations: bool) -> list[Place]:
    """Every mention of the ID under the cursor across the project (with its definitions if asked)."""
    m = mentions.at(doc, line, col)
    if m is None:
        return []
    out: list[Place] = []
    seen: set[tuple[str, int, int]] = set()
    if declarations:
        for d, item in definitions(project, m.key):
            span = item_span(item)
            seen.add((d.path, span.line, span.col))
            out.append(place_of(project, d, span))
    for other in project.documents:
        for found in mentions.of(other):
            if found.key != m.key or (found.item is not None and not declarations):
                continue
            if (other.path, found.span.line, found.span.col) not in seen:
                seen.add((other.path, found.span.line, found.span.col))
                out.append(place_of(project, other, found.span))
    return out


def hover(project: Project, mentions: Mentions, doc: Document, line: int, col: int) -> tuple[str, Span] | None:
    """Markdown describing the item the ID under the cursor names, and the span it describes."""
    m = mentions.at(doc, line, col)
    if m is None:
        return None
    defs = definitions(project, m.key)
    if not defs:
        return f"**{m.text}**: no backlog file of this project defines this ID", m.span
    index = project.index()
    d, item = defs[0]
    parts = [f"**{item.id_raw or item.id or m.text}**: {item.title or '(no title)'}"]
    facts = []
    status = index.effective_status(d, item)
    if status:
        facts.append(f"status: {status}")
    priority = item.value("priority")
    if priority:
        facts.append(f"priority: {priority}")
    if facts:
        parts.append(" · ".join(facts))
    where = [f"`{dd.path}:{item_span(ii).line}`" for dd, ii in defs]
    if len(where) == 1:
        parts.append(f"defined in {where[0]}")
    else:
        parts.append(f"defined in {len(where)} places: {', '.join(where)}")
    return "\n\n".join(parts), m.span


def link_target(project: Project, doc: Document, line: int, col: int) -> Place | None:
    """Where a relative Markdown link under the cursor leads: a file, or a heading by its anchor."""
    for lk in doc.links:
        s = lk.span
        if not (s.line == line == s.end_line and s.col <= col < s.end_col):
            continue
        target = lk.target
        if lk.kind == "reference":
            definition_link = doc.refdefs.get(lk.label or "")
            target = definition_link.target if definition_link else ""
        if not target or _SCHEME_RE.match(target):
            return None
        path_part, _, anchor = target.partition("#")
        here = project.path(doc.path)
        path = Path(os.path.normpath(here.parent / unquote(path_part))) if path_part else here
        other = project.document(project.display(path)) if path_part else doc
        if other is None:
            return Place(path, Span.point(1), None) if fslookup.lookup(path) is Lookup.FILE else None
        for heading in other.headings:
            if anchor and heading.slug == anchor.lower():
                return Place(path, heading.span, other)
        return Place(path, Span.point(1), other)
    return None
