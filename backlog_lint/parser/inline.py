"""Inline helpers: plain text, code spans, links, IDs and GitHub heading slugs."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it.token import Token



@dataclass(slots=True)
class InlineLink:
    href: str
    text: str
    kind: str  # inline | image | autolink


def plain(children: list[Token] | None) -> str:
    """Readable text of an inline token's children: markup dropped, code kept."""
    if not children:
        return ""
    out: list[str] = []
    for c in children:
        t = c.type
        if t == "text" or t == "code_inline":
            out.append(c.content)
        elif t in ("softbreak", "hardbreak"):
            out.append(" ")
        elif t == "image":
            out.append(plain(c.children) or c.content)
        elif t == "html_inline" and "task-list-item-checkbox" in c.content:
            continue
    return "".join(out).strip()


def code_spans(children: list[Token] | None) -> list[str]:
    return [c.content for c in children or () if c.type == "code_inline"]


def struck(children: list[Token] | None) -> tuple[bool, str]:
    """Whether the inline starts with a strikethrough run; returns (struck, text after it)."""
    if not children:
        return False, ""
    kids = [c for c in children if not (c.type == "text" and not c.content.strip())]
    if not kids or kids[0].type != "s_open":
        return False, ""
    depth = 0
    for idx, c in enumerate(kids):
        if c.type == "s_open":
            depth += 1
        elif c.type == "s_close":
            depth -= 1
            if depth == 0:
                return True, plain(kids[idx + 1 :])
    return False, ""


def links(children: list[Token] | None) -> list[InlineLink]:
    out: list[InlineLink] = []
    if not children:
        return out
    i = 0
    while i < len(children):
        c = children[i]
        if c.type == "link_open":
            href = str(c.attrGet("href") or "")
            j = i + 1
            depth = 1
            while j < len(children) and depth:
                if children[j].type == "link_open":
                    depth += 1
                elif children[j].type == "link_close":
                    depth -= 1
                j += 1
            kind = "autolink" if c.markup == "autolink" else "inline"
            out.append(InlineLink(href, plain(children[i + 1 : j - 1]), kind))
            i = j
            continue
        if c.type == "image":
            out.append(InlineLink(str(c.attrGet("src") or ""), c.content, "image"))
        i += 1
    return out


_SLUG_DROP = re.compile(r"[^\w\- ]", re.UNICODE)


def github_slug(text: str) -> str:
    """GitHub's heading anchor: lower case, punctuation and emoji dropped, spaces to '-'."""
    t = text.strip().lower()
    if not t.isascii():  # ASCII symbols are dropped with the other punctuation below
        t = "".join(ch for ch in t if unicodedata.category(ch)[0] != "S")
    t = _SLUG_DROP.sub("", t)
    return t.replace(" ", "-")


def find_col(line: str, needle: str, start: int = 0) -> int:
    """0-based column of ``needle`` in ``line`` at or after ``start``; -1 if absent."""
    if not needle:
        return -1
    return line.find(needle, start)
