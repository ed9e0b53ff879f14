"""What markdown-it-py makes of a document: its tokens, parsed once per document for the rules that
judge how the text renders (a line joined to the entry above it, a tag that hides itself)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, cast

from backlog_lint.markdown import inline_children
from backlog_lint.marks import Mark, marks_of

if TYPE_CHECKING:
    from markdown_it.token import Token

    from backlog_lint.model import Document, Link
    from backlog_lint.rules._rule import Context

_KEY = "markup-tokens:"


def share(ctx: Context, doc: Document, marks: list[Mark], env: dict) -> None:
    """Hand the rules the marks the parser made of ``doc`` (and its link definitions), so they do not
    parse it again."""
    ctx.cache[_KEY + doc.path] = (marks, env)


def tokens(ctx: Context, doc: Document) -> list[Mark]:
    """The block tokens of a document, shared by the rules of one run; `children` parses an inline one."""
    return _parsed(ctx, doc)[0]


def children(ctx: Context, doc: Document, tok: Mark) -> list[Token]:
    """The inline tokens of an `inline` block token, parsed on each use (most rules need none)."""
    return inline_children(tok, _parsed(ctx, doc)[1], keep=False)  # type: ignore[arg-type]


def _parsed(ctx: Context, doc: Document) -> tuple[list[Mark], dict]:
    # per-file rules get a Context of their own per document, so this holds one file's tokens at a time
    key = _KEY + doc.path
    cached = ctx.cache.get(key)
    if cached is None:
        env: dict = {}
        cached = (marks_of(doc.source.text, env), env)
        ctx.cache[key] = cached
    return cast("tuple[list[Mark], dict]", cached)


def with_containers(toks: list[Mark]) -> Iterator[tuple[int, Mark, tuple[Mark, ...]]]:
    """Each token with its index and the list items / block quotes it is inside, innermost last."""
    stack: list[Mark] = []
    for i, tok in enumerate(toks):
        if tok.type in ("list_item_close", "blockquote_close"):
            if stack:
                stack.pop()
            continue
        yield i, tok, tuple(stack)
        if tok.type in ("list_item_open", "blockquote_open"):
            stack.append(tok)


_BARE_WORD_RE = re.compile(r"^[\w-]+$")


def glued_wikilink(link: Link) -> bool:
    """`[[TASK-040]](research)`: a wiki link with a parenthesised note glued to it, which Markdown reads as
    an inline link named `[TASK-040]` to the relative URL `research` (a bare word: no path, no scheme)."""
    text = link.text
    return (link.kind == "inline" and len(text) > 2 and text.startswith("[") and text.endswith("]")
            and "[" not in text[1:-1] and bool(_BARE_WORD_RE.match(link.target.strip())))
