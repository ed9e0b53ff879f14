"""Hostile generated backlogs (issue 19): one shape per function, ``n`` sets the size.

Standard library only; shared by ``benchmarks/scale.py`` (full sizes) and ``tests/test_scale.py``
(reduced sizes). Each shape returns the file's text; ``SHAPES`` gives the full size of each and the
minimum number of findings ``check`` must report on it (proof that the run did the work).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

_WORDS = ("cache", "parser", "render", "token", "export", "import", "schema", "retry", "queue", "index",
          "upload", "search", "filter", "report", "config", "deploy", "metric", "backup", "notify", "sync")


def _title(i: int) -> str:
    w = _WORDS
    return f"{w[i % 20].capitalize()} {w[(i // 20) % 20]} {w[(i // 400) % 20]} step {i}"


def checklist(n: int) -> str:
    """One item with ``n`` checklist entries under it (200,000: 3.9 MB)."""
    rows = [f"  - [{'x' if i % 3 == 0 else ' '}] step {i}\n" for i in range(n)]
    return "# Backlog\n\n- [ ] TODO-1: One big item\n" + "".join(rows)


def table(n: int) -> str:
    """One table of ``n`` rows (100,000: 6.0 MB)."""
    head = "# Backlog\n\n| ID | Title | Status | Priority |\n|---|---|---|---|\n"
    return head + "".join(f"| TODO-{i} | {_title(i)} | {'Done' if i % 4 == 0 else 'Open'} | P{i % 3} |\n"
                          for i in range(1, n + 1))


def headings(n: int) -> str:
    """``n`` heading items with fields (50,000: 6.7 MB)."""
    return "# Backlog\n\n" + "".join(
        f"### TODO-{i}: {_title(i)}\n\n- **Status:** {'Done' if i % 4 == 0 else 'Open'}\n- **Priority:** P{i % 3}\n"
        f"- **Owner:** @dev{i % 7}\n- **Depends on:** TODO-{max(1, i - 1)}\n\n" for i in range(1, n + 1))


def links(n: int) -> str:
    """``3n`` links and ``n`` reference definitions (50,000: 150,000 links)."""
    items = "".join(f"- [ ] TODO-{i}: see [spec](docs/spec-{i}.md), [the item](#todo-{i}) and [ref][r{i}]\n"
                    for i in range(1, n + 1))
    defs = "".join(f"[r{i}]: https://example.com/{i}\n" for i in range(1, n + 1))
    return "# Backlog\n\n" + items + "\n" + defs


def duplicates(n: int) -> str:
    """``n`` items sharing one ID and 7 titles, plus ``n`` items with similar titles (20,000: 1.7 MB)."""
    same = "".join(f"- [ ] TODO-1: Shared title {i % 7}\n" for i in range(n))
    similar = "".join(f"- [ ] TODO-{i + 2}: Improve the cache of the parser {i}\n" for i in range(n))
    return "# Backlog\n\n" + same + "\n" + similar


def long_lines(n: int) -> str:
    """Single lines of ``n`` bytes: ``[a](`` repeated, one link target, one heading, one checklist entry."""
    k = n // 4
    return ("# Backlog\n\n- [ ] TODO-1: opens " + "[a](" * k + "\n"
            + f"- [ ] TODO-2: [target]({'d/' * (n // 2)})\n"
            + "## " + "word " * (n // 5) + "\n"
            + "- [ ] TODO-3: " + "x" * n + "\n")


def nested(n: int) -> str:
    """A list, an ordered list and a block quote nested ``n`` deep (each on one line)."""
    return ("# Backlog\n\n- [ ] TODO-1: nest\n\n" + "- " * n + "[ ] TODO-2: deep task\n\n"
            + "1. " * n + "deep\n\n" + ">" * n + " deep\n")


@dataclass(frozen=True)
class Shape:
    name: str
    make: Callable[[int], str]
    full: int  # the size of the table
    what: str
    min_findings: int  # at the full size; scaled linearly for smaller ones


SHAPES: tuple[Shape, ...] = (
    Shape("checklist", checklist, 200_000, "checklist entries under one item", 0),
    Shape("table", table, 100_000, "table rows", 0),
    Shape("headings", headings, 50_000, "heading items with fields", 0),
    Shape("links", links, 50_000, "× (3 links + 1 reference definition)", 50_000),
    Shape("duplicates", duplicates, 20_000, "items sharing one ID and 7 titles + similar titles", 19_000),
    Shape("long-lines", long_lines, 1_000_000, "bytes per line", 1),
    Shape("nested", nested, 10_000, "levels of list and block quote nesting", 0),
)

BY_NAME = {s.name: s for s in SHAPES}
