"""The cyclic garbage collector off while a stage allocates a great many objects and no cycles worth
collecting: parsing (pipeline/parsing.py), the language server's rules (lsp/project.py), and `format`,
one file at a time, with its young generation collected after each formatting pass."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_off() -> Iterator[None]:
    """The collector off inside the block, as it was after it.

    A formatting pass allocates a great many objects (markdown-it's tokens, mdformat's tree, the models),
    and with the collector on, its collections scanned them again and again as they piled up: on a table
    of 12,500 rows they were more than half of `format`'s time. What a pass leaves as cyclic garbage is
    collected after it (``collect_young``), so the peak stays what it was.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def collect_young() -> None:
    """With the collector off, a pass's cyclic garbage collected now (canonical.py, after mdformat).

    With the collector off, every object made since it went off is young: one collection of the
    youngest generation frees what only cycles keep (mdformat's render tree when mdformat parsed the
    text itself: each node points at its parent) and moves what lives on out of the next one's way.
    Nothing to do with the collector on.
    """
    if not gc.isenabled():
        gc.collect(0)
