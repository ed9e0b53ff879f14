"""Finding the garbled runs of a line and repairing them (the choice between codecs)."""

from __future__ import annotations

from dataclasses import dataclass

from backlog_lint.mojibake.codecs import _C1_RE, _LATIN1_RANK_WITH_C1, _Codec, _codecs, _prefilter
from backlog_lint.mojibake.model import ENCODINGS, Mojibake
from backlog_lint.mojibake.plausibility import (
    _accept_weak,
    _is_bad,
    _looks_like_text_3,
    _oddity,
    _plausible_2byte,
    _script,
    _unusual,
)


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    repaired: str
    codec: _Codec

    def key(self, line: str, coverage: dict[str, int]) -> tuple[int, int, int, int, int]:
        """Sort key: longest run, fewest oddities, codec explaining most of the line, rank."""
        rank = self.codec.rank
        if self.codec.name == "latin-1" and _C1_RE.search(line, self.start, self.end):
            rank = _LATIN1_RANK_WITH_C1
        return (self.start - self.end, _oddity(self.repaired), -coverage[self.codec.name], rank, self.start)


def _utf8_len(ch: str) -> int:
    cp = ord(ch)
    return 2 if cp < 0x800 else 3 if cp < 0x10000 else 4


def _codec_candidates(line: str, codec: _Codec) -> tuple[list[_Candidate], list[tuple[int, int]]]:
    """Runs of `line` that `codec` turns into well-formed UTF-8, cut around bad characters.

    Returns the accepted candidates and the spans of well-formed runs judged implausible.
    """
    pieces: list[tuple[int, int, str]] = []
    for match in codec.pattern.finditer(line):
        run = match.group()
        repaired = run.translate(codec.encode).encode("latin-1").decode("utf-8")
        if repaired.encode("utf-8").decode("latin-1").translate(codec.decode) != run:
            continue  # not lossless; cannot happen with one-to-one tables, kept as a guard
        if repaired.isprintable():  # no control, private-use, surrogate or unassigned character: one piece
            pieces.append((match.start(), match.end(), repaired))
            continue
        pos = piece_start = match.start()
        chars: list[str] = []
        for ch in repaired:
            width = _utf8_len(ch)
            if _is_bad(ch):
                if chars:
                    pieces.append((piece_start, pos, "".join(chars)))
                    chars = []
                piece_start = pos + width
            else:
                chars.append(ch)
            pos += width
        if chars:
            pieces.append((piece_start, pos, "".join(chars)))

    candidates: list[_Candidate] = []
    rejected: list[tuple[int, int]] = []
    weak: list[tuple[int, int, str]] = []
    for start, end, repaired in pieces:
        run = line[start:end]
        if _C1_RE.search(run):
            pass  # C1 controls never belong in text: strong evidence whatever the length
        elif len(repaired) == 1 and (end - start == 2 or (end - start == 3 and _looks_like_text_3(run, repaired))):
            weak.append((start, end, repaired))
            continue
        elif all(_utf8_len(ch) == 2 for ch in repaired) and 2 * _unusual(repaired) > len(repaired):
            rejected.append((start, end))  # mostly IPA/Syriac/...: a chance pairing of accented letters
            continue
        candidates.append(_Candidate(start, end, repaired, codec))
    # A strong run of this codec on the line, or a weak one that passes on its own, vouches
    # for the other weak ones: a garbled line is garbled throughout.
    own_merit = [end - start == 2 and _accept_weak(line, start, repaired, codec.name) for start, end, repaired in weak]
    boosted = bool(candidates) or any(own_merit)
    for (start, end, repaired), ok in zip(weak, own_merit, strict=True):
        if not ok and boosted:
            prev = line[start - 1] if start else " "
            ok = end - start == 3 or _plausible_2byte(repaired, prev)
        if ok:
            candidates.append(_Candidate(start, end, repaired, codec))
        else:
            rejected.append((start, end))
    return candidates, rejected


# -- public API -----------------------------------------------------------------------------


def find_mojibake(line: str) -> list[Mojibake]:
    """Return the garbled runs of `line`, non-overlapping, left to right."""
    if line.isascii():
        return []
    if _prefilter().search(line) is None:
        return []
    codecs = _codecs()
    candidates: list[_Candidate] = []
    rejected: list[tuple[int, int, _Codec]] = []
    for codec in codecs:
        accepted, implausible = _codec_candidates(line, codec)
        candidates += accepted
        rejected += [(start, end, codec) for start, end in implausible]
    if rejected and candidates:
        # A piece of a longer run that another codec reads as one (implausible) text is no
        # safer for it: cp1252 `á¬®` is a Balinese letter, not `á` and Mac Roman `¬®` (`¨`).
        candidates = [
            c
            for c in candidates
            if not any(
                codec is not c.codec and start < c.end and c.start < end and end - start > c.end - c.start
                for start, end, codec in rejected
            )
        ]
    if not candidates:
        return []
    # A line is garbled by one codec: on a tie, trust the codec that explains more of it.
    coverage = dict.fromkeys(ENCODINGS, 0)
    for cand in candidates:
        coverage[cand.codec.name] += cand.end - cand.start
    candidates.sort(key=lambda c: c.key(line, coverage))
    taken = bytearray(len(line))  # 1 where a chosen run lies; keeps long garbled lines linear
    chosen: list[_Candidate] = []
    for cand in candidates:
        if taken.find(1, cand.start, cand.end) == -1:
            taken[cand.start : cand.end] = b"\x01" * (cand.end - cand.start)
            chosen.append(cand)
    chosen.sort(key=lambda c: c.start)
    chosen = _without_lone_symbol_pairs(line, chosen)
    return [Mojibake(c.start, c.end, line[c.start : c.end], c.repaired, c.codec.name) for c in chosen]


def _without_lone_symbol_pairs(line: str, chosen: list[_Candidate]) -> list[_Candidate]:
    """Drop a two-character run of punctuation and a symbol (`–§` in `§4–§6`) that would repair to a
    letter of a script nothing else on the line is written in (Mac Roman `–§` spells Cyrillic `Ф`): legitimate
    text writes such pairs, while a garbled word of that script brings other runs repairing to it."""
    def lone(c: _Candidate) -> bool:
        run = line[c.start : c.end]
        return (len(run) == 2 and not run[0].isalnum() and not run[1].isalnum() and len(c.repaired) == 1
                and c.repaired.isalpha() and _script(ord(c.repaired)) != "Latin")

    suspects = [c for c in chosen if lone(c)]
    if not suspects:
        return chosen
    scripts = {_script(ord(ch)) for c in chosen if not lone(c) for ch in c.repaired if ch.isalpha()}
    covered = bytearray(len(line))
    for c in chosen:
        covered[c.start : c.end] = b"\x01" * (c.end - c.start)
    scripts |= {_script(ord(ch)) for i, ch in enumerate(line) if not covered[i] and ch.isalpha()}
    return [c for c in chosen if not lone(c) or _script(ord(c.repaired)) in scripts]


def repair_line(line: str) -> str:
    """Return `line` with every run found by :func:`find_mojibake` repaired."""
    found = find_mojibake(line)
    if not found:
        return line
    parts: list[str] = []
    pos = 0
    for item in found:
        parts.append(line[pos : item.start])
        parts.append(item.repaired)
        pos = item.end
    parts.append(line[pos:])
    return "".join(parts)


def find_c1_controls(line: str, found: list[Mojibake] | None = None) -> list[int]:
    """Return the columns of C1 controls (U+0080..U+009F) that are not part of a repairable run.

    ``found``, when given, is what :func:`find_mojibake` returns for this line (saves finding it again).
    """
    if line.isascii():
        return []
    columns = [m.start() for m in _C1_RE.finditer(line)]
    if not columns:
        return []
    covered = bytearray(len(line))
    for item in find_mojibake(line) if found is None else found:
        covered[item.start : item.end] = b"\x01" * (item.end - item.start)
    return [col for col in columns if not covered[col]]
