"""Status: one definition of done and open for the workspace rules, and what folders say."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from backlog_lint.model import Document, Field, Item, Task
from backlog_lint.vocab import DONE_STATUSES, STATUS_WORDS, default_vocabulary, is_done

if TYPE_CHECKING:
    from backlog_lint.config import Config

# folders whose files are finished work (Backlog.md's completed/); an archive/ folder holds work put away,
# finished or not (Backlog.md archives cancelled tasks and drafts there), so it says neither done nor open
DONE_FOLDERS = frozenset({"completed", "complete", "done"})


OPEN_STATUSES = frozenset(s for s in STATUS_WORDS if s not in DONE_STATUSES)


CANCELLED = "cancelled"


# task markers that mean "not done and not dropped" ("[-]" and "[~]" usually mean dropped)
OPEN_MARKS = frozenset({" ", "/"})


def is_completed(status: str | None, config: Config | None = None) -> bool:
    """Done in the sense of "the work was finished" (cancelled is closed but not completed)."""
    return status != CANCELLED and is_done(status, config.vocab if config is not None else None)


def is_open(status: str | None, config: Config | None = None) -> bool:
    """A status that says the work is still to be done (todo, in progress, blocked, ...)."""
    if status is None:
        return False
    if config is not None:
        return status in config.statuses and not is_done(status, config.vocab)
    return status in OPEN_STATUSES


def folder_status(doc: Document) -> str | None:
    """'done' when the document sits under a completed/done folder."""
    return "done" if _done_folder(doc.path) is not None else None


def document_status(doc: Document, config: Config | None = None) -> tuple[Field, str] | None:
    """The status the document gives itself when it is not one item (a spec's tasks file under its
    `## Status` section): its Status field, or a Phase field whose value is a status (`Phase: Complete`),
    with the canonical status."""
    vocab = config.vocab if config is not None else default_vocabulary()
    for f in doc.fields:
        if f.key in ("status", "phase"):
            status = vocab.status_of(f.value)
            if status is not None:
                return f, status
    return None


def task_open(t: Task) -> bool:
    """An unchecked entry that is still to do: an empty box (or `[/]`), or a marker the file's checkbox
    legend calls open (`[~]` where the legend says partial); other markers (`[~]`, `[-]`) are dropped."""
    if t.checked:
        return False
    if t.state:
        return t.state in OPEN_STATUSES
    return t.marker in OPEN_MARKS


def task_live(t: Task) -> bool:
    """An entry either checked or still open (not dropped)."""
    return t.checked or task_open(t)


def open_tasks(item: Item) -> list[Task]:
    return [t for t in item.all_tasks() if task_open(t)]


def live_tasks(item: Item) -> list[Task]:
    """Tasks that are either checked or still open (dropped ones left out)."""
    return [t for t in item.all_tasks() if task_live(t)]


def folder_name(doc: Document) -> str | None:
    return _done_folder(doc.path)


@lru_cache(maxsize=4096)
def _done_folder(path: str) -> str | None:
    """The first completed/done folder on a document's path ("completed/"), or None."""
    for p in PurePosixPath(path.replace("\\", "/")).parts[:-1]:
        if p.lower() in DONE_FOLDERS:
            return p + "/"
    return None


_QUALIFIED_RE = re.compile(
    r"[(,;:—–-].*\b(?:outstanding|pending|remaining|except|excluding|partial(?:ly)?|missing|left|awaiting|"
    r"not yet|todo|to do|wip|blocked|but|"
    # the same in other languages: "complété (hors ...)", "erledigt (außer ...)", "hecho (excepto ...)"
    r"hors|sauf|excepté|außer|ausser|bis auf|excepto|salvo|tranne|pendiente|en attente)\b", re.IGNORECASE)


def qualified_done(raw: str) -> bool:
    """A done status that says itself what is left ("complete (browser QA outstanding)")."""
    return bool(_QUALIFIED_RE.search(raw))


def tool_default_lines(doc: Document) -> frozenset[int]:
    """Lines of Backlog.md's Definition of Done block (`<!-- DOD:BEGIN -->` ... `<!-- DOD:END -->`): the
    tool adds its default checks to every task, so they say nothing about this task's own work."""
    begin = None
    out: set[int] = set()
    for span, text in doc.html_comments:
        marker = text.strip().upper()
        if marker == "DOD:BEGIN":
            begin = span.end_line
        elif marker == "DOD:END" and begin is not None:
            out.update(range(begin + 1, span.line))
            begin = None
    return frozenset(out)
