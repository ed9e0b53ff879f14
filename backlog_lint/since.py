"""Items a change removed: the IDs that changed backlog files defined at a revision.

A reference to such an ID dangles because of the change under review (an item deleted,
renumbered, or its file deleted), also in files the change did not touch, which pre-commit does
not pass and a pull request's diff does not show. The dangling-reference rule (BL304) reads them
from its context (``REMOVED_IDS``) and reports those references too, pointing at where the ID was.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from backlog_lint.config import Config
from backlog_lint.discovery import is_markdown
from backlog_lint.gitrev import Change, show
from backlog_lint.source import Span

REMOVED_IDS = "removed_ids"  # the key of the rules' Context.cache


@dataclass(frozen=True, slots=True)
class Gone:
    """Where an ID was defined at the revision."""

    path: str  # as shown (relative to the working folder)
    span: Span  # the item's ID (or title) there
    since: str  # the revision as the user named it ("HEAD", "origin/main")


def ids_at(cfg: Config, top: Path, rev: str, label: str, changed: list[Change], cwd: Path) -> dict[str, Gone]:
    """Normalised ID -> where it was, for every item of the changed Markdown files at ``rev``."""
    from backlog_lint.parser import parse_bytes
    from backlog_lint.pipeline import display_path

    out: dict[str, Gone] = {}
    for change in changed:
        if change.old is None or not is_markdown(change.old):
            continue
        data = show(top, rev, change.old)
        if data is None:
            continue
        display = display_path(Path(os.path.join(top, change.old)), cwd)
        try:
            doc = parse_bytes(data, display, cfg.vocab)
        except Exception:  # an old version the parser cannot read is no reason to fail today's check
            continue
        for item in doc.items:
            if item.id:
                out.setdefault(item.id, Gone(display, item.id_span or item.title_span, label))
    return out


def since_head(cfg: Config, cwd: Path) -> dict[str, Gone]:
    """IDs the uncommitted changes removed (what pre-commit is about to commit); {} outside git."""
    from backlog_lint.gitrev import GitError, changes, has_head, toplevel

    top = toplevel(cfg.root)
    if top is None or not has_head(top):
        return {}
    try:
        changed = [c for c in changes(top, "HEAD") if c.status != "A"]
        return ids_at(cfg, top, "HEAD", "HEAD", changed, cwd) if changed else {}
    except GitError:
        return {}  # an extra: without it the check is what it was
