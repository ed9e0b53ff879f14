"""The one ID grammar: how backlogs write item IDs, and how two spellings are the same ID.

Every other module (the parser's recognisers, the workspace index, the rules) takes its ID
patterns and comparison forms from here.

Three shapes:

- family IDs: letters, a separator, a number (``TODO-052``, ``task-37``, ``SIMPLIFY-003-CONTINUATION``);
- short IDs: a few capitals glued to a number (``B1``, ``FL12``; on a heading they need a colon);
- word IDs: a word, a space, a number (``Task 1.2``, ``Phase 2``, ``Ticket #7``).
"""

from __future__ import annotations

import re
import unicodedata

from backlog_lint.text import DASH_TRANS

# ---------------------------------------------------------------------------- building blocks

# TODO-052 | T-001 | task-037 | task-1.1 (a subtask) | FL–0003 (any dash) | SIMPLIFY-003-CONTINUATION
FAMILY_ID = r"[A-Za-z][A-Za-z0-9]{0,15}(?:[-_‐‑‒–][A-Za-z]{1,15})*[-_‐‑‒–]\d{1,6}(?:\.\d{1,4})*[A-Za-z]?(?:[-_][A-Z]+)*"
# B1 | FL12
SHORT_ID = r"[A-Z]{1,4}\d{1,4}"
# words that number items: "Task 1.1", "Phase 2", "Ticket #7"
ID_WORDS = ("Task", "Phase", "Ticket", "Story", "Epic", "Milestone", "Step", "Stage", "Sprint", "Item", "Issue",
            "Bug", "Feature", "Todo", "Spec", "Req", "Requirement")
WORD_ID = rf"(?:{'|'.join(ID_WORDS)})\s+#?\d+(?:\.\d+)*"

# ---------------------------------------------------------------------------- where IDs are written

# at the start of a heading: "### TODO-052: Title", "## Task 1.1 - Title", "### T-001", "## OBS-003 · 2026-03-01";
# a dotted subtask ID may stand before its title with a space only ("## task-1.1 Subtask"; see
# heading_id_match); the ID never ends inside a dotted number ("task-1" of "task-1.1")
HEADING_ID_RE = re.compile(
    rf"^(?P<pre>\s*)(?P<id>{FAMILY_ID}|{WORD_ID})(?!\.?\d)"
    rf"(?:\s*(?P<sep>[:.—–·]|\s-)\s*|\s*$|(?P<space>\s+)(?=\S))(?P<title>.*)$",
    re.IGNORECASE,
)
_DOTTED_FAMILY_RE = re.compile(rf"^{FAMILY_ID}$")
# "### B1: Title": a short ID on a heading needs its colon
HEADING_SHORT_ID_RE = re.compile(rf"^(?P<pre>\s*)(?P<id>{SHORT_ID}):\s*(?P<title>.*)$")
# "M3: Title" / "F-020: Title" at the start of a table cell or bold bullet name
CELL_ID_RE = re.compile(rf"^(?P<id>{FAMILY_ID}|{SHORT_ID}|{WORD_ID})\s*(?::|\s[—–-])\s*(?P<title>.+)$")
# a cell, field value or name that is nothing but an ID
PURE_ID_RE = re.compile(rf"^(?:{FAMILY_ID}|{SHORT_ID}|{WORD_ID})$", re.IGNORECASE)
# an ID in running text: an upper-case family only (TODO-052, SPEC-038, CLEAN-01)
TEXT_ID_RE = re.compile(
    r"(?<![\w/.#@-])([A-Z][A-Z0-9]{0,15}(?:[-_][A-Z]{1,15})*[-_]\d{1,6}(?:\.\d{1,4})*[A-Za-z]?(?:-[A-Z]+)*)(?![\w-])"
)
# an ID in a field that holds IDs (Dependencies, Unlocks): any case (task-037, TASK-038)
FIELD_ID = r"[A-Za-z][A-Za-z0-9]{0,15}(?:[-_][A-Za-z]{1,15})*[-_]\d{1,6}(?:\.\d{1,4})*[A-Za-z]?"
FIELD_ID_RE = re.compile(rf"(?<![\w/.#@-])({FIELD_ID})(?![\w-])")
BARE_FIELD_ID_RE = re.compile(rf"^{FIELD_ID}$")
# leading a checklist entry: "- [ ] SIMPLIFY-001: ...", "- [ ] B12: ...", "- [x] Task 3 ..."; a short ID needs
# its colon ("- [ ] VIC20 support" names a machine, not an item)
TASK_ID_RE = re.compile(
    r"^(?:\*\*)?([A-Za-z][A-Za-z0-9]{0,15}(?:[-_][A-Za-z]{1,15})*[-_]\d{1,6}(?:\.\d{1,4})*[A-Za-z]?(?:-[A-Z]+)*(?=[\s:*]|$)"
    r"|[A-Z]{1,4}\d{1,4}(?=(?:\*\*)?:)|(?:Phase|Task|Step|Story)\s+\d+(?:\.\d+)*(?=[\s:*]|$))"
)
# any ID leading a checklist entry, a short one without its colon too ("- [ ] T012 [P] Write the parser"): for
# counting a task list's entries, never for defining items
ENTRY_ID_RE = re.compile(rf"^(?:\*\*)?(?:{FAMILY_ID}|{SHORT_ID})(?![\w-])")
# leading a file name: "task-37 - Title.md", "TICKET_007.md"
FILE_ID_RE = re.compile(r"^(?P<id>[A-Za-z][A-Za-z0-9]{0,15}[-_ ]#?\d{1,6}(?:\.\d{1,4})*)\b")
FILE_ID_PREFIX_RE = re.compile(r"^(?P<id>[A-Za-z][A-Za-z0-9]{0,15}[-_ ]#?\d{1,6}(?:\.\d{1,4})*)(?![\d])")
# word-form IDs in a Dependencies/Unlocks value ("Depends on: Phase 1", "Ticket #7", "Task 1.2")
WORD_REF_RE = re.compile(
    r"(?<![\w#])(?:Task|Phase|Ticket|Story|Epic|Milestone|Step|Stage|Sprint|Item|Issue|Bug|Feature|Spec|Req)"
    r"\s+#?\d+(?:\.\d+)*(?![\w.])",
    re.IGNORECASE,
)



def heading_id_match(text: str) -> re.Match[str] | None:
    """HEADING_ID_RE, where a space alone separates a title only from a dotted family ID (`task-1.1 Title`:
    `COVID-19 response` and `Phase 2 planning` are titles)."""
    m = HEADING_ID_RE.match(text)
    if m is None or m.group("space") is None:
        return m
    ident = m.group("id")
    prefix = re.split(r"[-_‐‑‒–]", ident, maxsplit=1)[0]
    # "task-1.1" / "TASK-1.1"; a capitalised word is a name with a version ("Python-3.12 upgrade")
    one_case = prefix.islower() or prefix.isupper()
    return m if "." in ident and _DOTTED_FAMILY_RE.match(ident) and one_case else None


# ---------------------------------------------------------------------------- identity


def is_priority(text: str) -> bool:
    """"P0".."P5" is a priority level, never an ID."""
    return len(text) == 2 and text[0] == "P" and text[1] in "012345"


def normalise_id(raw: str) -> str:
    """ID comparison form: case, Unicode dashes, spaces and underscores folded."""
    t = unicodedata.normalize("NFKC", raw).translate(DASH_TRANS).upper().strip()
    t = re.sub(r"[\s_]+", "-", t)
    return t.lstrip("#")


# a normalised ID: family letters, separators, number, the rest
_FAMILY_RE = re.compile(r"^(?P<fam>[A-Z]+(?:[A-Z0-9]*[A-Z])?(?:-[A-Z]+)*?)[-#]*(?P<num>\d+)(?P<rest>.*)$")


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


def is_word_form(raw: str) -> bool:
    """Written as a word, a space and a number ("Phase 1", "Ticket #7")."""
    return bool(_WORD_FORM_RE.match(raw))


def is_short_form(raw: str) -> bool:
    """Written as a few letters glued to a number ("B1", "T001")."""
    return bool(_SHORT_FORM_RE.match(raw))


_WORD_FORM_RE = re.compile(r"^[A-Za-z]+\s+#?\d")
_SHORT_FORM_RE = re.compile(r"^[A-Za-z]{1,4}\d")

# ---------------------------------------------------------------------------- ranges

# an ID cell or title prefix naming a range of legacy items: F-020–024, B-001–B-004, FE-027..FE-039
RANGE_RE = re.compile(
    r"^(?P<fam>[A-Za-z][A-Za-z0-9]{0,15}[-_])(?P<a>\d{1,6})\s*(?:–|—|-|\.\.\.?|to)\s*(?:(?P=fam))?(?P<b>\d{1,6})\b",
    re.IGNORECASE,
)
# text right before/after a reference that makes it one end of a range ("F-020–024", "FE-027..FE-039")
RANGE_AFTER_RE = re.compile(r"^\s*(?:–|—|\.\.\.?|-(?=\s*[A-Za-z]*[-_]?\d)|to\s+[A-Za-z]*[-_]?\d)")
RANGE_BEFORE_RE = re.compile(r"(?:–|—|\.\.\.?|\bto)\s*$")


def range_ids(text: str) -> list[str]:
    """The normalised IDs a range names ("F-020–024" -> F-020 ... F-024), or [] if it is none."""
    m = RANGE_RE.match(text.strip())
    if m is None:
        return []
    a, b = int(m.group("a")), int(m.group("b"))
    if not 0 < b - a <= 500:
        return []
    width = len(m.group("a"))
    fam = m.group("fam")
    return [normalise_id(f"{fam}{n:0{width}d}") for n in range(a, b + 1)]


def in_range_context(line: str, start: int, end: int) -> bool:
    """Whether the ID at line[start:end] is one end of a range ("F-020–024", "FE-027..FE-039")."""
    return bool(RANGE_AFTER_RE.match(line[end:]) or RANGE_BEFORE_RE.search(line[:start]))
