"""A set of line numbers held as sorted runs (``LineSet``): the document's code, blank and paragraph lines.

A frozenset of ints costs ~30-60 bytes per line (hash slot plus an int object past 256); a backlog of
50,000 heading items has ~700,000 such lines. As runs of consecutive lines in two arrays of machine
integers it is 8 bytes per run, and membership is a binary search.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator


class LineSet:
    """Line numbers as sorted, disjoint, non-adjacent runs ``[start, end]``; read like a frozenset of ints
    (``in``, iteration in ascending order, ``len``, truth, equality with another LineSet or a set)."""

    __slots__ = ("_ends", "_len", "_starts")

    def __init__(self, runs: Iterable[tuple[int, int]] = ()) -> None:
        """``runs``: inclusive ``(first, last)`` ranges in any order, possibly overlapping or empty."""
        starts, ends = array("i"), array("i")
        total = 0
        for a, b in sorted(r for r in runs if r[0] <= r[1]):
            if ends and a <= ends[-1] + 1:
                if b > ends[-1]:
                    total += b - ends[-1]
                    ends[-1] = b
                continue
            starts.append(a)
            ends.append(b)
            total += b - a + 1
        self._starts, self._ends, self._len = starts, ends, total

    @classmethod
    def of(cls, numbers: Iterable[int]) -> LineSet:
        return cls((n, n) for n in numbers)

    def __contains__(self, n: object) -> bool:
        if type(n) is not int:
            return False
        i = bisect_right(self._starts, n) - 1
        return i >= 0 and n <= self._ends[i]

    def __iter__(self) -> Iterator[int]:
        for a, b in zip(self._starts, self._ends, strict=True):
            yield from range(a, b + 1)

    def __len__(self) -> int:
        return self._len

    def __bool__(self) -> bool:
        return self._len > 0

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LineSet):
            return self._starts == other._starts and self._ends == other._ends
        if isinstance(other, (set, frozenset)):
            return self._len == len(other) and all(n in other for n in self)
        return NotImplemented

    def __hash__(self) -> int:  # immutable once built (a default of the model's Document)
        return hash((self._starts.tobytes(), self._ends.tobytes()))

    def __repr__(self) -> str:
        return "LineSet([" + ", ".join(f"({a}, {b})" for a, b in zip(self._starts, self._ends, strict=True)) + "])"

    def __reduce__(self) -> tuple[object, ...]:
        return (_restore, (self._starts.tobytes(), self._ends.tobytes(), self._len))


def _restore(starts: bytes, ends: bytes, total: int) -> LineSet:
    s = LineSet()
    s._starts.frombytes(starts)
    s._ends.frombytes(ends)
    s._len = total
    return s


EMPTY = LineSet()
