"""Convention: a state slot in the file names of sibling item files.

Some backlogs keep an item's state in its file name, one dot-separated slot among others
(`tk0191.dne.docs.closure.md`: ID, state, board, slug), and its Status field in front matter.
A slot is a state slot when, across at least three sibling files of one folder, it takes a few
short word values and agrees with the files' Status fields in most of them: `dne` beside
`status: done`, `pss` beside `status: pass`, `cand` beside `status: cancelled` (the slot value
is the field's abbreviation, its letters in order) or the same canonical status.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from backlog_lint.model import Document, Field

if TYPE_CHECKING:
    from backlog_lint.vocab import Vocabulary

_SLOT_VALUE_RE = re.compile(r"^[a-z]{2,8}$")
MIN_FILES = 3
MAX_VALUES = 8


@dataclass(frozen=True, slots=True)
class SlotState:
    """A file's state slot: its value and the Status field it is compared with."""

    value: str  # as in the file name ("dne")
    pattern: str  # the name pattern, for messages ("tk0191.<state>.docs.closure.md")
    field: Field


def agrees(slot: str, status: str, vocab: Vocabulary | None = None) -> bool:
    """The slot value and the Status field say the same state: equal, an abbreviation (its letters in
    order: `pss` of `pass`, `dne` of `done`, `cand` of `cancelled`), or the same canonical status."""
    a, b = slot.casefold(), status.casefold().strip()
    if not b:
        return True
    if a == b or _subsequence(a, b):
        return True
    if vocab is not None:
        sa, sb = vocab.status_of(a), vocab.status_of(b)
        return sa is not None and sa == sb
    return False


def _subsequence(short: str, long: str) -> bool:
    if not short or short[0] != long[:1]:
        return False
    it = iter(long)
    return all(ch in it for ch in short)


def state_slots(docs: list[Document], vocab: Vocabulary | None = None) -> dict[str, SlotState]:
    """Document path -> its state slot, for the folders whose file names carry one."""
    by_folder: dict[str, list[tuple[Document, list[str], Field]]] = defaultdict(list)
    for doc in docs:
        p = PurePosixPath(doc.path)
        parts = p.name.split(".")[:-1]  # drop the extension
        if len(parts) < 3 or not doc.items or doc.items[0].kind != "document":
            continue
        status = doc.items[0].get("status")
        if status is None or status.style != "frontmatter":
            continue
        by_folder[str(p.parent)].append((doc, parts, status))
    out: dict[str, SlotState] = {}
    for group in by_folder.values():
        if len(group) < MIN_FILES:
            continue
        width = min(len(parts) for _d, parts, _f in group)
        for pos in range(1, width - 1):
            values = [parts[pos] for _d, parts, _f in group]
            if len(set(values)) > MAX_VALUES or not all(_SLOT_VALUE_RE.match(v) for v in values):
                continue
            agreeing = sum(1 for (_d, parts, f) in group if agrees(parts[pos], f.value_raw, vocab))
            if agreeing * 2 <= len(group) or agreeing < MIN_FILES:
                continue
            for doc, parts, f in group:
                shown = [*parts]
                shown[pos] = "<state>"
                out[doc.path] = SlotState(parts[pos], ".".join(shown) + PurePosixPath(doc.path).suffix, f)
            break
    return out
