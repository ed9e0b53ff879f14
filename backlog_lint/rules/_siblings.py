"""Sibling item files: the groups of files that are written from one template (BL210, BL317)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import PurePosixPath

from backlog_lint.ids import FILE_ID_RE, family_of, normalise_id
from backlog_lint.model import Document
from backlog_lint.rules._rule import Context

MIN_SIBLINGS = 4  # files of the family besides the one reported
SHARE = 0.8


def id_families(ctx: Context) -> dict[tuple[str, str], list[Document]]:
    """The files of one folder named with IDs of one family (`TASK-012.md`, `task-12 - Title.md`)."""
    return _groups(ctx)[0]


def same_names(ctx: Context) -> dict[tuple[str, str], list[Document]]:
    """The files of one name in sibling folders (`specs/*/tasks.md`), keyed by (grandparent, name)."""
    return _groups(ctx)[1]


def _groups(ctx: Context) -> tuple[dict[tuple[str, str], list[Document]], dict[tuple[str, str], list[Document]]]:
    families: dict[tuple[str, str], list[Document]] = defaultdict(list)
    same_name: dict[tuple[str, str], list[Document]] = defaultdict(list)
    for doc in ctx.workspace.documents:
        p = PurePosixPath(doc.path)
        m = FILE_ID_RE.match(p.name)
        fam = family_of(normalise_id(m.group("id"))) if m else None
        if fam:
            families[(str(p.parent), fam)].append(doc)
        elif p.parent.name:
            same_name[(str(p.parent.parent), p.name)].append(doc)
    return families, same_name
