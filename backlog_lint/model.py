"""The backlog model: Workspace -> Document -> Section -> Item -> Field / Task / Ref.

Every node carries a Span. Raw spellings are kept beside normalised values so
messages quote what the user wrote and the formatter can rewrite precisely.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

from backlog_lint.diagnostics import Severity
from backlog_lint.linesets import EMPTY as EMPTY_LINES
from backlog_lint.linesets import LineSet
from backlog_lint.source import SourceText, Span

_T = TypeVar("_T")
_NO_ATTRS: dict[str, str] = {}


def _pickled_by_constructor(cls: type[_T]) -> type[_T]:
    """Pickle instances as ``cls(*fields)``.

    The default for a slotted class stores a dict of slot names per object and sets them one by
    one when loading; a cached model holds hundreds of thousands of these objects, and calling
    the constructor with a tuple is about a third faster both ways (and the pickle smaller).
    """
    get: Callable[[Any], tuple[Any, ...]] = operator.attrgetter(*(f.name for f in fields(cls)))  # type: ignore[arg-type]

    def __reduce__(self: object) -> tuple[object, ...]:
        return (cls, get(self))

    cls.__reduce__ = __reduce__  # type: ignore[method-assign]
    return cls


class Field:
    """A field of an item or document: ``**Priority:** P1``, a table cell, a front-matter entry.

    Its spans are kept as columns when they lie on one line, the key's and value's on the first line
    of its span (nearly always): a backlog of 50,000 heading items has 200,000 fields, and three Span
    tuples each were ~48 MB. They read as Spans all the same.
    """

    __slots__ = ("_c", "_ce", "_k", "_ke", "_ln", "_v", "_ve", "key", "key_raw", "known", "style", "value",
                 "value_raw", "values")
    key: str  # canonical name ("priority"), or the raw key lower-cased if unknown
    key_raw: str  # as written ("Prio")
    value: str  # normalised value (markup stripped, status/priority canonicalised)
    value_raw: str  # as written in the source
    style: str  # bullet | paragraph | plain | frontmatter | table | heading
    values: Sequence[str]  # list form (labels, dependencies); a shared empty tuple when there is none
    known: bool  # the key is in the alias table
    # the spans as stored: a line (or a whole Span when the span is on more than one line) and columns
    _ln: int | Span
    _c: int
    _ce: int
    _k: int | Span
    _ke: int
    _v: int | Span
    _ve: int

    def __init__(self, key: str, key_raw: str, value: str, value_raw: str, span: Span, key_span: Span,
                 value_span: Span, style: str, values: Sequence[str] = (), known: bool = False) -> None:
        self.key = key
        self.key_raw = key_raw
        self.value = value
        self.value_raw = value_raw
        self.style = style
        self.values = values
        self.known = known
        line = span[0]  # the setters' work inline: 200,000 fields are built on a big backlog
        if span[2] == line:
            self._ln, self._c, self._ce = line, span[1], span[3]
        else:
            self._ln, self._c, self._ce = span, 0, 0
        if key_span[0] == key_span[2] == line:
            self._k, self._ke = key_span[1], key_span[3]
        else:
            self._k, self._ke = key_span, 0
        if value_span[0] == value_span[2] == line:
            self._v, self._ve = value_span[1], value_span[3]
        else:
            self._v, self._ve = value_span, 0

    @property
    def span(self) -> Span:
        """The whole field line / cell / front-matter entry."""
        ln = self._ln
        if isinstance(ln, int):
            return Span(ln, self._c, ln, self._ce)
        return ln

    @span.setter
    def span(self, sp: Span) -> None:
        if sp.line == sp.end_line:
            self._ln, self._c, self._ce = sp.line, sp.col, sp.end_col
        else:
            self._ln, self._c, self._ce = sp, 0, 0

    def _line(self) -> int:
        ln = self._ln
        return ln if isinstance(ln, int) else ln.line

    @property
    def key_span(self) -> Span:
        k = self._k
        if isinstance(k, int):
            line = self._line()
            return Span(line, k, line, self._ke)
        return k

    @key_span.setter
    def key_span(self, sp: Span) -> None:
        if sp.line == sp.end_line == self._line():
            self._k, self._ke = sp.col, sp.end_col
        else:
            self._k, self._ke = sp, 0

    @property
    def value_span(self) -> Span:
        v = self._v
        if isinstance(v, int):
            line = self._line()
            return Span(line, v, line, self._ve)
        return v

    @value_span.setter
    def value_span(self, sp: Span) -> None:
        if sp.line == sp.end_line == self._line():
            self._v, self._ve = sp.col, sp.end_col
        else:
            self._v, self._ve = sp, 0

    def _state(self) -> tuple[Any, ...]:
        return (self.key, self.key_raw, self.value, self.value_raw, self._ln, self._c, self._ce, self._k, self._ke,
                self._v, self._ve, self.style, self.values, self.known)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Field:
            return NotImplemented
        return self._state() == other._state()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (f"Field(key={self.key!r}, key_raw={self.key_raw!r}, value={self.value!r}, "
                f"value_raw={self.value_raw!r}, span={self.span!r}, key_span={self.key_span!r}, "
                f"value_span={self.value_span!r}, style={self.style!r}, values={self.values!r}, "
                f"known={self.known!r})")

    def __reduce__(self) -> tuple[object, ...]:
        return (_field_from_state, self._state())


def _field_from_state(key: str, key_raw: str, value: str, value_raw: str, ln: Any, c: int, ce: int, k: Any, ke: int,
                      v: Any, ve: int, style: str, values: Sequence[str], known: bool) -> Field:
    f = Field.__new__(Field)
    f.key, f.key_raw, f.value, f.value_raw, f._ln, f._c, f._ce = key, key_raw, value, value_raw, ln, c, ce
    f._k, f._ke, f._v, f._ve, f.style, f.values, f.known = k, ke, v, ve, style, values, known
    return f


@_pickled_by_constructor
@dataclass(slots=True)
class Task:
    text: str
    checked: bool
    marker: str  # the character between the brackets: " ", "x", "X", ...
    span: Span
    marker_span: Span
    depth: int
    id: str | None = None
    children: list[Task] = field(default_factory=list)
    state: str = ""  # the canonical status the file's checkbox legend gives its marker ("" if none does)

    def walk(self) -> Iterator[Task]:
        yield self
        for child in self.children:
            yield from child.walk()


@_pickled_by_constructor
@dataclass(slots=True)
class Ref:
    target: str  # an item ID, a file path, "#anchor", or "path#anchor"
    kind: str  # id | link | refdef
    span: Span
    source: str  # field name, "text", "index", "arrow", "link"
    relation: str | None = None  # dependencies | unlocks | blocks | related | closed-by
    # index columns, link label; read only: a reference without any shares one empty dict (50,000
    # `Depends on` fields held 50,000 empty dicts)
    attrs: dict[str, str] = field(default_factory=lambda: _NO_ATTRS)


@_pickled_by_constructor
@dataclass(slots=True)
class StatusSignal:
    """One place that says whether an item is open or done."""

    # field | emoji | strikethrough (a heading) | struck (a title) | heading | prefix | checkbox | lane | folder | index
    source: str
    value: str  # canonical status ("done", "in-progress", ...)
    raw: str
    span: Span


@_pickled_by_constructor
@dataclass(slots=True)
class Item:
    kind: str  # heading | table-row | checklist | bullet | card (a Mermaid kanban card) | document
    id: str | None
    id_raw: str | None
    title: str
    title_raw: str
    span: Span  # the whole item (heading to end of its body, row, list item)
    title_span: Span
    fields: list[Field] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    refs: list[Ref] = field(default_factory=list)
    signals: list[StatusSignal] = field(default_factory=list)
    inherited: dict[str, str] = field(default_factory=dict)  # priority / wave / phase / status
    section: str = ""  # title path of the enclosing section
    number: int | None = None  # for numbered headings ("### 3. Run ...")
    id_span: Span | None = None
    level: int = 0  # heading level for heading items, list depth for checklist items

    def get(self, key: str) -> Field | None:
        for f in self.fields:
            if f.key == key:
                return f
        return None

    def value(self, key: str) -> str | None:
        f = self.get(key)
        if f is not None:
            return f.value
        return self.inherited.get(key)

    @property
    def status(self) -> str | None:
        """The item's status: its field, else its strongest other signal."""
        for sig in self.signals:
            return sig.value
        return self.inherited.get("status")

    def all_tasks(self) -> Iterator[Task]:
        for t in self.tasks:
            yield from t.walk()

    @property
    def label(self) -> str:
        """How messages name the item: its ID, else its title, else where it is."""
        return self.id_raw or self.title.strip() or f"{self.kind} on line {self.span.line}"


@_pickled_by_constructor
@dataclass(slots=True)
class IndexRow:
    """A row of an index table/list: points at an item defined elsewhere."""

    ref: Ref
    columns: dict[str, str]  # canonical column name -> normalised value
    raw: dict[str, str]
    spans: dict[str, Span]
    table: str  # title of the section holding the index


# what kind of problem reading or parsing a file met: the name of the rule that reports it
IO_ERROR = "io-error"
INVALID_ENCODING = "invalid-encoding"
BROKEN_FRONT_MATTER = "broken-front-matter"
UNPARSEABLE = "unparseable"


@_pickled_by_constructor
@dataclass(slots=True)
class Problem:
    """A problem met while reading or parsing a file; the rule named ``kind`` reports it."""

    kind: str  # IO_ERROR | INVALID_ENCODING | BROKEN_FRONT_MATTER | UNPARSEABLE
    span: Span
    message: str
    severity: Severity = Severity.ERROR


@_pickled_by_constructor
@dataclass(slots=True)
class Declaration:
    """A field's allowed values as the document declares them (`**Priorities**: P0, P1, P2`)."""

    field: str  # canonical field name: status | priority | effort | labels
    values: list[str]  # as written, markup and notes removed
    span: Span
    form: str  # line | prose | table | legend


@_pickled_by_constructor
@dataclass(slots=True)
class Link:
    target: str
    text: str
    span: Span
    kind: str  # inline | reference | refdef | image | autolink | wikilink
    label: str | None = None  # for reference links


@_pickled_by_constructor
@dataclass(slots=True)
class Heading:
    level: int
    text: str  # plain text (markup stripped)
    raw: str  # source inline content
    span: Span
    slug: str
    setext: bool = False


@_pickled_by_constructor
@dataclass(slots=True)
class Section:
    title: str
    level: int
    span: Span  # heading line to end of section
    heading: Heading | None
    children: list[Section] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    inherited: dict[str, str] = field(default_factory=dict)

    def walk(self) -> Iterator[Section]:
        yield self
        for c in self.children:
            yield from c.walk()


@_pickled_by_constructor
@dataclass(slots=True)
class Table:
    span: Span
    header: list[str]
    header_line: int
    rows: list[tuple[int, list[str]]]  # (line, raw cells as split from the source)
    header_cells: int
    role: str  # items | index | other
    section: str = ""


@_pickled_by_constructor
@dataclass(slots=True)
class Document:
    path: str
    source: SourceText
    root: Section
    items: list[Item] = field(default_factory=list)
    index: list[IndexRow] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    refdefs: dict[str, Link] = field(default_factory=dict)
    headings: list[Heading] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    front_matter: dict[str, Any] | None = None
    front_matter_span: Span | None = None
    fields: list[Field] = field(default_factory=list)  # document-level fields (top bold lines)
    problems: list[Problem] = field(default_factory=list)  # met while reading or parsing (rules report them)
    code_lines: LineSet = EMPTY_LINES  # lines inside code blocks / fences
    html_comments: list[tuple[Span, str]] = field(default_factory=list)
    thematic_breaks: list[int] = field(default_factory=list)
    blank_lines: LineSet = EMPTY_LINES
    paragraph_lines: LineSet = EMPTY_LINES  # lines of paragraphs (plain text as rendered), any depth
    fences: list[tuple[int, int]] = field(default_factory=list)  # (first, last line) of each fenced code block
    loose_tasks: list[Task] = field(default_factory=list)  # checklist entries outside any item
    declarations: list[Declaration] = field(default_factory=list)  # declared vocabularies

    def sections(self) -> Iterator[Section]:
        yield from self.root.walk()

    @property
    def unreadable(self) -> Problem | None:
        """Why the file could not be read as text at all, if it could not."""
        return next((p for p in self.problems if p.kind in (IO_ERROR, INVALID_ENCODING)), None)


@_pickled_by_constructor
@dataclass(slots=True)
class Workspace:
    """The documents of one run, and where their files are (a document is the model of a text; which file
    it was read from is the run's business, not the model's)."""

    root: str
    documents: list[Document] = field(default_factory=list)
    # display path -> absolute path of the file it was read from; a document without one (text from
    # an editor or stdin) is looked for under the root (workspace/files.py)
    locations: dict[str, str] = field(default_factory=dict)

    def items(self) -> Iterator[tuple[Document, Item]]:
        for doc in self.documents:
            for item in doc.items:
                yield doc, item
