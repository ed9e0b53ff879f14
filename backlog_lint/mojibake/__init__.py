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

from backlog_lint.mojibake.finding import find_c1_controls, find_mojibake, repair_line
from backlog_lint.mojibake.model import ENCODINGS, Mojibake

__all__ = ["ENCODINGS", "Mojibake", "find_c1_controls", "find_mojibake", "repair_line"]
