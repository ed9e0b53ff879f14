"""The one configured markdown-it-py instance."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

# Deeper blocks than this are not parsed: it bounds recursion (hostile input cannot reach
# Python's recursion limit) and keeps pathological lines like 1 MB of "[" near-linear.
# Real backlogs nest lists a handful of levels.
MAX_NESTING = 50


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """CommonMark + GFM tables + strikethrough + YAML front matter.

    Task-list checkboxes are read from the source lines by the parser (parser/patterns.py),
    which also knows `[X]` and the non-standard `[✓]`; mdit-py-plugins' tasklists plugin is
    not used: it only adds HTML attributes we never read, and its parent lookup scans
    backwards for every item, which is quadratic on long checklists (measured: 10,000 items
    13 s with it, 0.3 s without).
    """
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough"])
    md.use(front_matter_plugin)
    return md
