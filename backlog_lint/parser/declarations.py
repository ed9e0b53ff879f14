"""Convention: declared vocabularies. A backlog often says which values a field takes:

- a field line listing them: `**Priorities**: P0 (urgent), P1 (next), P2 (later)`, `Tags: `ui`, `api``;
- a parenthesised list after the field's name in prose: "each item has a status (Open / In progress / Done)";
- a key/value table row: `| **Status** | progress: To Do / In Progress / Done |`;
- a legend section: `## Status legend` with `- **Todo** - not started` bullets.

Each becomes a ``Declaration`` of the document; the workspace's vocabulary (workspace/vocabulary.py)
checks the values items use against it.
"""

from __future__ import annotations

import re

from backlog_lint.model import Declaration
from backlog_lint.parser.context import Ctx
from backlog_lint.source import Span

DECLARED_FIELDS = frozenset({"status", "priority", "effort", "labels"})

# "**Priorities**: a, b" | "- Status: a / b" | "Tags: `a`, `b`"
_LINE_RE = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?(?P<key>[^\W\d_][\w ]{1,30}?)(?:\*\*|__)?\s*[:：]\s*(?:\*\*|__)?\s*"
    r"(?P<values>.+?)\s*$"
)
# "... a status (Open / In progress / Done) ..."
_PAREN_RE = re.compile(r"(?P<key>\b[^\W\d_][\w]{1,30})\s*\((?P<values>[^()\n]{3,200}/[^()\n]{1,200})\)")
# a legend section's heading: "Status legend", "Statuses", "Priority levels", "Estimates"
_LEGEND_HEADING_RE = re.compile(r"^(?P<key>[^\W\d_][\w ]{1,30}?)(?:\s+(?:legend|levels?|values|scale|key))?\s*$",
                                re.IGNORECASE)
_LEGEND_ENTRY_RE = re.compile(
    r"^\s*[-*+]\s+(?:[^\w\s`*_\[]{1,8}\s*)?(?:`(?P<a>[^`]{1,30})`|\*\*(?P<b>[^*]{1,30})\*\*|__(?P<c>[^_]{1,30})__)"
    r"\s*(?:[:：=—–]|\s-\s|-\s|\(|$)"
)
_BOX_MARK_RE = re.compile(r"`\[[^\]]\]`")
_MARKUP_RE = re.compile(r"\*\*|__|`|~~")
_PAREN_NOTE_RE = re.compile(r"\s*\([^)]*\)\s*$")
_PAREN_ANY_RE = re.compile(r"\s*\([^()]*\)")
_MAX_VALUE = 30  # characters: longer "values" are prose


def _key_field(ctx: Ctx, key: str) -> str | None:
    """The declared field a key names ("Priorities" -> priority), if it is one we check."""
    key = key.strip().strip("*_`").strip()
    canonical = ctx.vocab.canonical_key(key)
    if canonical is None and key.lower().endswith("s"):  # a plural: "Statuses", "Priorities", "Estimates"
        lower = key.lower()
        singular = key[:-3] + "y" if lower.endswith("ies") else key[:-2] if lower.endswith("ses") else key[:-1]
        canonical = ctx.vocab.canonical_key(singular)
    return canonical if canonical in DECLARED_FIELDS else None


def _values(text: str, separators: str) -> list[str]:
    """The values of a declared list, markup and trailing notes removed; [] when it does not read as one."""
    parts = re.split(separators, _PAREN_ANY_RE.sub("", text))
    out = []
    for part in parts:
        value = _PAREN_NOTE_RE.sub("", _MARKUP_RE.sub("", part)).strip(" .;")
        if not value or len(value) > _MAX_VALUE or len(value.split()) > 4:
            return []
        out.append(value)
    return out if len(out) >= 2 else []


def _closed(d: Declaration) -> bool:
    """Whether the values read as a closed set: estimates given as durations (`1h, 4h, 1d`) are examples of a
    measure, sizes (`S, M, L`) are a scale."""
    return not (d.field == "effort" and any(any(c.isdigit() for c in v) for v in d.values))


def find_declarations(ctx: Ctx) -> list[Declaration]:
    out: list[Declaration] = []
    code = ctx.doc.code_lines
    for n, line in enumerate(ctx.lines, 1):
        if n in code or not line.strip():
            continue
        found = _from_line(ctx, n, line)
        if found is not None:
            out.append(found)
    out.extend(_from_legend_sections(ctx))
    return [d for d in out if _closed(d)]


def _from_line(ctx: Ctx, n: int, line: str) -> Declaration | None:
    stripped = line.strip()
    if stripped.startswith("|"):
        return row_declaration(ctx, n, line)
    if ":" not in line and "：" not in line and "(" not in line:
        return None  # every other form names the field before a colon or a parenthesis
    m = _LINE_RE.match(line)
    if m and _BOX_MARK_RE.search(m.group("values")):
        return None  # "Status: `[ ]` open / `[~]` doing": what box markers mean (parser/checkbox_legend.py)
    if m and (field := _key_field(ctx, m.group("key"))):
        sep = r"\s+/\s+|\s*\|\s*|\s*,\s*|\s+·\s+" if "," in m.group("values") or "/" in m.group("values") \
            or "|" in m.group("values") or "·" in m.group("values") else r"(?!)"
        values = _values(m.group("values"), sep)
        if values:
            return Declaration(field, values, Span(n, m.start("key") + 1, n, len(line.rstrip()) + 1), "line")
    for m in _PAREN_RE.finditer(line):
        field = _key_field(ctx, m.group("key"))
        if field:
            values = _values(m.group("values"), r"\s*/\s*")
            if values:
                return Declaration(field, values, Span(n, m.start() + 1, n, m.end() + 1), "prose")
    return None


def row_declaration(ctx: Ctx, n: int, line: str) -> Declaration | None:
    """`| **Status** | progress: To Do / In Progress / Done |`: a key cell, then slash-separated values."""
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) < 2:
        return None
    if cells[0].startswith("`"):
        return None  # `| `status` | `active` / `draft` |`: a data model's column, not the backlog's field
    field = _key_field(ctx, cells[0])
    if not field:
        return None
    text = cells[1].rsplit(":", 1)[-1] if ":" in cells[1] else cells[1]
    if "/" not in text:
        return None
    values = _values(text, r"\s*/\s*")
    if not values:
        return None
    col = line.find(cells[1])
    return Declaration(field, values, Span(n, col + 1, n, col + len(cells[1]) + 1), "table")


def _from_legend_sections(ctx: Ctx) -> list[Declaration]:
    out = []
    for section in ctx.sections:
        m = _LEGEND_HEADING_RE.match(section.title)
        if not m or not (field := _key_field(ctx, m.group("key"))) or field == "labels":
            continue  # label legends: workspace/legends.py
        end = min([section.span.end_line, *(c.span.line - 1 for c in section.children)])
        values = []
        first = last = 0
        for n in range(section.span.line + 1, min(end, len(ctx.lines)) + 1):
            em = _LEGEND_ENTRY_RE.match(ctx.lines[n - 1])
            if em:
                values.append((em.group("a") or em.group("b") or em.group("c") or "").strip())
                first, last = first or n, n
        if len(values) >= 2:
            out.append(Declaration(field, values, Span(first, 1, last, len(ctx.lines[last - 1]) + 1), "legend"))
    return out
