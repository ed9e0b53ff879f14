"""Codec tables: for each suspected codec, which characters a garbled UTF-8 run can be made of."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from backlog_lint.mojibake.model import ENCODINGS

# UTF-8 well-formed multi-byte sequences (RFC 3629, Unicode Table 3-7) as byte ranges.
_CONT = (0x80, 0xBF)
_UTF8_SEQUENCES: tuple[tuple[tuple[int, int], ...], ...] = (
    ((0xC2, 0xDF), _CONT),
    ((0xE0, 0xE0), (0xA0, 0xBF), _CONT),
    ((0xE1, 0xEC), _CONT, _CONT),
    ((0xED, 0xED), (0x80, 0x9F), _CONT),
    ((0xEE, 0xEF), _CONT, _CONT),
    ((0xF0, 0xF0), (0x90, 0xBF), _CONT, _CONT),
    ((0xF1, 0xF3), _CONT, _CONT, _CONT),
    ((0xF4, 0xF4), (0x80, 0x8F), _CONT, _CONT),
)


@dataclass(frozen=True, slots=True)
class _Codec:
    name: str
    rank: int  # tie-break order
    encode: dict[int, str]  # str.translate table: character -> the Latin-1 character of its byte
    decode: dict[int, int]  # str.translate table: the Latin-1 character of a byte -> character
    pattern: re.Pattern[str]  # maximal runs of complete UTF-8 multi-byte sequences


def _byte_table(codec: str) -> dict[int, str]:
    """Map each high byte 0x80..0xFF to the character `codec` decodes it to."""
    table: dict[int, str] = {}
    for byte in range(0x80, 0x100):
        try:
            table[byte] = bytes([byte]).decode(codec)
        except UnicodeDecodeError:
            # cp1252's five holes: Windows and browsers pass them through as C1 controls.
            table[byte] = chr(byte)
    assert len(set(table.values())) == len(table), codec
    assert all(bytes([b]).decode(codec) == chr(b) for b in range(0x80)), codec
    return table


def _char_class(table: dict[int, str], lo: int, hi: int) -> str:
    return "[" + "".join(re.escape(table[b]) for b in range(lo, hi + 1)) + "]"


def _make_codec(name: str, rank: int) -> _Codec:
    table = _byte_tables()[name]
    alternatives = ("".join(_char_class(table, lo, hi) for lo, hi in seq) for seq in _UTF8_SEQUENCES)
    return _Codec(
        name=name,
        rank=rank,
        encode={ord(ch): chr(b) for b, ch in table.items()},
        decode={b: ord(ch) for b, ch in table.items()},
        pattern=re.compile("(?:" + "|".join(alternatives) + ")+"),
    )


_LATIN1_RANK_WITH_C1 = -1  # a run holding C1 controls is Latin-1 before it is cp1252
_C1_RE = re.compile("[\x80-\x9f]")


@functools.cache
def _byte_tables() -> dict[str, dict[int, str]]:
    return {name: _byte_table(name) for name in ENCODINGS}


@functools.cache
def _prefilter() -> re.Pattern[str]:
    """A lead character of any codec followed by a continuation character of any codec: built on the first
    non-ASCII line (cheap); the codecs' own patterns (compiling them costs ~8 ms) only on a line it finds."""
    leads: set[str] = set()
    conts: set[str] = set()
    for table in _byte_tables().values():
        leads.update(table[b] for b in range(0xC2, 0xF5))
        conts.update(table[b] for b in range(0x80, 0xC0))
    return re.compile(
        "[" + "".join(map(re.escape, sorted(leads))) + "][" + "".join(map(re.escape, sorted(conts))) + "]"
    )


@functools.cache
def _codecs() -> tuple[_Codec, ...]:
    return tuple(_make_codec(name, rank) for rank, name in enumerate(ENCODINGS))


def _tables() -> tuple[re.Pattern[str], tuple[_Codec, ...]]:
    """The prefilter and the codecs, both built (once)."""
    return _prefilter(), _codecs()


# -- plausibility ---------------------------------------------------------------------------
