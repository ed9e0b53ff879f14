"""format.sequences.opcodes: the matcher's opcodes with the common head and tail matched first."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from backlog_lint.format.sequences import opcodes

_SEQ = st.lists(st.sampled_from("abcd"), max_size=14)


@given(_SEQ, _SEQ)
def test_opcodes__cover_both_sequences_and_rebuild_the_second(a: list[str], b: list[str]) -> None:
    ops = opcodes(a, b)
    i = j = 0
    rebuilt: list[str] = []
    for tag, i1, i2, j1, j2 in ops:
        assert (i1, j1) == (i, j)
        if tag == "equal":
            assert a[i1:i2] == b[j1:j2]
        rebuilt += b[j1:j2]
        i, j = i2, j2
    assert (i, j) == (len(a), len(b))
    assert rebuilt == b


def test_opcodes__equal_sequences_of_few_values_are_one_equal_run() -> None:
    keys = [f"title {n % 7}" for n in range(20_000)]
    assert opcodes(keys, list(keys)) == [("equal", 0, 20_000, 0, 20_000)]


def test_opcodes__one_change_among_many_equal_keys() -> None:
    a = [n % 7 for n in range(20_000)]
    b = [*a[:10_000], 99, *a[10_001:]]
    assert [op for op in opcodes(a, b) if op[0] != "equal"] == [("replace", 10_000, 10_001, 10_000, 10_001)]
