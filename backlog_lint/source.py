"""Source files: decoding, newline style, BOM, and line/column positions."""

from __future__ import annotations

import codecs
import re
from array import array
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

BOM = "\ufeff"
_NEWLINE_RE = re.compile(r"\r\n?|\n")
_SHARED_LINE = 32  # characters: lines this short are shared when repeated


class Span(NamedTuple):
    """A range in a source file: 1-based lines and columns, end column exclusive.

    Columns count Unicode code points within the line (a tab is one column), the
    way editors and ruff count them. A BOM is not part of line 1. A named tuple: cheap
    to build, compare and (un)pickle, which the parse cache does for every span.
    """

    line: int
    col: int
    end_line: int
    end_col: int

    @classmethod
    def point(cls, line: int, col: int = 1) -> Span:
        return cls(line, col, line, col)

    @classmethod
    def of_line(cls, line: int, text: str) -> Span:
        return cls(line, 1, line, len(text) + 1)

    def to_dict(self) -> dict[str, int]:
        return {"line": self.line, "col": self.col, "end_line": self.end_line, "end_col": self.end_col}

    def __str__(self) -> str:
        return f"{self.line}:{self.col}"

    def __reduce__(self) -> tuple[object, ...]:
        # rebuilt by tuple.__new__ (C) rather than the generated Python __new__: a cached
        # model holds hundreds of thousands of spans
        return (tuple.__new__, (Span, tuple(self)))


class DecodeError(Exception):
    """The file's bytes are not text backlog-lint can read; carries the position."""

    def __init__(self, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


class SourceText:
    """Decoded text of one file, split into lines exactly as markdown-it counts them.

    ``lines`` and ``line_offsets`` are derived from the text on first use, and are not
    pickled: the parse cache stores only the text, which keeps cache hits cheap.
    """

    __slots__ = ("_lines", "_offsets", "bom", "final_newline", "newline", "text")

    def __init__(self, text: str, newline: str = "\n", bom: bool = False, final_newline: bool = True) -> None:
        self.text = text  # decoded, BOM removed, newlines as in the file
        self.newline = newline  # the file's dominant newline: "\n", "\r\n" or "\r"
        self.bom = bom
        self.final_newline = final_newline
        self._lines: list[str] | None = None
        self._offsets: array[int] | None = None

    @classmethod
    def from_text(cls, text: str, *, bom: bool = False) -> SourceText:
        """The source of a text; a leading BOM is taken off and remembered, unless ``bom`` says one was
        already taken off (then a second U+FEFF is text of the file, kept so that it is written back)."""
        if text.startswith(BOM) and not bom:
            text = text[1:]
            bom = True
        crlf = text.count("\r\n")
        cr = text.count("\r") - crlf
        lf = text.count("\n") - crlf
        counts = {"\n": lf, "\r\n": crlf, "\r": cr}
        newline = max(counts, key=lambda k: (counts[k], k == "\n"))
        final_newline = text.endswith(("\n", "\r"))
        return cls(text, newline, bom, final_newline)

    def __getstate__(self) -> tuple[str, str, bool, bool]:
        return (self.text, self.newline, self.bom, self.final_newline)

    def __setstate__(self, state: tuple[str, str, bool, bool]) -> None:
        self.text, self.newline, self.bom, self.final_newline = state
        self._lines = None
        self._offsets = None

    def _split(self) -> None:
        starts = self._offsets if self._offsets is not None else self._line_starts()
        text = self.text
        ends = [*starts[1:], len(text)]
        # each piece ends with its one terminator (a lone CR or LF is a terminator itself); a short
        # line met again (`- **Status:** Open`, `---`) is one string object: 50,000 heading items are
        # 250,000 lines, half of them a few spellings repeated
        shared: dict[str, str] = {}
        lines = []
        for a, b in zip(starts, ends, strict=True):
            line = text[a:b].rstrip("\r\n")
            if len(line) <= _SHARED_LINE:
                line = shared.setdefault(line, line)
            lines.append(line)
        self._lines = lines
        self._offsets = starts

    def _line_starts(self) -> array[int]:
        """Where each line starts, as markdown-it counts lines (CRLF, CR or LF ends one); an array of
        machine integers (a list of offsets past 256 held a 28-byte int object per line)."""
        starts = array("q", [0])
        starts.extend(m.end() for m in _NEWLINE_RE.finditer(self.text))
        if len(starts) > 1 and starts[-1] == len(self.text):
            starts.pop()  # a final newline ends the last line; no empty line after it
        return starts

    def line(self, n: int) -> str:
        """Line ``n`` (1-based, "" past either end) without its terminator.

        Unlike ``lines[n - 1]`` it does not split the whole text: the cross-file rules look at
        a few lines of every document, and a thousand documents' lines are megabytes.
        """
        if self._lines is not None:
            return self._lines[n - 1] if 0 < n <= len(self._lines) else ""
        if self._offsets is None:
            self._offsets = self._line_starts()
        if not 0 < n <= len(self._offsets):
            return ""
        start = self._offsets[n - 1]
        m = _NEWLINE_RE.search(self.text, start)
        return self.text[start : m.start() if m else len(self.text)]

    @property
    def lines(self) -> list[str]:
        """Lines without their terminators."""
        if self._lines is None:
            self._split()
        return self._lines  # type: ignore[return-value]

    @property
    def line_offsets(self) -> Sequence[int]:
        """Offset in ``text`` where each line starts."""
        if self._offsets is None:
            self._split()
        return self._offsets  # type: ignore[return-value]

    @property
    def normalized(self) -> str:
        """The text with every newline as LF: what the Markdown parser sees."""
        if self.newline == "\n" and "\r" not in self.text:
            return self.text
        return _NEWLINE_RE.sub("\n", self.text)

    def offset(self, line: int, col: int) -> int:
        """Offset into ``text`` of a 1-based line and column (clamped to the line)."""
        if line > len(self.lines):
            return len(self.text)
        line = max(line, 1)
        start = self.line_offsets[line - 1]
        return start + min(max(col - 1, 0), len(self.lines[line - 1]))

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, col) of an offset into ``text``."""
        from bisect import bisect_right

        idx = max(bisect_right(self.line_offsets, offset) - 1, 0)
        return idx + 1, offset - self.line_offsets[idx] + 1

    def slice(self, span: Span) -> str:
        return self.text[self.offset(span.line, span.col) : self.offset(span.end_line, span.end_col)]


def decode(data: bytes) -> tuple[str, bool, str]:
    """Decode file bytes to text. Returns (text without BOM, had_bom, encoding).

    Raises DecodeError naming the first bad byte's line and column.
    """
    bom = data.startswith(codecs.BOM_UTF8)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DecodeError(
            "file is UTF-16 (it starts with a UTF-16 byte order mark); backlog-lint reads UTF-8: "
            "convert it with `iconv -f UTF-16 -t UTF-8`"
        )
    body = data[3:] if bom else data
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = body[: exc.start].decode("utf-8", errors="replace")
        lines = _NEWLINE_RE.split(good)
        line = len(lines)
        col = len(lines[-1]) + 1
        raise DecodeError(
            f"invalid UTF-8: byte 0x{body[exc.start]:02x} cannot start or continue a character "
            "(the file is probably in a legacy encoding such as cp1252 or latin-1; re-save it as UTF-8)",
            line,
            col,
        ) from None
    nul = text.find("\x00")
    if nul != -1:
        st = SourceText.from_text(text)
        line, col = st.position(nul)
        raise DecodeError("NUL byte in file: this looks like a binary file, not Markdown", line, col)
    return text, bom, "utf-8-sig" if bom else "utf-8"


def read_regular(path: Path) -> bytes:
    """Read a regular file; a directory, pipe, socket or device is an OSError (reading a pipe would hang)."""
    import os
    import stat

    st = os.stat(path)
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(21, "is a directory, not a Markdown file")
    if not stat.S_ISREG(st.st_mode):
        raise OSError(22, "not a regular file (a pipe, socket or device): not read")
    return path.read_bytes()
