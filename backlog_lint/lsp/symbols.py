"""Symbols: the outline of a document (its sections, and the items in them) and a search of the
whole project's items by ID or title."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from lsprotocol import types

from backlog_lint.lsp.positions import span_range
from backlog_lint.model import Document, Item
from backlog_lint.source import Span

WORKSPACE_LIMIT = 500  # symbols a search returns at most (a thousand-file project has tens of thousands)


def item_name(item: Item) -> str:
    label = item.id_raw or item.id
    title = item.title.strip()
    if label and title and title != label:
        return f"{label}: {title}"
    return label or title or f"{item.kind} on line {item.span.line}"


@dataclass(slots=True)
class _Node:
    name: str
    kind: types.SymbolKind
    span: Span
    selection: Span
    detail: str | None = None
    children: list[_Node] = field(default_factory=list)

    def encloses(self, other: _Node) -> bool:
        return (self.span.line, self.span.col) <= (other.span.line, other.span.col) and \
            (other.span.end_line, other.span.end_col) <= (self.span.end_line, self.span.end_col)


def document_symbols(doc: Document, encoding: str) -> list[types.DocumentSymbol]:
    """Sections and items, nested as the text nests them; a heading item stands for its section."""
    item_headings = {item.title_span.line for item in doc.items if item.kind == "heading"}
    nodes = []
    for section in doc.sections():
        heading = section.heading
        if heading is None or heading.span.line in item_headings or not heading.text.strip():
            continue
        nodes.append(_Node(heading.text.strip(), types.SymbolKind.String, section.span, heading.span))
    for item in doc.items:
        nodes.append(_Node(item_name(item), types.SymbolKind.Object, item.span,
                           item.id_span or item.title_span or item.span, item.status))
    nodes.sort(key=lambda n: (n.span.line, n.span.col, -n.span.end_line, -n.span.end_col))
    roots: list[_Node] = []
    stack: list[_Node] = []
    for node in nodes:
        while stack and not stack[-1].encloses(node):
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return [_symbol(doc, n, encoding) for n in roots]


def _symbol(doc: Document, node: _Node, encoding: str) -> types.DocumentSymbol:
    whole = span_range(doc.source, node.span, encoding)
    selection = span_range(doc.source, node.selection, encoding)
    if not (_le(whole.start, selection.start) and _le(selection.end, whole.end)):
        selection = types.Range(whole.start, whole.start)  # the protocol wants it inside the range
    return types.DocumentSymbol(name=node.name, kind=node.kind, range=whole, selection_range=selection,
                                detail=node.detail,
                                children=[_symbol(doc, c, encoding) for c in node.children] or None)


def _le(a: types.Position, b: types.Position) -> bool:
    return (a.line, a.character) <= (b.line, b.character)


def matches(query: str, item: Item) -> bool:
    """Every word of the query is in the item's ID or title (case ignored)."""
    words = query.casefold().split()
    text = f"{item.id_raw or item.id or ''} {item.title}".casefold()
    return all(w in text for w in words)


def workspace_symbols(docs: Iterable[Document], query: str, uri_of: Callable[[Document], str],
                      encoding: str) -> list[types.SymbolInformation]:
    out = []
    for doc in docs:
        for item in doc.items:
            if not matches(query, item):
                continue
            span = item.id_span or item.title_span or item.span
            out.append(types.SymbolInformation(
                name=item_name(item), kind=types.SymbolKind.Object, container_name=doc.path,
                location=types.Location(uri_of(doc), span_range(doc.source, span, encoding))))
            if len(out) >= WORKSPACE_LIMIT:
                return out
    return out
