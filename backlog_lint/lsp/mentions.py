"""Every place a document mentions an item ID: item IDs themselves, the references the parser read
(fields, index tables, text, links' text), word-form dependencies ("Depends on: Phase 1"), and
upper-case IDs anywhere else in the text outside code."""

from __future__ import annotations

from dataclasses import dataclass

from backlog_lint.ids import TEXT_ID_RE, loose_key, normalise_id
from backlog_lint.model import Document, Item
from backlog_lint.source import Span
from backlog_lint.workspace.index import dependency_refs


@dataclass(frozen=True, slots=True)
class Mention:
    span: Span
    text: str  # as written
    key: str  # comparison form: two mentions of one ID have the same key
    item: Item | None = None  # the item, where this is the item's own ID

    def contains(self, line: int, col: int) -> bool:
        """Whether the cursor at 1-based ``line``/``col`` touches the mention (its end included)."""
        s = self.span
        return s.line == line == s.end_line and s.col <= col <= s.end_col


def id_key(text: str) -> str:
    return loose_key(normalise_id(text))


def find_mentions(doc: Document) -> list[Mention]:
    """The document's mentions of IDs, in text order, one per place."""
    found: dict[tuple[int, int], Mention] = {}

    def add(span: Span, text: str, item: Item | None = None) -> None:
        if (span.line, span.col) not in found and text.strip():
            found[(span.line, span.col)] = Mention(span, text, id_key(text), item)

    for item in doc.items:
        if item.id and item.id_span is not None:
            add(item.id_span, item.id_raw or item.id, item)
    for item in doc.items:
        for ref in item.refs:
            if ref.kind == "id":
                add(ref.span, ref.target)
        for _relation, target, span in dependency_refs(item):
            add(span, target)
    for row in doc.index:
        if row.ref.kind == "id":
            add(row.ref.span, row.ref.target)
    code = doc.code_lines
    for n, line in enumerate(doc.source.lines, 1):
        if n in code or ("-" not in line and "_" not in line):
            continue
        for m in TEXT_ID_RE.finditer(line):
            add(Span(n, m.start(1) + 1, n, m.end(1) + 1), m.group(1))
    return sorted(found.values(), key=lambda m: (m.span.line, m.span.col))


class Mentions:
    """Mentions per document, found once per version of it (a new model is a new version)."""

    def __init__(self) -> None:
        self._by_path: dict[str, tuple[Document, list[Mention]]] = {}

    def of(self, doc: Document) -> list[Mention]:
        known = self._by_path.get(doc.path)
        if known is None or known[0] is not doc:
            known = (doc, find_mentions(doc))
            self._by_path[doc.path] = known
        return known[1]

    def at(self, doc: Document, line: int, col: int) -> Mention | None:
        for m in self.of(doc):
            if m.contains(line, col):
                return m
        return None
