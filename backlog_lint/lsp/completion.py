"""Completion of item IDs, with their titles: in fields that hold IDs (Dependencies, Unlocks,
Related and their aliases, in bullets, bold lines, table columns and front matter) and after an
ID family's prefix anywhere (``TODO-`` offers the TODO items)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from backlog_lint.ids import family_of, normalise_id
from backlog_lint.lsp.project import Project
from backlog_lint.model import Document, Item

LIMIT = 200  # items sent at most; the list is marked incomplete beyond, so typing more asks again

_PREFIX_RE = re.compile(r"[A-Za-z0-9_#.\-]*$")
_FAMILY_PREFIX_RE = re.compile(r"^(?P<family>[A-Za-z][A-Za-z0-9]{0,15})[-_](?P<number>\d*)$")
# "- **Depends on:** ", "**Blocked by**: ", "Unlocks: ", "dependencies: [" (bullets, bold, plain, YAML)
_FIELD_RE = re.compile(
    r"^[ \t]*(?:[-*+][ \t]+(?:\[[ xX]\][ \t]+)?)?(?:\*\*|__)?(?P<key>[A-Za-z][A-Za-z0-9 _/-]{0,40}?)[ \t]*"
    r"(?:(?:\*\*|__)[ \t]*:|:[ \t]*(?:\*\*|__)?)"
)
_YAML_KEY_RE = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9 _-]{0,40}):")


@dataclass(frozen=True, slots=True)
class Candidate:
    label: str  # the ID as its definition writes it
    title: str
    detail: str  # status and where it is defined
    sort: str


@dataclass(frozen=True, slots=True)
class Completion:
    start: int  # 1-based column where the replaced prefix starts
    candidates: list[Candidate]
    incomplete: bool


def complete(project: Project, lines: list[str], line: int, col: int) -> Completion | None:
    """IDs to offer at 1-based ``line``/``col`` of a document whose current text is ``lines``."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    before = text[: col - 1]
    prefix = _PREFIX_RE.search(before).group(0)  # type: ignore[union-attr]
    start = col - len(prefix)
    in_field = _in_reference_field(project, lines, line, before)
    family = None
    m = _FAMILY_PREFIX_RE.match(prefix)
    if m is not None and normalise_id(m.group("family")) in project.index().families:
        family = normalise_id(m.group("family"))
    if not in_field and family is None:
        return None
    wanted = prefix.casefold()
    out: list[Candidate] = []
    index = project.index()
    for nid, defs in index.by_id.items():
        if family is not None and family_of(nid) != family:
            continue
        doc, item = defs[0]
        label = item.id_raw or item.id or nid
        if wanted and not (label.casefold().startswith(wanted) or (in_field and wanted in item.title.casefold())):
            continue
        out.append(_candidate(project, doc, item, label, nid))
    out.sort(key=lambda c: c.sort)
    return Completion(start, out[:LIMIT], len(out) > LIMIT)


def _candidate(project: Project, doc: Document, item: Item, label: str, nid: str) -> Candidate:
    status = project.index().effective_status(doc, item)
    where = f"{doc.path}:{(item.id_span or item.title_span).line}"
    m = re.match(r"^(.*?)(\d+)(\D*)$", nid)
    sort = f"{m.group(1)}{int(m.group(2)):012d}{m.group(3)}" if m else nid
    return Candidate(label, item.title, f"{status} · {where}" if status else where, sort)


def _in_reference_field(project: Project, lines: list[str], line: int, before: str) -> bool:
    """Whether the cursor is in the value of a field that holds IDs."""
    vocab = project.cfg.vocab

    def holds_ids(key: str) -> bool:
        return vocab.canonical_key(key.strip()) in vocab.reference_fields

    m = _FIELD_RE.match(before)
    if m is not None and holds_ids(m.group("key")):
        return True
    if before.lstrip().startswith("|"):
        return _in_reference_column(lines, line, before, holds_ids)
    return _in_front_matter_list(lines, line, before, holds_ids)


def _in_reference_column(lines: list[str], line: int, before: str, holds_ids: Callable[[str], bool]) -> bool:
    first = line
    while first > 1 and lines[first - 2].lstrip().startswith("|"):
        first -= 1
    if first == line:
        return False  # the header row itself
    header = [c.strip() for c in re.split(r"(?<!\\)\|", lines[first - 1].strip().strip("|"))]
    column = len(re.findall(r"(?<!\\)\|", before)) - 1
    return 0 <= column < len(header) and holds_ids(header[column].strip("*_ `"))


def _in_front_matter_list(lines: list[str], line: int, before: str, holds_ids: Callable[[str], bool]) -> bool:
    if not lines or lines[0].rstrip() != "---" or line == 1:
        return False
    for n in range(2, line):
        if lines[n - 1].rstrip() in ("---", "..."):
            return False  # past the front matter
    if not before.startswith((" ", "\t", "-")):
        return False
    for n in range(line - 1, 1, -1):
        m = _YAML_KEY_RE.match(lines[n - 1])
        if m is not None:
            return holds_ids(m.group("key"))
    return False
