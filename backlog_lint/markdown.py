"""The one configured markdown-it-py instance."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

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


@lru_cache(maxsize=1)
def block_parser() -> MarkdownIt:
    """The same parser without the inline pass: inline tokens keep ``children=[]``.

    The backlog parser needs the inline structure (links, code spans, strikethrough) of only
    a few blocks; `inline_children` parses one inline token on demand. Skipping the pass
    halves the time markdown-it takes on a typical backlog.
    """
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough"])
    md.use(front_matter_plugin)
    md.disable(["inline", "text_join"])
    return md


class Inline:
    """What the backlog parser keeps of an inline token: its content, and its children once parsed.

    A markdown-it ``Token`` with its two dicts and map is ~350 bytes; a table of 100,000 rows has
    400,000 cells.
    """

    __slots__ = ("children", "content")

    def __init__(self, content: str) -> None:
        self.content = content
        self.children: list[Token] | None = None


# characters that can start inline markup in CommonMark + strikethrough (no linkify, no
# typographer): text without any of them is one plain text token
_MARKUP_CHARS = frozenset("\\`*_[]!<>&~\n")


def inline_children(tok: Token | Inline, env: dict, *, keep: bool = True) -> list[Token]:
    """The children of an inline token from `block_parser`, parsed on first use.

    Equal to what the full parser gives (inline rules, then text joining); text with no
    markup character is one text token without running the inline rules. With ``keep``
    false, children not parsed yet are returned without being kept on ``tok``: a reader that
    needs them once does not hold ~350 bytes per token for the rest of the parse (150,000
    links were 175 MB of tokens kept).
    """
    kids = tok.children
    content = tok.content
    if kids or not content:  # parsed already (non-empty content always gives a child)
        return kids or []
    if _MARKUP_CHARS.isdisjoint(content):
        from markdown_it.token import Token as _Token

        kids = [_Token("text", "", 0, content=content)]
    else:
        md = block_parser()
        kids = []
        md.inline.parse(content, md, env, kids)
        for child in kids:
            if child.children:  # an image's alt text
                child.children = _merge_text(child.children)
        kids = _merge_text(kids)
    if keep:
        tok.children = kids
    return kids


def _merge_text(tokens: list[Token]) -> list[Token]:
    """What markdown-it's `text_join` core rule does: escapes become text, adjacent text merges."""
    out: list[Token] = []
    parts: list[str] = []
    for t in tokens:
        if t.type == "text_special":
            t.type = "text"
        if t.type == "text" and out and out[-1].type == "text":
            if not parts:
                parts.append(out[-1].content)
            parts.append(t.content)
            continue
        if parts:
            out[-1].content = "".join(parts)
            parts = []
        out.append(t)
    if parts:
        out[-1].content = "".join(parts)
    return out


class Interned:
    """One object per value for the readers of one walk of the tokens (the parser's blocks, the markup
    rules' marks): one int per line number (a number above 256 is a 28-byte object of its own each
    time it is computed) and one string per short text met again (`**Status:** Open`)."""

    __slots__ = ("nums", "short", "texts")

    def __init__(self, short: int = 32) -> None:
        self.nums: list[int] = []
        self.texts: dict[str, str] = {}
        self.short = short  # characters: longer texts are seldom repeated

    def num(self, n: int) -> int:
        """The one int object for ``n``."""
        nums = self.nums
        if n >= len(nums):
            nums.extend(range(len(nums), n + 1024))
        return nums[n]

    def text(self, content: str) -> str:
        """The one string object for a short ``content``; a long one as it is."""
        return self.texts.setdefault(content, content) if len(content) <= self.short else content


def walk_blocks(text: str, env: dict, feed: Callable[[Token], None]) -> None:
    """Block-parse ``text`` (``block_parser``), handing each token to ``feed`` as markdown-it writes it
    (``TokenStream``): no list of every token is ever held. ``env`` gets the link reference definitions.
    Raises RecursionError as markdown-it does."""
    from markdown_it.rules_core import StateCore

    md = block_parser()
    sink = TokenStream(feed)
    state = StateCore(text, md, env)
    state.tokens = sink  # type: ignore[assignment]  # read by index only by the list rule (below)
    md.core.process(state)
    sink.finish()


class TokenStream:
    """markdown-it's token list, fed to a reader and dropped as it grows.

    Only the list rule reads tokens back (``markTightParagraphs`` sets ``hidden`` on the
    paragraphs of a tight list, which no reader looks at): an index already fed reads as a
    placeholder token of no type. ``LAG`` tokens stay unread after each push: markdown-it fills
    a token's content and map right after pushing it; the ends of a container's map (list,
    list item, block quote, table), set right after their closing token is pushed, are final
    when that closing token is fed.
    """

    LAG = 8
    BATCH = 512

    def __init__(self, feed: Callable[[Token], None]) -> None:
        from markdown_it.token import Token

        self._feed = feed
        self._buf: list[Token] = []
        self._base = 0  # stream index of _buf[0]
        self._dropped = Token("", "", 0)

    def append(self, tok: Token) -> None:
        buf = self._buf
        buf.append(tok)
        if len(buf) >= self.BATCH:
            n = len(buf) - self.LAG
            feed = self._feed
            for t in buf[:n]:
                feed(t)
            del buf[:n]
            self._base += n

    def finish(self) -> None:
        for t in self._buf:
            self._feed(t)
        self._base += len(self._buf)
        self._buf = []

    def __len__(self) -> int:
        return self._base + len(self._buf)

    def __bool__(self) -> bool:
        return True

    def __getitem__(self, i: int) -> Token:
        if i < 0:
            i += len(self)
        j = i - self._base
        if j >= len(self._buf):
            raise IndexError(i)
        return self._buf[j] if j >= 0 else self._dropped
