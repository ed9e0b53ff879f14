"""Positions: the model's 1-based code-point spans to LSP's 0-based positions in the client's units
(UTF-16 unless the client and server agreed on UTF-8 or UTF-32), and text changes to LSP edits."""

from __future__ import annotations

import difflib
import re

from lsprotocol import types

from backlog_lint.diagnostics import Edit
from backlog_lint.source import SourceText, Span

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"
_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")  # lines as LSP counts them, with their ends


def units(text: str, encoding: str) -> int:
    """Length of ``text`` in the encoding's code units."""
    if text.isascii() or encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def column(line: str, character: int, encoding: str) -> int:
    """The 1-based code-point column of an LSP character offset (clamped to the line)."""
    if line.isascii() or encoding == UTF32:
        return min(max(character, 0), len(line)) + 1
    count = 0
    for i, ch in enumerate(line):
        if count >= character:
            return i + 1
        count += units(ch, encoding)
    return len(line) + 1


def position(st: SourceText, line: int, col: int, encoding: str) -> types.Position:
    """The LSP position of a 1-based line and column, clamped into the text."""
    count = len(st.line_offsets)
    if line > count:  # past the end (a finding at the end of a file): the end of its last line
        line, col = count, len(st.line(count)) + 1
    line = max(line, 1)
    text = st.line(line)
    return types.Position(line - 1, units(text[: max(col - 1, 0)], encoding))


def span_range(st: SourceText, span: Span, encoding: str) -> types.Range:
    start = position(st, span.line, span.col, encoding)
    end = position(st, span.end_line, span.end_col, encoding)
    if (end.line, end.character) < (start.line, start.character):
        end = start
    return types.Range(start, end)


def text_edit(st: SourceText, edit: Edit, encoding: str) -> types.TextEdit:
    return types.TextEdit(span_range(st, edit.span, encoding), edit.content)


def whole_range(st: SourceText, encoding: str) -> types.Range:
    last = len(st.line_offsets)
    return types.Range(types.Position(0, 0), position(st, last, len(st.line(last)) + 1, encoding))


def diff_edits(old: str, new: str, encoding: str) -> list[types.TextEdit]:
    """Edits that turn ``old`` into ``new``, whole lines at a time, only where they differ
    (so that an editor keeps the cursor, folds and marks on the lines that stay)."""
    a = _LINE_RE.findall(old)
    b = _LINE_RE.findall(new)
    starts = [0]
    for line in a:
        starts.append(starts[-1] + len(line))
    st = SourceText.from_text(old)
    edits = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        start = _offset_position(st, starts[i1], encoding)
        end = _offset_position(st, starts[i2], encoding)
        edits.append(types.TextEdit(types.Range(start, end), "".join(b[j1:j2])))
    return edits


def _offset_position(st: SourceText, offset: int, encoding: str) -> types.Position:
    if offset >= len(st.text):  # the end of the text: after the last line's last character
        last = len(st.line_offsets)
        if st.text.endswith(("\n", "\r")) or not st.text:
            return types.Position(last if st.text else 0, 0)
        return position(st, last, len(st.line(last)) + 1, encoding)
    line, col = st.position(offset)
    return position(st, line, col, encoding)
