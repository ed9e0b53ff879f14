"""Titles: the comparison form of a title (one definition, used by every title rule) and repairs."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

from backlog_lint.text import DASH_TRANS
from backlog_lint.vocab import PRIORITY_EMOJI

if TYPE_CHECKING:
    pass



_TITLE_SPACE_RE = re.compile(r"\s+")


_TITLE_MARKUP_RE = re.compile(r"[`*_~]+")
# "[[Note title]]" / "[[note|Shown title]]": a wiki link names its note, the same card as its plain title
_WIKILINK_RE = re.compile(r"\[\[(?:[^\]|]*\|)?([^\]|]+)\]\]")


@lru_cache(maxsize=1)
def _repair() -> object | None:
    try:
        from backlog_lint.mojibake import repair_line
    except ImportError:  # pragma: no cover - optional module
        return None
    return repair_line


@lru_cache(maxsize=1 << 17)  # the same titles again and again: every check of a long-lived server
def title_key(title: str) -> str:
    """Comparison form of a title: mojibake repaired, case, dashes, markup, wiki-link brackets and spacing
    folded."""
    if "[[" in title:
        title = _WIKILINK_RE.sub(r"\1", title)
    if title.isascii():
        # ASCII: nothing to repair, NFKC and the dash table change nothing, casefold() is lower()
        t = title.lower()
        if "`" in t or "*" in t or "_" in t or "~" in t:
            t = _TITLE_MARKUP_RE.sub("", t)
        return " ".join(t.split()).strip(" .:;-")
    repair = _repair()
    if repair is not None:
        title = repair(title)  # type: ignore[operator]
    t = unicodedata.normalize("NFKC", title).translate(DASH_TRANS).casefold()
    t = _TITLE_MARKUP_RE.sub("", t)
    t = _TITLE_SPACE_RE.sub(" ", t).strip(" .:;-")
    return t


# colour markers of a priority level; ⚠️ flags risk, not a level
LEVEL_MARKS = tuple(e for e, colour in PRIORITY_EMOJI.items() if colour != "warning")


def level_marker(text: str) -> str | None:
    """The colour marker (🔴, 🟡, ...) in a priority value, mojibake repaired."""
    fixed = repaired(text)
    for e in LEVEL_MARKS:
        if e in fixed:
            return e
    return None


def repaired(text: str) -> str:
    repair = _repair()
    if repair is not None and not text.isascii():
        return repair(text)  # type: ignore[operator]
    return text
