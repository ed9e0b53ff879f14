"""The one configured markdown-it-py instance."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """CommonMark + GFM tables + strikethrough + task lists + YAML front matter."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin
    from mdit_py_plugins.tasklists import tasklists_plugin

    md = MarkdownIt("commonmark", {"maxNesting": 200})
    md.enable(["table", "strikethrough"])
    md.use(front_matter_plugin)
    md.use(tasklists_plugin)
    return md
