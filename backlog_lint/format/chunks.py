"""Where a document can be cut so that formatting the pieces one by one gives the same text (issue 19).

mdformat holds about 300 bytes per byte of input and the formatter checks its output by parsing it
again, so a big file is formatted in chunks, each a run of whole top-level blocks. A cut is made
only where nothing of CommonMark carries across it:

* before an ATX heading (``# ...``) that starts in column 0 right after a blank line. Such a line
  closes every list, block quote, table, paragraph, indented code block and HTML block of types 6
  and 7 (no lazy continuation, no indentation), and mdformat renders a block the same whatever
  follows it, and a heading the same whatever precedes it;
* never inside front matter, a fenced code block or an HTML block of types 1 to 5 (``<!--``,
  ``<script``, ``<pre``, ``<style``, ``<textarea``, ``<?``, ``<!X``, ``<![CDATA[``), which blank
  lines and headings do not end; the scan errs the safe way (a fence or HTML start in a list counts
  as if it were at the top level: a cut is missed, never made inside a block);
* not at all in a document with ``]:`` anywhere: link reference definitions are document-wide (a
  link in one chunk may use a definition in another, and mdformat writes the used ones at the end
  of the document), nor in one with Backlog.md's marker blocks (kept byte for byte as one region,
  headings inside included), nor in one with mixed newline styles (each chunk would guess its own).

``split`` groups the pieces into chunks of at least ``min_bytes`` (the last one may be smaller), so a
small document stays one chunk and is formatted exactly as before.
"""

from __future__ import annotations

import re

__all__ = ["CHUNK_BYTES", "split"]

# Chunks of about this size: big enough that a chunk's fixed cost (about 2 ms) does not matter, small
# enough that a change costs the parses of its own chunk only and mdformat's ~300 bytes per byte stay small.
CHUNK_BYTES = 32_000

_FENCE_RE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")
_HTML_START_RE = re.compile(r" {0,3}<(?:(script|pre|style|textarea)(?:[\s>]|$)|(!--)|(\?)|(![A-Za-z])|(!\[CDATA\[))",
                            re.IGNORECASE)
_HTML_ENDS = {1: ("</script>", "</pre>", "</style>", "</textarea>"), 2: ("-->",), 3: ("?>",), 4: (">",), 5: ("]]>",)}
_HEADING_RE = re.compile(r"#{1,6}(?:[ \t]|$)")


def cut_points(text: str) -> list[int]:
    """Offsets in ``text`` where a chunk may start (see the module docstring); [] when none may."""
    if "]:" in text or ":BEGIN -->" in text:  # Backlog.md's marker blocks are kept whole (backlog_md.py)
        return []
    crlf = text.count("\r\n")
    if (crlf and text.count("\n") != crlf) or (crlf and text.count("\r") != crlf) or (
            not crlf and "\r" in text and "\n" in text):
        return []
    nl = "\r\n" if crlf else "\r" if "\r" in text else "\n"
    lines = text.split(nl)
    cuts: list[int] = []
    offset = 0
    fence = ""  # the open fence's characters (its length counts), else ""
    html_end: tuple[str, ...] = ()  # the open HTML block's possible ends, else ()
    blank_before = False
    front = bool(lines) and lines[0].rstrip() == "---"
    for n, line in enumerate(lines):
        start = offset
        offset += len(line) + len(nl)
        if front:
            if n and line.rstrip() in ("---", "..."):
                front = False
                blank_before = False
            continue
        if fence:
            m = _FENCE_RE.match(line)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not m.group(2).strip():
                fence = ""
            blank_before = False
            continue
        if html_end:
            if any(end in line.lower() for end in html_end):
                html_end = ()
            blank_before = False
            continue
        if blank_before and _HEADING_RE.match(line):
            cuts.append(start)
        m = _FENCE_RE.match(line)
        if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
            fence = m.group(1)
        else:
            h = _HTML_START_RE.match(line)
            if h is not None:
                kind = next(i for i in range(1, 6) if h.group(i) is not None)
                ends = _HTML_ENDS[kind]
                rest = line[h.end():].lower() if kind != 1 else line.lower()
                if not any(end in rest for end in ends):
                    html_end = ends
        blank_before = not line.strip()
    if front:
        return []  # front matter never closed: leave the whole text to the formatter's own check
    return cuts


def split(text: str, min_bytes: int = CHUNK_BYTES) -> list[str]:
    """``text`` as consecutive chunks of at least ``min_bytes`` characters, cut only at ``cut_points``."""
    if len(text) < 2 * min_bytes:
        return [text]
    chunks: list[str] = []
    start = 0
    for cut in cut_points(text):
        if cut - start >= min_bytes and len(text) - cut >= min_bytes:
            chunks.append(text[start:cut])
            start = cut
    chunks.append(text[start:])
    return chunks
