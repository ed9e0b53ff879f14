"""Find and repair mojibake: UTF-8 text that was decoded as Mac Roman, cp1252 or Latin-1.

A file written as UTF-8, opened by a tool that assumed a single-byte encoding and saved
again as UTF-8, turns every non-ASCII character into a run of two to four characters:
``—`` becomes ``‚Äî`` (Mac Roman) or ``â€”`` (cp1252), ``é`` becomes ``√©`` or ``Ã©``,
``🔴`` becomes ``\uf8ffüî¥`` (U+F8FF is Apple's logo, invisible elsewhere) or ``ðŸ”´``.
Such a run is found by encoding it back with the suspected codec and checking that the
bytes are well-formed UTF-8.

The public API is three pure functions over one line of text; columns are 0-based code
point indices into that line:

- :func:`find_mojibake` lists the garbled runs with their repair and codec;
- :func:`repair_line` applies every repair;
- :func:`find_c1_controls` lists stray C1 control characters (U+0080..U+009F), which a
  Latin-1 decode leaves behind and which never belong in Markdown.

How a run is judged (see also :func:`_accept_weak`):

1. *Candidates.* For each codec a precompiled regex, built from the codec's byte table,
   matches maximal runs of characters whose bytes form one or more complete, well-formed
   UTF-8 multi-byte sequences (no overlongs, no surrogates, nothing above U+10FFFF).
   Characters that are not part of such a sequence are never touched, so a legitimate
   ``é`` next to a garbled ``‚Äî`` stays as it is.
2. *Lossless.* A repair is kept only if ``run -> bytes -> UTF-8 text`` and back gives the
   run again, and if no repaired character is a control (C0/C1), a surrogate, a
   private-use or an unassigned code point; a run is cut around such characters.
3. *Strong or weak.* A run that repairs to two or more characters, to a character of three
   or four UTF-8 bytes, or that contains a C1 control, is strong evidence: legitimate text
   almost never spells a valid UTF-8 byte sequence of that length by accident (a run of
   two-byte characters that are mostly IPA, Syriac and the like is still dropped). A run of
   exactly two characters repairing to one character (``Ã©``, ``√©``, ``–∏``) is weak:
   ``’é`` (in French ``l’été``) is also the Mac Roman reading of the Armenian letter ``Վ``.
   Weak runs must repair to a character of a commonly written alphabet and must not look
   like ordinary text (see :func:`_accept_weak`). Three characters repairing to one are
   weak too when they read like text (see :func:`_looks_like_text_3`). A garbled line is
   garbled throughout, so once a line holds a strong run, or a weak run that passed on its
   own, of some codec, that codec's other weak runs need only a plausible repair.
4. *Choice.* Overlapping candidates of different codecs are resolved by preferring the
   longest run, then the repair with fewer unusual characters and changes of script (see
   :func:`_oddity`), then the codec whose candidates cover more of the line, then the
   order Mac Roman, cp1252, Latin-1 (Latin-1 first when the run contains C1 controls,
   which only Latin-1 produces). A candidate inside a longer well-formed run that another
   codec judged implausible is dropped: the longer reading explains those characters too.

cp1252 leaves bytes 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined; Windows and web browsers
decode them as the C1 controls of the same value, and so does the table here, so that the
common ``â€\\x9d`` (for ``”``) is repaired. Python's ``mac_roman`` codec is used as it is
(0xDB is ``€``, 0xF0 is Apple's private-use logo U+F8FF).

Repairs are single-pass: doubly garbled text (``Ã¢â‚¬â„¢``) repairs to singly garbled text
(``â€™``), which a second pass repairs; a fix loop that re-runs until nothing changes
converges on ``’``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["ENCODINGS", "Mojibake", "find_c1_controls", "find_mojibake", "repair_line"]

ENCODINGS: tuple[str, ...] = ("mac_roman", "cp1252", "latin-1")


@dataclass(frozen=True, slots=True)
class Mojibake:
    """One garbled run in a line and what it should read."""

    start: int  # 0-based column (code point index) in the line where the garbled run starts
    end: int  # exclusive
    text: str  # the garbled text (line[start:end])
    repaired: str  # what it should be
    encoding: str  # "mac_roman" | "cp1252" | "latin-1"


# -- codec tables ---------------------------------------------------------------------------

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
    table = _byte_table(name)
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
def _tables() -> tuple[re.Pattern[str], tuple[_Codec, ...]]:
    """Build the codecs and a prefilter once, on the first non-ASCII line (compiling costs ~8 ms)."""
    codecs = tuple(_make_codec(name, rank) for rank, name in enumerate(ENCODINGS))
    leads: set[str] = set()
    conts: set[str] = set()
    for name in ENCODINGS:
        table = _byte_table(name)
        leads.update(table[b] for b in range(0xC2, 0xF5))
        conts.update(table[b] for b in range(0x80, 0xC0))
    # A lead character of any codec followed by a continuation character of any codec.
    prefilter = re.compile(
        "[" + "".join(map(re.escape, sorted(leads))) + "][" + "".join(map(re.escape, sorted(conts))) + "]"
    )
    return prefilter, codecs


# -- plausibility ---------------------------------------------------------------------------


def _code_points(*ranges: tuple[int, int]) -> frozenset[int]:
    return frozenset(cp for lo, hi in ranges for cp in range(lo, hi + 1))


_NO_LETTER_OR_SIGN = frozenset({"Mn", "Mc", "Me", "Cc", "Cn", "Co", "Cs"})


def _letters_and_signs(*ranges: tuple[int, int]) -> frozenset[int]:
    """The assigned code points of `ranges` other than combining marks and controls."""
    return frozenset(cp for cp in _code_points(*ranges) if unicodedata.category(chr(cp)) not in _NO_LETTER_OR_SIGN)


# Characters a lone two-byte sequence may repair to: the alphabets people write Markdown in.
# Combining marks (Hebrew points, Arabic harakat) are left out: alone, they repair nothing.
# IPA, spacing modifiers, Syriac, Thaana, NKo and most of Latin Extended-B are left out: in
# legitimate text the pairs that would spell them (``É»`` in ``«ÉTÉ»``, ``ﬁé`` in PDF
# text) are more likely than the mojibake of those letters.
_COMMON_2BYTE = _letters_and_signs(
    (0x00A0, 0x00FF),  # Latin-1 Supplement: NBSP, symbols, accented letters
    (0x0100, 0x017F),  # Latin Extended-A: Central European, Baltic, Turkish, Maltese
    (0x018F, 0x018F),  # Ə (Azerbaijani)
    (0x0192, 0x0192),  # ƒ
    (0x01A0, 0x01A1),  # Ơ ơ (Vietnamese)
    (0x01AF, 0x01B0),  # Ư ư (Vietnamese)
    (0x01CD, 0x01DC),  # pinyin tone letters
    (0x0218, 0x021B),  # Ș ș Ț ț (Romanian)
    (0x0259, 0x0259),  # ə (Azerbaijani)
    (0x02BB, 0x02BC),  # ʻ ʼ (Uzbek, Hawaiian)
    (0x0386, 0x03CE),  # Greek
    (0x0400, 0x045F),  # Cyrillic (historic letters U+0460..U+048F left out)
    (0x0490, 0x04FF),  # Cyrillic: Ukrainian Ґ, Kazakh, Tatar, Bashkir, ...
    (0x0531, 0x058A),  # Armenian
    (0x0591, 0x05F4),  # Hebrew
    (0x0600, 0x06FF),  # Arabic, Persian, Urdu, Uyghur
)
# Three-byte characters that are rare in running text, so a lone garbled run repairing to one
# is more likely a chance pairing (and they lose ties to a common reading of the same run).
_RARE_3BYTE: tuple[tuple[int, int], ...] = (
    (0x0800, 0x08FF),  # Samaritan, Mandaic, Arabic Extended-A
    (0x1100, 0x11FF),  # conjoining Hangul Jamo (text uses precomposed syllables)
    (0x1680, 0x1CFF),  # Ogham, Runic, Philippine and South-East Asian historic scripts, Mongolian, ...
    (0x1D00, 0x1DFF),  # phonetic extensions, combining supplement
    (0x2C00, 0x2DFF),  # Glagolitic, Latin Extended-C, Coptic, Tifinagh, Ethiopic Extended
    (0x2E80, 0x2FFF),  # CJK and Kangxi radicals, ideographic description
    (0x3400, 0x4DBF),  # CJK Extension A: rare ideographs
    (0xA000, 0xABFF),  # Yi, Lisu, Vai, Bamum, Latin Extended-D, Syloti Nagri, ...
    (0xD7B0, 0xD7FF),  # Hangul Jamo Extended-B
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFB00, 0xFDFF),  # ligatures, Arabic presentation forms A
    (0xFE10, 0xFE6F),  # vertical forms, half marks, compatibility and small forms
    (0xFE70, 0xFEFE),  # Arabic presentation forms B (not U+FEFF, the BOM)
)
# Combining accents that decomposed (NFD) Latin text uses; the rest of the block is rare enough
# that `ÍŽ` in Czech `PROHLÍŽEČ` is far likelier than a garbled U+034E.
_NFD_ACCENTS = _code_points((0x0300, 0x0308), (0x030A, 0x030C), (0x0327, 0x0328))

# Punctuation that closes a word: a capital letter before it is a legitimate word's end.
_CLOSERS = frozenset("’”»›…–—\xa0")
# Punctuation that may stand right before a letter: `«été`, `“Été`, `—été`, `l’été`, NBSP,
# Swedish `”Öppna”`, Turkish `“full”ü` (a suffix after a closing quote).
_OPENERS = frozenset("«“”‘‹–—’\xa0")
# ... and quotes that open a word only after a space: German `»öffentlich«`.
_SPACED_OPENERS = frozenset("»›")
# Mac Roman: `√π`, `≈π`, `√∞` are ordinary mathematics when they stand alone.
_MATH_LEADS = frozenset("√≈")
_MATH_CONTS = frozenset("πΩµ∞∑∏∫∂")


def _is_bad(ch: str) -> bool:
    """True for characters a repair must never produce."""
    category = unicodedata.category(ch)
    if category in ("Cc", "Co", "Cs"):
        return True
    if category == "Cn":
        # Emoji blocks fill up faster than this Python's Unicode database; accept them.
        return not 0x1F000 <= ord(ch) <= 0x1FBFF
    return False


def _rare_3byte(cp: int) -> bool:
    return 0x800 <= cp < 0x10000 and any(lo <= cp <= hi for lo, hi in _RARE_3BYTE)


@functools.lru_cache(maxsize=4096)  # repairs repeat (``—``, ``é``, ``🔴``): a pure function of the text
def _unusual(repaired: str) -> int:
    """Count repaired characters outside the common alphabets (a tie-breaker between codecs)."""
    return sum(1 for ch in repaired if (ord(ch) < 0x800 and ord(ch) not in _COMMON_2BYTE) or _rare_3byte(ord(ch)))


# Coarse scripts for telling one reading from another: (first, last, name), by block.
_SCRIPTS: tuple[tuple[int, int, str], ...] = (
    (0x0000, 0x024F, "Latin"),
    (0x0370, 0x03FF, "Greek"),
    (0x0400, 0x052F, "Cyrillic"),
    (0x0530, 0x058F, "Armenian"),
    (0x0590, 0x05FF, "Hebrew"),
    (0x0600, 0x06FF, "Arabic"),
    (0x1100, 0x11FF, "Hangul"),
    (0x1E00, 0x1EFF, "Latin"),
    (0x1F00, 0x1FFF, "Greek"),
    (0x2E80, 0x33FF, "CJK"),  # radicals, CJK punctuation, kana: Japanese mixes kana and kanji
    (0x3400, 0x9FFF, "CJK"),
    (0xAC00, 0xD7AF, "Hangul"),
    (0xF900, 0xFAFF, "CJK"),
)


def _script(cp: int) -> str | int:
    for lo, hi, name in _SCRIPTS:
        if lo <= cp <= hi:
            return name
    return cp >> 7  # some other block


@functools.lru_cache(maxsize=4096)
def _oddity(repaired: str) -> int:
    """Unusual characters plus changes of script between letters: lower reads more like text.

    Ties between codecs need it: cp1252 ``Â°æ—¥`` is ``°日``, but Mac Roman reads the same
    five characters as ``塾Ѵ``, an ideograph glued to a Cyrillic letter.
    """
    changes = 0
    last: str | int | None = None
    for ch in repaired:
        if ch.isalpha() and ch not in "ªµº":  # ordinal and micro signs belong to no script
            script = _script(ord(ch))
            changes += last is not None and script != last
            last = script
    return _unusual(repaired) + changes


def _plausible_2byte(repaired: str, prev: str) -> bool:
    """True if a lone two-byte repair is a letter or sign of a commonly written alphabet."""
    cp = ord(repaired)
    return cp in _COMMON_2BYTE or (cp in _NFD_ACCENTS and prev.isalpha())


def _looks_like_text_3(run: str, repaired: str) -> bool:
    """True if a three-character run repairing to one character reads as legitimate text.

    Mac Roman ``ÈÉÆ`` (capitals in Nynorsk) spells U+90EE and cp1252 ``é\xa0»`` (French
    ``commité\xa0»``) spells U+9827: a lone ideograph or letter from three letters, or a
    letter, NBSP and punctuation, is left alone unless the line has other mojibake. Three
    capitals are suspect; mixed case (``Êúà`` for 月) is not. So is a repair to a rare block
    (cp1252 ``ï»ª`` spells an Arabic presentation form).
    """
    if (run[0].isalpha() and run[1] == "\xa0") or _rare_3byte(ord(repaired)):
        return True
    return repaired.isalpha() and run.isalpha() and run.isupper()


def _accept_weak(line: str, start: int, repaired: str, codec: str) -> bool:
    """Judge a two-character run that repairs to one character, with nothing else to go on.

    Rejected, because legitimate text spells these pairs:
    - repairs outside the common alphabets (combining marks only right after a letter,
      for decomposed text);
    - a quote, dash, apostrophe or NBSP that may open a word, followed by a letter (Mac
      Roman ``’é`` in ``l’été``, ``—é`` in ``2020—été``, ``«É``, Swedish ``”Ö``); ``»``
      and ``›`` only open a word after a space, so Romanian ``a»ôa`` (``așa``) is repaired;
    - a capital letter followed by a closing quote, dash, ellipsis or NBSP at a word's end,
      unless the word before it is lower case (``PÅ”`` is Swedish, ``IRMÃ”`` Portuguese;
      ``sÄ…`` is Polish ``są`` garbled); cp1252/Latin-1 ``Â`` and ``Ã`` have exceptions;
    - Mac Roman ``√π``, ``≈π`` and the like standing alone, outside a word.
    """
    prev = line[start - 1] if start else " "
    if not _plausible_2byte(repaired, prev):
        return False
    first, second = line[start], line[start + 1]
    nxt = line[start + 2] if start + 2 < len(line) else " "
    if second.isalpha() and (first in _OPENERS or (first in _SPACED_OPENERS and not prev.isalpha())):
        return False
    if first.isupper() and second in _CLOSERS and not nxt.isalnum() and not prev.islower():
        latin = codec != "mac_roman"
        # cp1252 `Â` ends no word: `Â»` and `BPFÂ\xa0:` are mojibake. `Ã` ends Portuguese
        # capitals (`IRMÃ”`), but `Ã–`, `Ã…`, `Ã\xa0` (Ö, Å, à) end Finnish and Swedish ones
        # (`MILJÃ–`) far more often.
        exempt = latin and (first == "Â" or (first == "Ã" and (second in "–…\xa0" or not prev.isupper())))
        if not exempt:
            return False  # the end of a word in capitals (`PÅ”`) or a one-letter word (`Å”`)

    return not (first in _MATH_LEADS and second in _MATH_CONTS and not prev.isalpha() and not nxt.isalpha())


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
    prefilter, codecs = _tables()
    if prefilter.search(line) is None:
        return []
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
