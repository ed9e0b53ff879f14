"""How messages name items and status signals, and which IDs an item carries besides its own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from backlog_lint.ids import (
    BARE_FIELD_ID_RE,
    family_of,
    is_short_form,
    is_word_form,
    range_ids,
)
from backlog_lint.model import Item

if TYPE_CHECKING:
    pass
from backlog_lint.workspace.titles import repaired

# Word-form IDs that number things *inside* one document ("Phase 1", "Step 3"): two
# files each having a "Phase 1" is normal, so their uniqueness is checked per section.
SCOPED_WORD_FAMILIES = frozenset({"PHASE", "STEP", "STAGE", "SPRINT", "MILESTONE", "TASK", "ITEM", "PART",
                                  "WAVE", "EPIC", "STORY"})
# A file of its own headed "# Task 110: ..." is the project's task-110; a file per phase or sprint still numbers
# within its plan ("Phase 1" of two milestones)
SCOPED_DOCUMENT_FAMILIES = frozenset({"PHASE", "STEP", "STAGE", "SPRINT", "MILESTONE", "WAVE", "PART"})


def is_scoped(item: Item) -> bool:
    """Whether the item's ID numbers something within its document ("Phase 1", "B1", "T001")."""
    raw = (item.id_raw or "").strip()
    if item.kind == "document" and (family_of(item.id or "") or "") not in SCOPED_DOCUMENT_FAMILIES:
        return False  # "# Task 110: ..." heading a task file of its own: the project's task-110
    if is_short_form(raw):
        return True
    if is_word_form(raw):
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
    if f is not None and BARE_FIELD_ID_RE.match(f.value.strip()):
        return f.value.strip()
    return item.title_raw


def field_id(item: Item) -> str | None:
    """The ID of an item that has none of its own but an ID column the parser did not use as one."""
    if item.id:
        return None
    f = item.get("id")
    if f is not None and BARE_FIELD_ID_RE.match(f.value.strip()):
        return f.value.strip()
    return None


def id_ranges(item: Item, line: str = "") -> list[str]:
    """IDs covered by a range in the item's ID column or title prefix ("F-020–024" -> F-020 ... F-024).

    ``line`` is the item's first source line: a table row's first cell is looked at too.
    """
    f = item.get("id")
    first_cell = line.strip().strip("|").split("|", 1)[0].strip(" `*") if item.kind == "table-row" else ""
    for text in (f.value if f is not None else "", first_cell, item.title_raw):
        ids = range_ids(text)
        if ids:
            return ids
    return []


_SIGNAL_WORDS = {
    "field": "its Status field says {raw!r}",
    "emoji": "its heading is marked {raw!r}",
    "strikethrough": "its heading is struck through",
    "struck": "its title is struck through",
    "heading": "its heading says {raw!r}",
    "prefix": "its heading starts with {raw!r}",
    "checkbox": "its checkbox is {raw}",
    "lane": "it sits in the {raw!r} lane",
    "folder": "its file is in the {raw!r} folder",
    "section": "it sits in the section {raw!r}",
    "index": "an index row marks it {raw!r}",
}


def describe_signal(source: str, raw: str) -> str:
    """How a status signal reads in a message: "its Status field says 'Done'"."""
    template = _SIGNAL_WORDS.get(source, "its status is {raw!r}")
    return template.format(raw=repaired(raw.strip()))


def share(part: int, total: int, noun: str, nouns: str) -> str:
    """How many of an item's things a message means, as English: "its only task", "both of its
    tasks", "all 3 of its tasks", "1 of its 3 tasks" (the verb after it agrees with ``part``)."""
    if part == total == 1:
        return f"its only {noun}"
    if part == total == 2:
        return f"both of its {nouns}"
    if part == total:
        return f"all {total} of its {nouns}"
    return f"{part} of its {total} {nouns}"
