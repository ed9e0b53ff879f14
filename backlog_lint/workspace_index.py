"""Cross-file analysis shared by the workspace rules (BL3xx, BL4xx, BL5xx) and the graph.

Built once per run and cached in ``Context.cache``:

- an ID index: normalised ID -> definitions (document, item), in a stable order;
- the ID families defined in the workspace (``TODO`` for ``TODO-052``);
- dependency edges (prerequisite -> dependent) from ``Dependencies``/``Unlocks`` references;
- index rows pointing at each item, and the effective status of an item;
- where each document lives on disk, and its label legend.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from backlog_lint.model import Document, Field, IndexRow, Item, Workspace
from backlog_lint.source import Span
from backlog_lint.vocab import DASH_TRANS, DONE_STATUSES, PRIORITY_EMOJI, STATUS_WORDS, normalise_id

if TYPE_CHECKING:
    from backlog_lint.config import Config
    from backlog_lint.rules._rule import Context

CACHE_KEY = "workspace_index"

# Word-form IDs that number things *inside* one document ("Phase 1", "Step 3"): two
# files each having a "Phase 1" is normal, so their uniqueness is checked per section.
SCOPED_WORD_FAMILIES = frozenset({"PHASE", "STEP", "STAGE", "SPRINT", "MILESTONE", "TASK", "ITEM", "PART",
                                  "WAVE", "EPIC", "STORY"})
DONE_FOLDERS = frozenset({"completed", "complete", "done", "archive", "archived"})
OPEN_STATUSES = frozenset(s for s in STATUS_WORDS if s not in DONE_STATUSES)
CANCELLED = "cancelled"
# task markers that mean "not done and not dropped" ("[-]" and "[~]" usually mean dropped)
OPEN_MARKS = frozenset({" ", "/"})

_FAMILY_RE = re.compile(r"^(?P<fam>[A-Z]+(?:[A-Z0-9]*[A-Z])?(?:-[A-Z]+)*?)[-#]*(?P<num>\d+)(?P<rest>.*)$")
_WORD_FORM_RE = re.compile(r"^[A-Za-z]+\s+#?\d")
_SHORT_FORM_RE = re.compile(r"^[A-Za-z]{1,4}\d")
# "Phase 1", "Ticket #7", "Task 1.2" in a Dependencies/Unlocks value (the parser only takes TODO-1 forms)
_WORD_REF_RE = re.compile(
    r"(?<![\w#])(?:Task|Phase|Ticket|Story|Epic|Milestone|Step|Stage|Sprint|Item|Issue|Bug|Feature|Spec|Req)"
    r"\s+#?\d+(?:\.\d+)*(?![\w.])",
    re.IGNORECASE,
)
_DEP_RELATIONS = ("dependencies", "unlocks")
# an ID cell or title prefix naming a range of legacy items: F-020–024, B-001–B-004, FE-027..FE-039
_RANGE_RE = re.compile(
    r"^(?P<fam>[A-Za-z][A-Za-z0-9]{0,15}[-_])(?P<a>\d{1,6})\s*(?:–|—|-|\.\.\.?|to)\s*(?:(?P=fam))?(?P<b>\d{1,6})\b",
    re.IGNORECASE,
)
_PURE_ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,15}(?:[-_][A-Za-z]{1,15})*[-_]\d{1,6}[A-Za-z]?$")
# text right before/after a reference that makes it one end of a range ("F-020–024", "FE-027..FE-039")
RANGE_AFTER_RE = re.compile(r"^\s*(?:–|—|\.\.\.?|-(?=\s*[A-Za-z]*[-_]?\d)|to\s+[A-Za-z]*[-_]?\d)")
RANGE_BEFORE_RE = re.compile(r"(?:–|—|\.\.\.?|\bto)\s*$")


# --------------------------------------------------------------------------- IDs


def family_of(nid: str) -> str | None:
    """The family of a normalised ID: the letters before its number (``TODO`` for ``TODO-052``)."""
    m = _FAMILY_RE.match(nid)
    return m.group("fam") if m else None


def loose_key(nid: str) -> str:
    """A forgiving comparison form: separators folded and leading zeros dropped (TICKET_007 = Ticket #7)."""
    m = _FAMILY_RE.match(nid)
    if not m:
        return nid
    return f"{m.group('fam')}-{int(m.group('num'))}{m.group('rest')}"


def is_scoped(item: Item) -> bool:
    """Whether the item's ID numbers something within its document ("Phase 1", "B1", "T001")."""
    raw = (item.id_raw or "").strip()
    if _SHORT_FORM_RE.match(raw):
        return True
    if _WORD_FORM_RE.match(raw):
        return (family_of(item.id or "") or "") in SCOPED_WORD_FAMILIES
    return False


def item_name(item: Item, width: int = 60) -> str:
    """How messages name an item: "TODO-3 'Cache parser output'", or just its quoted title."""
    title = repaired(item.title.strip())
    if len(title) > width:
        title = title[: width - 1].rstrip() + "…"
    label = id_label(item)
    if label and label != item.title_raw:
        return f"{label} {title!r}" if title else label
    return repr(title)


def id_label(item: Item) -> str:
    if item.id_raw or item.id:
        return item.id_raw or item.id or ""
    f = item.get("id")
    if f is not None and _PURE_ID_RE.match(f.value.strip()):
        return f.value.strip()
    return item.title_raw


def field_id(item: Item) -> str | None:
    """The ID of an item that has none of its own but an ID column the parser did not use as one."""
    if item.id:
        return None
    f = item.get("id")
    if f is not None and _PURE_ID_RE.match(f.value.strip()):
        return f.value.strip()
    return None


def id_ranges(item: Item, line: str = "") -> list[str]:
    """IDs covered by a range in the item's ID column or title prefix ("F-020–024" -> F-020 ... F-024).

    ``line`` is the item's first source line: a table row's first cell is looked at too.
    """
    f = item.get("id")
    first_cell = line.strip().strip("|").split("|", 1)[0].strip(" `*") if item.kind == "table-row" else ""
    for text in (f.value if f is not None else "", first_cell, item.title_raw):
        m = _RANGE_RE.match(text.strip())
        if m is None:
            continue
        a, b = int(m.group("a")), int(m.group("b"))
        if not 0 < b - a <= 500:
            continue
        width = len(m.group("a"))
        fam = m.group("fam")
        return [normalise_id(f"{fam}{n:0{width}d}") for n in range(a, b + 1)]
    return []


def in_range_context(line: str, start: int, end: int) -> bool:
    """Whether the ID at line[start:end] is one end of a range ("F-020–024", "FE-027..FE-039")."""
    return bool(RANGE_AFTER_RE.match(line[end:]) or RANGE_BEFORE_RE.search(line[:start]))


# --------------------------------------------------------------------------- status


def is_completed(status: str | None, config: Config | None = None) -> bool:
    """Done in the sense of "the work was finished" (cancelled is closed but not completed)."""
    if status is None or status == CANCELLED:
        return False
    done = set(config.done_statuses) if config is not None else DONE_STATUSES
    return status in done


def is_open(status: str | None, config: Config | None = None) -> bool:
    """A status that says the work is still to be done (todo, in progress, blocked, ...)."""
    if status is None:
        return False
    if config is not None:
        return status in config.status_values and status not in config.done_statuses
    return status in OPEN_STATUSES


def folder_status(doc: Document) -> str | None:
    """'done' when the document sits under a completed/done/archive folder."""
    return "done" if _done_folder(doc.path) is not None else None


def open_tasks(item: Item) -> list:
    return [t for t in item.all_tasks() if not t.checked and t.marker in OPEN_MARKS]


def live_tasks(item: Item) -> list:
    """Tasks that are either checked or still open (dropped ones left out)."""
    return [t for t in item.all_tasks() if t.checked or t.marker in OPEN_MARKS]


# --------------------------------------------------------------------------- the index


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
        found = _locate(doc, Path(config.root))
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
        for m in _WORD_REF_RE.finditer(f.value_raw):
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


def build_index(ws: Workspace, config: Config | None = None) -> WorkspaceIndex:
    docs = sorted(ws.documents, key=lambda d: d.path)
    idx = WorkspaceIndex(ws, docs)
    doc_of, items, order = idx.doc_of, idx.items, idx.order
    by_id, by_loose, families, ranged = idx.by_id, idx.by_loose, idx.families, idx.ranged
    for doc in docs:
        for item in doc.items:
            key = id(item)
            doc_of[key] = doc
            items[key] = item
            order[key] = len(order)
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
            by_id.setdefault(nid, []).append((doc, item))
            by_loose.setdefault(loose_key(nid), []).append((doc, item))
            fam = family_of(nid)
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


# --------------------------------------------------------------------------- files


def _locate(doc: Document, root: Path) -> Path | None:
    if doc.abspath:
        return Path(doc.abspath)
    p = Path(doc.path)
    if p.is_absolute():
        return p if p.is_file() else None
    candidates = []
    for base in (root, Path.cwd()):
        c = base / p
        if c not in candidates:
            candidates.append(c)
    existing = [c for c in candidates if c.is_file()]
    if len(existing) > 1:
        size = len(doc.source.text.encode("utf-8", "surrogatepass")) + (3 if doc.source.bom else 0)
        for c in existing:
            try:
                if c.stat().st_size == size:
                    return c
            except OSError:
                continue
    return existing[0] if existing else None


def inside(path: Path, root: Path) -> bool:
    """Whether ``path`` (which need not exist) lies under ``root``, symlinks resolved on both sides."""
    try:
        Path(os.path.realpath(path)).relative_to(os.path.realpath(root))
    except ValueError:
        return False
    return True


# --------------------------------------------------------------------------- titles


_TITLE_SPACE_RE = re.compile(r"\s+")
_TITLE_MARKUP_RE = re.compile(r"[`*_~]+")


@lru_cache(maxsize=1)
def _repair() -> object | None:
    try:
        from backlog_lint.mojibake import repair_line
    except ImportError:  # pragma: no cover - optional module
        return None
    return repair_line


def title_key(title: str) -> str:
    """Comparison form of a title: mojibake repaired, case, dashes, markup and spacing folded."""
    if title.isascii():
        # ASCII: nothing to repair, NFKC and the dash table change nothing, casefold() is lower()
        t = title.lower()
        if "`" in t or "*" in t or "_" in t or "~" in t:
            t = _TITLE_MARKUP_RE.sub("", t)
        return " ".join(t.split()).strip(" .:;-")
    repair = _repair()
    if repair is not None:
        title = repair(title)  # type: ignore[operator]
    t = unicodedata.normalize("NFKC", title).translate(DASH_TRANS).casefold()
    t = _TITLE_MARKUP_RE.sub("", t)
    t = _TITLE_SPACE_RE.sub(" ", t).strip(" .:;-")
    return t


# colour markers of a priority level; ⚠️ flags risk, not a level
LEVEL_MARKS = tuple(e for e, colour in PRIORITY_EMOJI.items() if colour != "warning")


def level_marker(text: str) -> str | None:
    """The colour marker (🔴, 🟡, ...) in a priority value, mojibake repaired."""
    fixed = repaired(text)
    for e in LEVEL_MARKS:
        if e in fixed:
            return e
    return None


def repaired(text: str) -> str:
    repair = _repair()
    if repair is not None and not text.isascii():
        return repair(text)  # type: ignore[operator]
    return text


# --------------------------------------------------------------------------- label legends

_LEGEND_HEADING_RE = re.compile(r"label|categor|tag|legend", re.IGNORECASE)
_LEGEND_ENTRY_RE = re.compile(
    r"^\s*[-*+]\s+(?:[^\w\s`*_\[]{1,8}\s*)?"
    r"(?:`(?P<a>[^`]{1,60})`|\*\*(?P<b>[^*]{1,60})\*\*|__(?P<c>[^_]{1,60})__)"
    r"\s*(?:[:：=—–]|\s-\s|-\s|$)"
)


def fold_label(label: str) -> str:
    t = label.strip().strip("`*_").strip().lstrip("#").strip("[]").rstrip(":：").strip()
    return t.casefold()


def parse_legend(doc: Document) -> dict[str, Span]:
    """Labels a document defines in a legend section ('## Labels', '## Categories', '## Legend')."""
    out: dict[str, Span] = {}
    for sec in doc.sections():
        if sec.heading is None or not _LEGEND_HEADING_RE.search(sec.title):
            continue
        lines = doc.source.lines  # split only for documents with a legend (memory)
        end = sec.span.end_line
        for child in sec.children:  # only the section's own lines, not its sub-sections
            end = min(end, child.span.line - 1)
        for n in range(sec.span.line + 1, min(end, len(lines)) + 1):
            if n in doc.code_lines:
                continue
            line = lines[n - 1]
            m = _LEGEND_ENTRY_RE.match(line)
            if m:
                name = m.group("a") or m.group("b") or m.group("c") or ""
                key = fold_label(name)
                if key and key not in out:
                    group = "a" if m.group("a") else "b" if m.group("b") else "c"
                    delim = 1 if group == "a" else 2
                    out[key] = Span(n, m.start(group) - delim + 1, n, m.end(group) + delim + 1)
        for table in doc.tables:
            if not sec.span.line < table.span.line <= end:
                continue
            for ln, cells in table.rows:
                if not cells:
                    continue
                name = fold_label(cells[0])
                if name and name not in out:
                    text = lines[ln - 1]
                    col = text.find(cells[0].strip())
                    out[name] = Span(ln, col + 1, ln, col + len(cells[0].strip()) + 1) if col >= 0 \
                        else Span.of_line(ln, text)
    return out



# --------------------------------------------------------------------------- wording

_SIGNAL_WORDS = {
    "field": "its Status field says {raw!r}",
    "emoji": "its heading is marked {raw!r}",
    "strikethrough": "its heading is struck through",
    "heading": "its heading says {raw!r}",
    "prefix": "its heading starts with {raw!r}",
    "checkbox": "its checkbox is {raw}",
    "lane": "it sits in the {raw!r} lane",
    "folder": "its file is in a {raw!r} folder",
    "section": "it sits in the section {raw!r}",
    "index": "an index row marks it {raw!r}",
}


def describe_signal(source: str, raw: str) -> str:
    """How a status signal reads in a message: "its Status field says 'Done'"."""
    template = _SIGNAL_WORDS.get(source, "its status is {raw!r}")
    return template.format(raw=repaired(raw.strip()))


def folder_name(doc: Document) -> str | None:
    return _done_folder(doc.path)


@lru_cache(maxsize=4096)
def _done_folder(path: str) -> str | None:
    """The first completed/done/archive folder on a document's path ("done/"), or None."""
    for p in PurePosixPath(path.replace("\\", "/")).parts[:-1]:
        if p.lower() in DONE_FOLDERS:
            return p + "/"
    return None
