"""Where a suppression comment goes, so that it hides one finding and changes nothing else.

A comment line cannot go just anywhere in Markdown: inside a table it would end the table, in a
paragraph it would split it, in front matter it is not Markdown at all. So:

- a line that starts a block (after a blank line, a heading, or a list item) gets
  ``<!-- backlog-lint-disable-next-line CODE -->`` above it, indented to stay inside its list;
- any other line (a table row, a paragraph's continuation) gets a ``disable`` / ``enable`` pair
  around its block (the lines between blank lines);
- a line of front matter or of a code block gets none (only the whole file can be suppressed);
- the file-wide comment goes on the first line, or right after the front matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from backlog_lint.diagnostics import Edit
from backlog_lint.model import Document
from backlog_lint.source import Span

_LIST_ITEM_RE = re.compile(r"^(?P<indent>[ \t]*)(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
_HEADING_RE = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
_BREAK_RE = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_FENCE_RE = re.compile(r"^[ \t]*(?:```|~~~)")


@dataclass(frozen=True, slots=True)
class Suppression:
    """The edits that suppress one finding, and what they cover (for the action's title)."""

    edits: tuple[Edit, ...]
    scope: str  # "line" | "block" | "file"


VERIFY_LIMIT = 300_000  # characters: a longer document is not parsed again to check the placement


def for_line(doc: Document, line: int, code: str) -> Suppression | None:
    """Suppress ``code`` on one line, or on the block around it; None where no comment can go.

    The text with the comment is parsed again (below ``VERIFY_LIMIT``): the comment must hide
    the line and leave every item, field, task, table and code block as it was."""
    found = _place(doc, line, code)
    if found is None or len(doc.source.text) > VERIFY_LIMIT or _keeps_the_backlog(doc, found, line, code):
        return found
    return None


def _keeps_the_backlog(doc: Document, found: Suppression, line: int, code: str) -> bool:
    from backlog_lint.diagnostics import Diagnostic
    from backlog_lint.fix.edits import apply_edits
    from backlog_lint.format.equivalence import check_equivalent
    from backlog_lint.parser import parse_source
    from backlog_lint.source import SourceText
    from backlog_lint.suppress import parse as parse_suppressions

    text, _ = apply_edits(doc.source, [(code, e) for e in found.edits])
    after = parse_source(SourceText.from_text(text, bom=doc.source.bom), doc.path)
    moved = line + sum(1 for e in found.edits if e.span.line <= line and e.content.endswith(("\n", "\r")))
    probe = Diagnostic(doc.path, Span(moved, 1, moved, 2), code, "", "")
    if parse_suppressions(after).filter([probe]):
        return False
    return not [c for c in check_equivalent(doc, after) if "HTML comments" not in c]


def _place(doc: Document, line: int, code: str) -> Suppression | None:
    lines = doc.source.lines
    if not 1 <= line <= len(lines) or _in_front_matter(doc, line) or _opens_front_matter(lines, line):
        return None
    text = lines[line - 1]
    in_code = line in doc.code_lines
    if in_code and not _FENCE_RE.match(text):
        return None
    nl = doc.source.newline
    before = _previous_nonblank(lines, line)
    if _starts_block(doc, line, before) or (not _in_table(doc, line) and _LIST_ITEM_RE.match(text)):
        indent = _indent_for(lines, line, before)
        if indent is not None:
            comment = f"{indent}<!-- backlog-lint-disable-next-line {code} -->{nl}"
            return Suppression((Edit(Span.point(line), comment),), "line")
    first, last = _block(lines, line)
    if _opens_front_matter(lines, first):
        return None
    if any(n in doc.code_lines and not _FENCE_RE.match(lines[n - 1]) for n in (first, last)):
        return None
    indent = re.match(r"[ \t]*", lines[first - 1]).group(0)  # type: ignore[union-attr]
    opening = Edit(Span.point(first), f"{indent}<!-- backlog-lint-disable {code} -->{nl}")
    end = Span.point(last, len(lines[last - 1]) + 1)
    closing = Edit(end, f"{nl}{indent}<!-- backlog-lint-enable {code} -->")
    return Suppression((opening, closing), "block")


def for_file(doc: Document, code: str) -> Suppression:
    """Suppress ``code`` in the whole file: a comment on the first line (after any front matter)."""
    nl = doc.source.newline
    comment = f"<!-- backlog-lint-disable-file {code} -->"
    fm = doc.front_matter_span
    if fm is not None:
        end = Span.point(fm.end_line, len(doc.source.line(fm.end_line)) + 1)
        return Suppression((Edit(end, f"{nl}{comment}"),), "file")
    lines = doc.source.lines
    if _opens_front_matter(lines, 1):  # front matter that is not closed: at the end, it stays what it is
        last = len(lines)
        gap = nl if lines[-1].strip() else ""
        end = Span.point(last, len(lines[-1]) + 1)
        return Suppression((Edit(end, f"{nl}{gap}{comment}{nl if doc.source.final_newline else ''}"),), "file")
    return Suppression((Edit(Span.point(1), f"{comment}{nl}"),), "file")


def _opens_front_matter(lines: list[str], line: int) -> bool:
    """Line 1 reads `---`: front matter (closed or not), which a line above would turn into Markdown."""
    return line == 1 and bool(lines) and lines[0].rstrip() == "---"


def _in_front_matter(doc: Document, line: int) -> bool:
    fm = doc.front_matter_span
    return fm is not None and fm.line <= line <= fm.end_line


def _in_table(doc: Document, line: int) -> bool:
    return any(t.span.line <= line <= t.span.end_line for t in doc.tables)


def _previous_nonblank(lines: list[str], line: int) -> int:
    n = line - 1
    while n >= 1 and not lines[n - 1].strip():
        n -= 1
    return n


def _starts_block(doc: Document, line: int, before: int) -> bool:
    """Whether a comment line right above ``line`` leaves every block as it was."""
    lines = doc.source.lines
    if any(t.span.line < line <= t.span.end_line for t in doc.tables):
        return False  # a row (or the delimiter row) of a table
    if line == 1 or not lines[line - 2].strip():
        return True
    if doc.front_matter_span is not None and doc.front_matter_span.end_line == line - 1:
        return True
    prev = lines[line - 2]
    return bool(_HEADING_RE.match(prev) or _BREAK_RE.match(prev) or _HEADING_RE.match(lines[line - 1]))


def _indent_for(lines: list[str], line: int, before: int) -> str | None:
    """Indentation that keeps the comment inside the list the line belongs to (None: none does)."""
    text = lines[line - 1]
    own_indent = text[: len(text) - len(text.lstrip(" \t"))]
    own = _LIST_ITEM_RE.match(text)
    if own is None or before < 1:
        return own_indent
    prev = lines[before - 1]
    prev_item = _LIST_ITEM_RE.match(prev)
    if prev_item is None and not prev[:1].isspace():
        return own_indent  # the list starts here
    # indented to this item's content, the comment belongs to the item above (or to its parent),
    # so the list goes on after it instead of ending and starting again
    content = len(own.group(0).expandtabs(4))
    prev_content = len(prev_item.group(0).expandtabs(4)) if prev_item else len(prev) - len(prev.lstrip())
    if content - min(prev_content, content) >= 4 or content >= len(text.expandtabs(4)):
        return None  # it would read as an indented code block, or the item is empty
    return " " * content


def _block(lines: list[str], line: int) -> tuple[int, int]:
    """The run of non-blank lines around ``line``."""
    first = last = line
    while first > 1 and lines[first - 2].strip():
        first -= 1
    while last < len(lines) and lines[last].strip():
        last += 1
    return first, last
