"""Make two quadratic spots of mdformat (0.7) and its GFM plugin linear, and one slow one cheap,
with the same output.

- ``mdformat.renderer._context.list_item`` asks ``is_tight_list_item(node)`` for every item, which
  walks all the items of the parent list: a list of n items costs n² (200,000 checklist entries
  under one item took hours). The answer depends only on the parent list, so it is remembered per
  list for the duration of one ``mdformat.text`` call.
- ``mdit_py_plugins.tasklists`` finds the list that holds each task by walking back through the
  token stream (``parent_token``): n tasks cost n². The same answer comes from one forward pass
  (the nearest earlier token one level up), computed once per token stream.
- ``mdformat.renderer._context.text`` escapes character references in every text node with
  ``re_char_reference().sub(...)`` and a replacement template: the pattern names every HTML
  entity, and each call hashes its compiled code again to look up the template (about a fifth
  of rendering a table). A text without ``&`` holds no character reference, so it is returned as it is, and the
  others are escaped with a function that writes the same backslash.

``install()`` is idempotent and leaves mdformat as it is if its internals are not the expected
ones (the formatter is then slower on huge lists, never different). ``tests/test_scale.py``
checks that the patches are active, ``tests/test_formatter.py`` and ``tests/test_mdformat_patches.py``
that the output is unchanged.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any, cast

_tight: dict[int, tuple[object, bool]] = {}  # id(list node) -> (node, is tight), one mdformat call
_installed: set[str] = set()


def installed() -> frozenset[str]:
    """Which patches are active: ``"tight-list"``, ``"tasklists"``, ``"char-references"``."""
    return frozenset(_installed)


@contextlib.contextmanager
def one_call() -> Iterator[None]:
    """Scope of the remembered answers: one ``mdformat.text`` call (nodes do not outlive it)."""
    _tight.clear()
    try:
        yield
    finally:
        _tight.clear()


def install() -> None:
    if "tight-list" not in _installed:
        _install_tight_list()
    if "tasklists" not in _installed:
        _install_tasklists()
    if "char-references" not in _installed:
        _install_char_references()


def _install_tight_list() -> None:
    try:
        from mdformat.renderer import _context, _util
    except ImportError:
        return
    original = getattr(_util, "is_tight_list", None)
    if original is None or getattr(_context, "is_tight_list_item", None) is not _util.is_tight_list_item:
        return

    def is_tight_list_item(node: Any) -> bool:
        parent = node.parent
        hit = _tight.get(id(parent))
        if hit is not None and hit[0] is parent:
            return hit[1]
        tight = bool(original(parent))
        _tight[id(parent)] = (parent, tight)
        return tight

    _context.is_tight_list_item = is_tight_list_item
    _installed.add("tight-list")


_ESCAPE_MATCH = r"\\\g<0>"  # what mdformat writes in front of a character reference: a backslash


class _CharReferences:
    """mdformat's character-reference pattern, with a ``sub`` that skips texts without ``&``."""

    def __init__(self, pattern: Any) -> None:
        self.pattern = pattern

    def sub(self, repl: Any, text: str, count: int = 0) -> str:
        if "&" not in text:
            return text  # every character reference starts with '&'
        if repl == _ESCAPE_MATCH and not count:
            return str(self.pattern.sub(_escape, text))
        return str(self.pattern.sub(repl, text, count))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.pattern, name)


def _escape(m: Any) -> str:
    return "\\" + str(m.group(0))


def _install_char_references() -> None:
    try:
        from mdformat.renderer import _context, _util
    except ImportError:
        return
    original: Any = getattr(_util, "re_char_reference", None)
    if not callable(original) or getattr(_context, "re_char_reference", None) is not original:
        return
    make = cast("Callable[[], Any]", original)
    wrapped: list[_CharReferences] = []

    def re_char_reference() -> _CharReferences:
        if not wrapped:
            wrapped.append(_CharReferences(make()))
        return wrapped[0]

    setattr(_context, "re_char_reference", re_char_reference)  # noqa: B010 (mdformat types it as its own cache)
    _installed.add("char-references")


def _install_tasklists() -> None:
    try:
        import mdformat_gfm._mdformat_plugin as gfm
    except ImportError:
        return
    original: Callable[..., None] = gfm.tasklists_plugin

    def tasklists_plugin(md: Any, *args: Any, **kwargs: Any) -> None:
        original(md, *args, **kwargs)
        with contextlib.suppress(Exception):
            _linear_parent_token(md)

    gfm.tasklists_plugin = tasklists_plugin
    _installed.add("tasklists")


def _linear_parent_token(md: Any) -> None:
    """Swap the ``parent_token`` helper the plugin's core rule closes over for a linear one."""
    rule = next(r for r in md.core.ruler.__rules__ if r.name == "github-tasklists")
    fn = rule.fn
    cell = fn.__closure__[fn.__code__.co_freevars.index("parent_token")]
    parents: dict[int, tuple[object, int, list[int]]] = {}  # one entry: the token stream being processed

    def parent_token(tokens: list[Any], index: int) -> int:
        hit = parents.get(0)
        if hit is None or hit[0] is not tokens or hit[1] != len(tokens):
            hit = (tokens, len(tokens), _parents(tokens))
            parents[0] = hit
        return hit[2][index]

    cell.cell_contents = parent_token

    def tasklists(state: Any) -> None:
        try:
            fn(state)
        finally:
            parents.clear()  # do not keep the token stream alive

    md.core.ruler.at("github-tasklists", tasklists)


def _parents(tokens: list[Any]) -> list[int]:
    """For each token, the index of the nearest earlier token one level up (-1 if none)."""
    last: dict[int, int] = {}
    out: list[int] = []
    for i, tok in enumerate(tokens):
        out.append(last.get(tok.level - 1, -1))
        last[tok.level] = i
    return out
