"""Workspace summaries: what the cross-file rules need of a file that is not checked.

A run over a few files of a large project (the pre-commit case) checks those files against
every other one, but of the others it reads only their items, index rows, declarations and
document fields (IDs, titles, references and edges, statuses, vocabulary), and what the ID
index makes of them. A summary holds exactly that, is cached beside the full model (a few
percent of its size), and loads in a fraction of the time.

Its items are ``SummaryItem``s without their tasks (a third of an item's objects, which only
rules reading the tasks of a file not checked want): reading ``tasks`` loads the full model too.

A summary is a ``SummaryDocument``: a ``Document`` whose other attributes (source text,
section tree, links, headings, tables, line sets, per-file findings ...) are left unset. The
first read of one loads the full model (from the cache, else by parsing the file), so a rule
that needs more than the summary gets the right answer, only slower; ``STATS`` counts how
often that happens. The full model's section tree is made to hold the summary's item objects,
so item identity (the index keys items by ``id(item)``) stays one.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backlog_lint.model import Document, Item, Section

if TYPE_CHECKING:
    from backlog_lint.config import Config

# what a summary keeps of a document: everything else loads the full model on first read
KEPT = ("path", "items", "index", "fields", "declarations", "problems", "front_matter", "front_matter_span")
LAZY = frozenset(f.name for f in fields(Document)) - set(KEPT)
_VERSION = 3  # bumped when the pickled summary changes shape
_ITEM_FIELDS = tuple(f.name for f in fields(Item))
_get_tasks = Item.tasks.__get__  # type: ignore[attr-defined]  # the slot itself, under SummaryItem's property
_set_tasks = Item.tasks.__set__  # type: ignore[attr-defined]

# how many summaries were loaded, and how many of them needed their full model after all
STATS = {"loaded": 0, "completed": 0}


class SummaryDocument(Document):
    """A document loaded from its summary; any attribute not in ``KEPT`` loads the full model."""

    __slots__ = ("_full", "index_part", "title_keys")

    def __getattr__(self, name: str) -> Any:  # only called for an attribute not set
        if name not in LAZY:
            raise AttributeError(name)
        _complete(self)
        return object.__getattribute__(self, name)


class SummaryItem(Item):
    """An item loaded from a summary: its tasks are read from the full model on first use."""

    __slots__ = ("_doc",)

    @property  # type: ignore[override]
    def tasks(self) -> list[Any]:
        try:
            return _get_tasks(self)  # type: ignore[no-any-return]
        except AttributeError:
            _complete(self._doc)
            return _get_tasks(self)  # type: ignore[no-any-return]

    @tasks.setter
    def tasks(self, value: list[Any] | None) -> None:
        if value is not None:  # None: built from a summary, left to load
            _set_tasks(self, value)


class _SummaryPickler(pickle.Pickler):
    """Pickles items as summary items without their tasks."""

    def reducer_override(self, obj: object) -> Any:
        if type(obj) is Item:
            return (SummaryItem, tuple(None if name == "tasks" else getattr(obj, name) for name in _ITEM_FIELDS))
        return NotImplemented


def _complete(doc: SummaryDocument) -> None:
    """Fill in the attributes the summary left out, from the full model."""
    full: Document = object.__getattribute__(doc, "_full")()
    STATS["completed"] += 1
    same_content = len(full.items) == len(doc.items)
    for n, item in enumerate(doc.items):
        try:
            _get_tasks(item)
        except AttributeError:
            _set_tasks(item, full.items[n].tasks if same_content else [])
    if same_content:  # keep one object per item
        same = {id(f): s for f, s in zip(full.items, doc.items, strict=True)}
        _replace_items(full.root, same)
    for name in LAZY:
        try:
            object.__getattribute__(doc, name)
        except AttributeError:
            object.__setattr__(doc, name, getattr(full, name))


def _replace_items(root: Section, same: dict[int, Item]) -> None:
    for sec in root.walk():
        if sec.items:
            sec.items = [same.get(id(it), it) for it in sec.items]


def summarise(doc: Document) -> bytes:
    """The pickled summary of a (full) document."""
    from backlog_lint.workspace.index import document_part
    from backlog_lint.workspace.titles import title_key

    kept = tuple(getattr(doc, name) for name in KEPT)
    keys = tuple(title_key(item.title) for item in doc.items)
    out = io.BytesIO()
    _SummaryPickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump((_VERSION, kept, document_part(doc), keys))
    return out.getvalue()


def from_summary(value: object, full: Callable[[], Document]) -> SummaryDocument | None:
    """A summary document from an unpickled summary; ``full`` loads the full model when needed."""
    if not (isinstance(value, tuple) and len(value) == 4 and value[0] == _VERSION):
        return None
    _, kept, part, keys = value
    doc = object.__new__(SummaryDocument)
    for name, v in zip(KEPT, kept, strict=True):
        object.__setattr__(doc, name, v)
    object.__setattr__(doc, "index_part", part)  # what the document adds to the ID index
    object.__setattr__(doc, "title_keys", keys)  # title_key() of each item's title
    object.__setattr__(doc, "_full", full)
    for item in doc.items:
        object.__setattr__(item, "_doc", doc)
    STATS["loaded"] += 1
    return doc


def load(cache: Any, key: str, path: Path, display: str, cfg: Config) -> SummaryDocument | None:
    """The cached summary of a file (content key ``key``), or None when there is none."""
    from backlog_lint.summarypack import pack_of

    value = cache.summary_from(pack_of(cache).get(key))
    if value is None:
        return None
    return from_summary(value, _full_model(cache, key, path, display, cfg))


def finish(cache: Any) -> None:
    """After a run's summaries were loaded: keep the pack current (summarypack.py)."""
    pack = getattr(cache, "summary_pack", None)
    if pack is not None:
        pack.finish()


def _full_model(cache: Any, key: str, path: Path, display: str, cfg: Config) -> Callable[[], Document]:
    def full() -> Document:
        from backlog_lint.pipeline.parsing import cached_entry, load_document

        hit = cached_entry(cache.get(key))
        if hit is not None:
            return hit[0]

        return load_document(path, display, cfg)

    return full
