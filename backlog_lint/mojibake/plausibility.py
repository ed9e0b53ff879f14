"""How plausible a repair is: unusual characters, changes of script, runs that read like text."""

from __future__ import annotations

import functools
import unicodedata


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
