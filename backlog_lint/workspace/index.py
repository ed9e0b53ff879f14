"""Cross-file analysis shared by the workspace rules (BL3xx, BL4xx, BL5xx) and the graph.

Built once per run and cached in ``Context.cache``:

- an ID index: normalised ID -> definitions (document, item), in a stable order;
- the ID families defined in the workspace (``TODO`` for ``TODO-052``);
- dependency edges (prerequisite -> dependent) from ``Dependencies``/``Unlocks`` references;
- index rows pointing at each item, and the effective status of an item;
- where each document lives on disk, and its label legend."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from backlog_lint.ids import (
    WORD_REF_RE,
    family_of,
    loose_key,
    normalise_id,
)
from backlog_lint.model import Document, Field, IndexRow, Item, Workspace
from backlog_lint.source import Span

if TYPE_CHECKING:
    from backlog_lint.config import Config
    from backlog_lint.rules._rule import Context
from backlog_lint.workspace.files import locate
from backlog_lint.workspace.legends import parse_legend
from backlog_lint.workspace.naming import field_id, id_ranges
from backlog_lint.workspace.status import folder_status

CACHE_KEY = "workspace_index"


_DEP_RELATIONS = ("dependencies", "unlocks")


@dataclass(slots=True)
class Edge:
    """``src`` must be finished before ``dst``; ``doc``/``span`` is the reference that says so."""

    src: int  # key of the prerequisite (see WorkspaceIndex.node)
    dst: int  # key of the dependent item
    doc: Document
    span: Span
    relation: str  # dependencies | unlocks
    target: str  # the reference as written


@dataclass(slots=True)
class WorkspaceIndex:
    ws: Workspace
    docs: list[Document]  # sorted by path
    by_id: dict[str, list[tuple[Document, Item]]] = field(default_factory=dict)
    by_loose: dict[str, list[tuple[Document, Item]]] = field(default_factory=dict)
    families: set[str] = field(default_factory=set)
    ranged: set[str] = field(default_factory=set)  # IDs defined only as part of a range
    doc_of: dict[int, Document] = field(default_factory=dict)  # id(item) -> document
    items: dict[int, Item] = field(default_factory=dict)  # id(item) -> item
    order: dict[int, int] = field(default_factory=dict)  # id(item) -> position in path/line order
    rows_of: dict[int, list[tuple[Document, IndexRow]]] = field(default_factory=dict)
    _edges: list[Edge] | None = None
    _from: dict[int, list[Edge]] = field(default_factory=dict)  # prerequisite -> edges
    _to: dict[int, list[Edge]] = field(default_factory=dict)  # dependent -> edges
    _paths: dict[str, Path | None] = field(default_factory=dict)
    _legends: dict[str, dict[str, Span]] = field(default_factory=dict)
    _nids: dict[str, str] = field(default_factory=dict)  # reference as written -> normalise_id()

    # -- lookup

    def resolve(self, target: str, near: Document | None = None) -> tuple[Document, Item] | None:
        """The definition a reference points at: exact normalised ID, else loosely (zero padding, '#')."""
        nid = self._nid(target)
        defs = self.by_id.get(nid) or self.by_loose.get(loose_key(nid))
        if not defs:
            return None
        if near is not None:
            for d in defs:
                if d[0] is near:
                    return d
        return defs[0]

    def _nid(self, target: str) -> str:
        nid = self._nids.get(target)
        if nid is None:
            nid = self._nids[target] = normalise_id(target)
        return nid

    def in_range(self, target: str) -> bool:
        nid = self._nid(target)
        return nid in self.ranged or loose_key(nid) in self.ranged

    def defines_family(self, nid: str) -> bool:
        fam = family_of(nid)
        return fam is not None and fam in self.families

    def effective_status(self, doc: Document, item: Item) -> str | None:
        """The item's own status, else what an index row says, else its folder."""
        if item.status is not None:
            return item.status
        for _idoc, row in self.rows_of.get(id(item), ()):
            st = row.columns.get("status")
            if st:
                return st
        return folder_status(doc)

    # -- dependency edges

    @property
    def edges(self) -> list[Edge]:
        if self._edges is None:
            self._edges = list(self._build_edges())
            for e in self._edges:
                self._from.setdefault(e.src, []).append(e)
                self._to.setdefault(e.dst, []).append(e)
        return self._edges

    def edges_from(self, key: int) -> list[Edge]:
        """Edges to the items that depend on this one."""
        _ = self.edges
        return self._from.get(key, [])

    def edges_to(self, key: int) -> list[Edge]:
        """Edges from the items this one depends on."""
        _ = self.edges
        return self._to.get(key, [])

    @property
    def dependents(self) -> dict[int, list[Edge]]:
        """Prerequisite key -> the edges to the items that depend on it (only keys that have some)."""
        _ = self.edges
        return self._from

    def _build_edges(self) -> Iterator[Edge]:
        seen: set[tuple[int, int]] = set()
        for doc in self.docs:
            for item in doc.items:
                for relation, target, span in dependency_refs(item):
                    hit = self.resolve(target, doc)
                    if hit is None or hit[1] is item:
                        continue
                    other = id(hit[1])
                    src, dst = (other, id(item)) if relation == "dependencies" else (id(item), other)
                    if (src, dst) in seen:
                        continue
                    seen.add((src, dst))
                    yield Edge(src, dst, doc, span, relation, target)

    # -- files on disk

    def location(self, doc: Document, config: Config) -> Path | None:
        """The file a document was read from (Document.path is relative to the run's cwd)."""
        if doc.path in self._paths:
            return self._paths[doc.path]
        found = locate(doc, Path(config.root), self.ws.locations.get(doc.path, ""))
        self._paths[doc.path] = found
        return found

    def legend(self, doc: Document) -> dict[str, Span]:
        """Labels defined in the document's label legend: folded name -> span of the entry."""
        if doc.path not in self._legends:
            self._legends[doc.path] = parse_legend(doc)
        return self._legends[doc.path]


def dependency_refs(item: Item) -> Iterator[tuple[str, str, Span]]:
    """(relation, target, span) of the item's Dependencies/Unlocks references.

    Adds word-form IDs ("Depends on: Phase 1") that the parser leaves as plain text.
    """
    taken: set[tuple[int, int]] = set()
    for ref in item.refs:
        if ref.kind == "id" and ref.relation in _DEP_RELATIONS:
            taken.add((ref.span.line, ref.span.col))
            yield ref.relation, ref.target, ref.span
    for f in item.fields:
        if f.key not in _DEP_RELATIONS or not f.value_raw:
            continue
        for m in WORD_REF_RE.finditer(f.value_raw):
            span = _sub_span(f, m.start(), m.end())
            if (span.line, span.col) in taken:
                continue
            yield f.key, m.group(0), span


def _sub_span(f: Field, start: int, end: int) -> Span:
    vs = f.value_span
    if vs.line == vs.end_line and vs.end_col - vs.col >= end:
        return Span(vs.line, vs.col + start, vs.line, vs.col + end)
    return vs


def field_value_span(f: Field, value: str) -> Span:
    """Span of one value inside a field's raw text (the whole value span if it cannot be found)."""
    idx = f.value_raw.find(value)
    if idx < 0:
        return f.value_span
    return _sub_span(f, idx, idx + len(value))


@dataclass(frozen=True, slots=True)
class _DocumentPart:
    """What one document adds to the ID index; it depends on that document alone."""

    ids: tuple[tuple[Item, str, str, str | None], ...]  # (item, ID, loose key, family) of items with an ID
    ranged: frozenset[str]  # IDs its items name as part of a range


def document_part(doc: Document) -> _DocumentPart:
    ids = []
    ranged: set[str] = set()
    for item in doc.items:
        nid = item.id
        if not nid:
            line = ""
            if item.kind == "table-row":  # only a table row's first cell is read from its line
                line = doc.source.line(item.span.line)
            for rid in id_ranges(item, line):
                ranged.add(rid)
                ranged.add(loose_key(rid))
            fid = field_id(item)
            if not fid:
                continue
            nid = normalise_id(fid)
            if not nid:
                continue
        ids.append((item, nid, loose_key(nid), family_of(nid)))
    return _DocumentPart(tuple(ids), frozenset(ranged))


# The parts of the last index built for each workspace root, by document identity. A long-lived
# caller (the language server) builds the index again after every edit of one document: the other
# documents are the same objects, and their parts are not computed again. Only the documents of
# the latest build are kept.
_PARTS: dict[str, dict[int, tuple[Document, _DocumentPart]]] = {}


def _parts(root: str, docs: list[Document]) -> list[_DocumentPart]:
    known = _PARTS.get(root, {})
    fresh: dict[int, tuple[Document, _DocumentPart]] = {}
    out = []
    for doc in docs:
        hit = known.get(id(doc))
        # a summary (summary.py) brings its part along
        part = hit[1] if hit is not None and hit[0] is doc else getattr(doc, "index_part", None) or document_part(doc)
        fresh[id(doc)] = (doc, part)
        out.append(part)
    _PARTS[root] = fresh
    return out


def build_index(ws: Workspace, config: Config | None = None) -> WorkspaceIndex:
    docs = sorted(ws.documents, key=lambda d: d.path)
    idx = WorkspaceIndex(ws, docs)
    doc_of, items, order = idx.doc_of, idx.items, idx.order
    by_id, by_loose, families, ranged = idx.by_id, idx.by_loose, idx.families, idx.ranged
    for doc, part in zip(docs, _parts(ws.root, docs), strict=True):
        for item in doc.items:
            key = id(item)
            doc_of[key] = doc
            items[key] = item
            order[key] = len(order)
        ranged.update(part.ranged)
        for item, nid, loose, fam in part.ids:
            by_id.setdefault(nid, []).append((doc, item))
            by_loose.setdefault(loose, []).append((doc, item))
            if fam:
                families.add(fam)
    if config is not None:
        for fam in config.id_families:
            families.add(normalise_id(fam).rstrip("-_#"))
    for doc in docs:
        for row in doc.index:
            hit = idx.resolve(row.ref.target, doc)
            if hit is not None:
                idx.rows_of.setdefault(id(hit[1]), []).append((doc, row))
    return idx


def workspace_index(ctx: Context) -> WorkspaceIndex:
    """The index for this run, built on first use and shared by every rule."""
    cached = ctx.cache.get(CACHE_KEY)
    if isinstance(cached, WorkspaceIndex) and cached.ws is ctx.workspace:
        return cached
    built = build_index(ctx.workspace, ctx.config)
    ctx.cache[CACHE_KEY] = built
    return built


def whole_run(ctx: Context) -> bool:
    """Whether every document of the workspace is checked (no pre-commit narrowing possible)."""
    checked = ctx.checked
    return all(doc.path in checked for doc in ctx.workspace.documents)


def checked_keys(ctx: Context) -> set[int]:
    """Keys (``id(item)``) of the items of the checked documents."""
    return {id(item) for doc in ctx.documents() for item in doc.items}


def neighbours(index: WorkspaceIndex, keys: set[int]) -> set[int]:
    """These items and every item a dependency edge joins to one of them (either direction).

    Every reference from an item to another one that resolves, under Dependencies or Unlocks,
    is an edge between the two (a repeated pair keeps one edge), so an item that names a
    checked item is among the neighbours.
    """
    out = set(keys)
    for key in keys:
        out.update(e.dst for e in index.edges_from(key))
        out.update(e.src for e in index.edges_to(key))
    return out
