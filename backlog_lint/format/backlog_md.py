"""Backlog.md's marker blocks, which its writer owns byte for byte.

Backlog.md (the `backlog` CLI) writes a task's sections between HTML comment markers:

    ## Acceptance Criteria
    <!-- AC:BEGIN -->
    - [ ] #1 Second run parses nothing
    <!-- AC:END -->

(also `<!-- SECTION:DESCRIPTION:BEGIN -->` ... `<!-- SECTION:DESCRIPTION:END -->`,
`<!-- DOD:BEGIN -->`, `SECTION:PLAN`, `SECTION:NOTES`, `SECTION:FINAL_SUMMARY`) and rewrites
them on every `backlog task edit`: no blank line inside the markers, and for some sections none
between the heading and the first marker. A formatter that adds those blank lines and a tool
that removes them again would make every edit fail the format hook, so the formatter leaves a
marker block, and a heading right above it, as written.
"""

from __future__ import annotations

import re

_BEGIN_RE = re.compile(r"^<!-- (?P<name>[A-Z][A-Z_]*(?::[A-Z][A-Z_]*)*):BEGIN -->[ \t]*$")


def marker_blocks(lines: list[str]) -> list[tuple[int, int]]:
    """0-based (first, end) line ranges, end exclusive, of the marker blocks (BEGIN to END)."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        m = _BEGIN_RE.match(lines[i])
        if m is None:
            i += 1
            continue
        end_marker = f"<!-- {m.group('name')}:END -->"
        for j in range(i + 1, len(lines)):
            if lines[j].rstrip(" \t") == end_marker:
                out.append((i, j + 1))
                i = j + 1
                break
        else:
            i += 1  # never closed: not a block Backlog.md wrote
    return out
