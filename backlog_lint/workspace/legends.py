"""Legends: the labels a document defines in a legend section."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from backlog_lint.model import Document
from backlog_lint.source import Span

if TYPE_CHECKING:
    pass



_LEGEND_HEADING_RE = re.compile(r"label|categor|tag|legend", re.IGNORECASE)


_LEGEND_ENTRY_RE = re.compile(
    r"^\s*[-*+]\s+(?:[^\w\s`*_\[]{1,8}\s*)?"
    r"(?:`(?P<a>[^`]{1,60})`|\*\*(?P<b>[^*]{1,60})\*\*|__(?P<c>[^_]{1,60})__)"
    r"\s*(?:[:：=—–]|\s-\s|-\s|$)"
)


def fold_label(label: str) -> str:
    t = label.strip().strip("`*_").strip().lstrip("#").strip("[]").rstrip(":：").strip()
    return t.casefold()


def parse_legend(doc: Document) -> dict[str, Span]:
    """Labels a document defines: in a legend section ('## Labels', '## Categories', '## Legend'), or in a
    line declaring the values of its labels field ("**Tags**: `backend`, `frontend`")."""
    out: dict[str, Span] = {}
    for d in doc.declarations:  # a field line declaring them: "**Tags**: `backend`, `frontend`, `docs`"
        if d.field != "labels":
            continue
        text = doc.source.lines[d.span.line - 1]
        for value in d.values:
            key = fold_label(value)
            at = text.find(value, d.span.col - 1)
            if key and key not in out:
                out[key] = Span(d.span.line, at + 1, d.span.line, at + len(value) + 1) if at >= 0 else d.span
    for sec in doc.sections():
        if sec.heading is None or not _LEGEND_HEADING_RE.search(sec.title):
            continue
        lines = doc.source.lines  # split only for documents with a legend (memory)
        end = sec.span.end_line
        for child in sec.children:  # only the section's own lines, not its sub-sections
            end = min(end, child.span.line - 1)
        for n in range(sec.span.line + 1, min(end, len(lines)) + 1):
            if n in doc.code_lines:
                continue
            line = lines[n - 1]
            m = _LEGEND_ENTRY_RE.match(line)
            if m:
                name = m.group("a") or m.group("b") or m.group("c") or ""
                key = fold_label(name)
                if key and key not in out:
                    group = "a" if m.group("a") else "b" if m.group("b") else "c"
                    delim = 1 if group == "a" else 2
                    out[key] = Span(n, m.start(group) - delim + 1, n, m.end(group) + delim + 1)
        for table in doc.tables:
            if not sec.span.line < table.span.line <= end:
                continue
            for ln, cells in table.rows:
                if not cells:
                    continue
                name = fold_label(cells[0])
                if name and name not in out:
                    text = lines[ln - 1]
                    col = text.find(cells[0].strip())
                    out[name] = Span(ln, col + 1, ln, col + len(cells[0].strip()) + 1) if col >= 0 \
                        else Span.of_line(ln, text)
    return out
