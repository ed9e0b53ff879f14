"""BL125 shallow-sub-item."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._markup import tokens, with_containers
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

if TYPE_CHECKING:
    from backlog_lint.rules._markup import Mark

_MARKER_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+]|\d{1,9}[.)])(?P<space>[ \t]+|$)")
_LIST_TOKENS = frozenset({"bullet_list_open", "bullet_list_close", "ordered_list_open", "ordered_list_close"})


@rule("BL125", "shallow-sub-item", severity=Severity.WARNING, per_file=True)
def shallow_sub_item(ctx: Context) -> Iterator[Diagnostic]:
    """List entry indented under the one above it, but not far enough to nest in it.

    ## What it does
    Finds a list entry whose marker is indented more than the entry above it
    but less than the column where that entry's text starts (`* item` followed
    by ` - sub-item`, or `-  item` with two spaces followed by `  - sub-item`),
    when it was meant as a sub-entry: it has another marker than the entry
    above it, or the file nests its other sub-entries at that indent.

    ## Why is this bad?
    Markdown nests an entry only when it reaches the text of its parent: this
    one renders as a sibling of the entry above it, or starts a new list when
    its marker differs, instead of the sub-entry the indentation shows.

    ## Example
    ```markdown
    * Support Arch Linux guests
     - add an install hook
     - add the package list
    ```

    ## Use instead
    ```markdown
    * Support Arch Linux guests
      - add an install hook
      - add the package list
    ```

    ## Fix
    Not fixable: indent the sub-entries to the column of the parent's text.
    """
    for doc in ctx.documents():
        lines = doc.source.lines
        toks = tokens(ctx, doc)
        nested_at = _nested_indents(toks, lines)
        # per nesting level: (marker indent, text column, line, shallow?) of the last entry seen at that level
        last: dict[int, tuple[int, int, int, bool, str]] = {}
        for tok in toks:
            if tok.level == 0 and tok.type not in _LIST_TOKENS:
                last.clear()  # another block between two lists: they are not parent and child
            if tok.type != "list_item_open" or tok.map is None:
                continue
            n = tok.map[0] + 1
            m = _MARKER_RE.match(lines[n - 1].expandtabs(4))
            if m is None:
                continue
            indent = len(m.group("indent"))
            space = len(m.group("space"))
            text_col = indent + len(m.group("marker")) + (space if 1 <= space <= 4 else 1)
            above = last.get(tok.level)
            for level in [k for k in last if k > tok.level]:
                del last[level]
            shallow = above is not None and above[0] < indent < above[1]
            last[tok.level] = (indent, text_col, n, shallow, m.group("marker"))
            if above is None or not shallow or above[3]:
                continue  # nested, a sibling, or the next of a run of shallow entries (reported at its first)
            if _kind(m.group("marker")) == _kind(above[4]) and indent not in nested_at:
                continue  # " - b" under "- a": a sibling written one space off, which is what renders
            yield ctx.report(doc, Span(n, indent + 1, n, indent + 1 + len(m.group("marker"))),
                             f"this entry is indented {indent} space(s): more than the entry on line {above[2]}, "
                             f"but fewer than the {above[1]} before that entry's text, so it is not nested under "
                             f"it and renders as a sibling or a new list; indent it {above[1]} spaces")


def _kind(marker: str) -> str:
    """The marker character ('-', '*', '+'), or '1.' / '1)' for any number."""
    return marker if marker in "-*+" else "1" + marker[-1]


def _nested_indents(toks: list[Mark], lines: list[str]) -> set[int]:
    """Marker indents of the entries the file does nest under another entry."""
    out: set[int] = set()
    for _, tok, containers in with_containers(toks):
        if tok.type == "list_item_open" and tok.map is not None and any(
                c.type == "list_item_open" for c in containers):
            m = _MARKER_RE.match(lines[tok.map[0]].expandtabs(4))
            if m is not None:
                out.add(len(m.group("indent")))
    return out
