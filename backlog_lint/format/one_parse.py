"""One parse per formatting pass (#17, #19): mdformat renders the block tokens a pass already has.

A pass (canonical.py) block-parses its text to decide what to set aside before mdformat. When nothing
is set aside, the text mdformat gets is the text parsed (after its front matter): our block parser is
mdformat's (CommonMark, GFM tables; the same rules in the same order) plus front matter, so without
the front matter token, line numbers made the body's, it gives the block tokens mdformat's parse would.
mdformat's core rules after the block parse (inline, GFM autolinks, task lists, text join) then run on
those tokens and its renderer renders them: the output is ``mdformat.text``'s, without a second parse
(tests/test_format_one_parse.py).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from backlog_lint.format.state import MDFORMAT_EXTENSIONS, MDFORMAT_OPTIONS

if TYPE_CHECKING:
    from markdown_it.token import Token

# The block tokens of the text a pass hands to mdformat, when they are what mdformat's own parse
# would give: [md, tokens, env, ids of the inline tokens mdformat's inline parser has parsed already],
# set just before ``_mdformat(md, ...)`` and cleared after it.
handoff: list[Any] = []

# mdformat's block parse stops at its maxNesting (20), ours at 50: the tokens are shared only well
# below it (deeper texts are refused at 20 anyway, _check_depth).
MAX_LEVEL = 16


def shareable(tokens: list[Token]) -> bool:
    """Whether mdformat can render these block tokens of ours: no deep nesting, front matter first if any."""
    return all(tok.level <= MAX_LEVEL and (tok.type != "front_matter" or i == 0) for i, tok in enumerate(tokens))


def offer(md: str, norm: str, lines: list[str], fm_end: int, tokens: list[Token], env: dict[str, Any],
          parsed: frozenset[int] = frozenset()) -> None:
    """Hand ``tokens`` (of ``norm``) over to mdformat's render of ``md`` if ``md`` is ``norm`` after its front matter.

    Front matter (the first ``fm_end`` lines) is cut off before mdformat: its token goes, and the line
    numbers of the others (and of the reference definitions) are made the body's. ``parsed``: ids of
    the inline tokens whose children ``parse_inline`` made (with ``env``), kept for the render.
    """
    handoff.clear()
    if fm_end:
        head = "\n".join(lines[:fm_end]) + "\n"
        if not (norm.startswith(head) and md == norm[len(head):]):
            return
    elif md != norm:
        return
    if not shareable(tokens):
        return
    if fm_end:
        tokens = tokens[1:] if tokens and tokens[0].type == "front_matter" else tokens
        for tok in tokens:
            if tok.map:
                tok.map = [tok.map[0] - fm_end, tok.map[1] - fm_end]
        refs = list(env.get("references", {}).values()) + list(env.get("duplicate_refs", []))
        for ref in refs:
            if isinstance(ref, dict) and isinstance(ref.get("map"), list):
                ref["map"] = [n - fm_end for n in ref["map"]]
    handoff[:] = [md, tokens, env, parsed]


def take(md: str) -> list[Any] | None:
    """The handed-over ``[tokens, env, parsed]`` of ``md`` (None if none); the hand-over is cleared."""
    ready = handoff[1:] if handoff and handoff[0] is md else None
    handoff.clear()
    return ready


def render(md: str, tokens: list[Token], env: dict[str, Any], parsed: frozenset[int] = frozenset()) -> str:
    """What ``mdformat.text(md)`` returns, from the block tokens of ``md`` (our block parser's, no front matter).

    ``parsed``: ids of inline tokens whose children are already mdformat's inline parse of their content
    with ``env`` (``parse_inline``): they are not parsed again.
    """
    from markdown_it.rules_core import StateCore

    from backlog_lint.format import plain_tables, plain_text

    mdit = _mdit()
    for tok in tokens:
        if tok.type == "inline" and id(tok) not in parsed:
            tok.children = []  # ours are partial (_parse_inline): mdformat's inline rules parse them
    if plain_tables.usable(mdit.options["parser_extension"]):
        # a table of plain cells is laid out from their text (plain_tables.py), its cells neither parsed
        # nor made tree nodes
        tokens = plain_tables.collapse(tokens)
        mdit.options["parser_extension"].append(plain_tables)
    if plain_text.usable(mdit.options["parser_extension"]):
        mdit.options["parser_extension"].append(plain_text)  # plain text without mdformat's escapes
    state = StateCore(md, mdit, env, tokens)
    for rule in mdit.core.ruler.__rules__:
        if not rule.enabled or rule.name in ("normalize", "block"):
            continue
        if rule.name == "inline":  # markdown-it's inline rule, on the inline tokens not parsed yet
            for tok in state.tokens:
                if tok.type == "inline" and id(tok) not in parsed:
                    mdit.inline.parse(tok.content, mdit, env, tok.children)
        else:
            rule.fn(state)
    from mdformat.renderer import RenderTreeNode

    tree = RenderTreeNode(state.tokens)  # what mdit.renderer.render does: the tree, then its rendering
    try:
        rendered: str = mdit.renderer.render_tree(tree, mdit.options, env)
    finally:
        _let_go(tree)
    return rendered


def _let_go(tree: Any) -> None:
    """Cut the tree's links to the parents, so that it is freed as soon as it is let go, not by the
    collector (collector.collect_young: collecting the ~160,000 nodes of a table of 12,500 rows took
    a fifth of a pass)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        node._parent = None
        stack.extend(node._children)


# At most this many '[' in a text parsed by ``parse_inline`` for a pass's readers: markdown-it's inline
# parser goes one level deeper per rule tried and per link or image opened, each at a '[' (at most
# 2 * 9 + 1 levels), so mdformat's maxNesting (20) and ours (50) never cut the parse.
MAX_BRACKETS = 9


def same_inline(content: str) -> bool:
    """Whether mdformat's inline parser and ours (``markdown.inline_children``) find the same links, images,
    autolinks, code spans and breaks in ``content``: no GFM autolink can start in it (no ``www.``, no
    ``://``, no ``@``: mdformat's gfm_autolink rule and its text rule that stops for it do nothing then)
    and it nests too little for either parser's nesting limit (``MAX_BRACKETS``). What differs then is
    only what no reader of a pass looks at: mdformat's reference links carry their label in ``meta``
    and its children are not joined yet (its core rules join them after the task list rule)."""
    return ("@" not in content and "://" not in content and "www." not in content
            and content.count("[") <= MAX_BRACKETS)


def parse_inline(tok: Token, env: dict[str, Any]) -> None:
    """``tok``'s children as mdformat's inline rule makes them (before its task list and text join rules)."""
    mdit = _inline_mdit()
    tok.children = []
    mdit.inline.parse(tok.content, mdit, env, tok.children)


@functools.lru_cache(maxsize=1)
def _inline_mdit() -> Any:
    """A parser set up as ``render``'s for inline parses (``render`` adds a parser extension to its own)."""
    return _mdit()


def _mdit() -> Any:
    """mdformat's parser and renderer as ``mdformat.text`` sets them up (wrap "keep": one render)."""
    from mdformat._util import build_mdit
    from mdformat.renderer import MDRenderer

    assert MDFORMAT_OPTIONS.get("wrap") == "keep"  # otherwise mdformat.text renders twice
    return build_mdit(MDRenderer, mdformat_opts={**MDFORMAT_OPTIONS, "filename": ""}, extensions=MDFORMAT_EXTENSIONS)
