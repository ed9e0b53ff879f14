"""Opcodes of two sequences, linear where they agree.

``difflib.SequenceMatcher`` is quadratic on sequences with many equal elements (20,000 items
sharing 7 titles: 6 s to compare a backlog with its formatted self, which changed nothing). A
format leaves almost every item as it was, so the common head and tail are matched first and
only what lies between them goes to the matcher.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher
from typing import Any

Opcode = tuple[str, int, int, int, int]


def opcodes(a: Sequence[Any], b: Sequence[Any]) -> list[Opcode]:
    """``SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()`` with the common head and tail
    matched first (equal runs may come split in two; the differences are the matcher's)."""
    shorter = min(len(a), len(b))
    head = 0
    while head < shorter and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < shorter - head and a[len(a) - 1 - tail] == b[len(b) - 1 - tail]:
        tail += 1
    out: list[Opcode] = [("equal", 0, head, 0, head)] if head else []
    a_end, b_end = len(a) - tail, len(b) - tail
    if head < a_end or head < b_end:
        matcher = SequenceMatcher(a=list(a[head:a_end]), b=list(b[head:b_end]), autojunk=False)
        out.extend((tag, i1 + head, i2 + head, j1 + head, j2 + head) for tag, i1, i2, j1, j2 in matcher.get_opcodes())
    if tail:
        out.append(("equal", a_end, len(a), b_end, len(b)))
    return out
