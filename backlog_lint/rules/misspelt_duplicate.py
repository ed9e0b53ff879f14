"""BL314 misspelt-duplicate."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

_WORD_RE = re.compile(r"\w+")


def _folded_words(text: str) -> Iterator[str]:
    """The words of ``text``, each case-folded (folding an ASCII text first is the same, and faster), one at
    a time: the words of a whole file are counted, never held."""
    if text.isascii():
        return (m.group() for m in _WORD_RE.finditer(text.lower()))
    return (m.group().casefold() for m in _WORD_RE.finditer(text))
_MIN_WORDS = 3
_MAX_WORDS = 30  # a title, not a paragraph (bucketing costs the square of the words)
_MAX_LENGTH = 300
_MIN_WORD = 4  # letters of the differing words: "API"/"APK", "Stage A"/"Stage B" differ on purpose
_USUAL = 3  # how often the file writes the word the misspelt one stands for


@rule("BL314", "misspelt-duplicate", severity=Severity.WARNING, per_file=True)
def misspelt_duplicate(ctx: Context) -> Iterator[Diagnostic]:
    """Entry repeats another but for one misspelt word.

    ## What it does
    Compares the titles of a file's items and tasks word by word and reports an
    entry that is another entry of the file with one word changed, when that word
    is a misspelling of the other's: one or two letters apart, written nowhere
    else in the file, while the other's word is written at least 3 times (`Trake
    the server status` beside `Track the server status`). Words that differ in a
    number, or are shorter than 4 letters, are not compared.

    ## Why is this bad?
    The same work was written down twice, once with a typo: one copy is ticked off
    while the other stays open, or both are done and counted twice.

    ## Example
    ```markdown
    - [x] Track the server is offline or online
    - [x] Track the server players
    - [ ] Track server uptime
    - [ ] Trake the server is offline or online
    ```

    ## Use instead
    ```markdown
    - [x] Track the server is offline or online
    - [x] Track the server players
    - [ ] Track server uptime
    ```

    ## Fix
    Not fixable: delete the copy, or fix its spelling if it is other work.
    """
    from rapidfuzz.distance import DamerauLevenshtein

    for doc in ctx.documents():
        entries: list[tuple[str, Span]] = []
        for item in doc.items:
            entries.append((item.title, item.title_span))
            entries += [(t.text, t.span) for task in item.tasks for t in task.walk()]
        words_of: list[list[str]] = []
        share: dict[str, str] = {}  # one string per word: titles repeat their words
        for text, _ in entries:
            folded = _folded_words(text) if len(text) <= _MAX_LENGTH else ()
            words_of.append([share.setdefault(w, w) for w in folded])
        compared = [n for n, words in enumerate(words_of) if _MIN_WORDS <= len(words) <= _MAX_WORDS]
        if len(compared) < 2:
            continue
        counts = Counter(_folded_words(doc.source.text))
        # entries one word apart share a bucket: the place of that word, then the others ("2 track the
        # status": words never hold a space, so the key also tells how many there are). Buckets are made
        # for the words that may be misspelt (written once) and then filled with the entries whose word
        # there may be the usual one: 50,000 titles were 250,000 buckets, nearly all of one entry.
        buckets: dict[str, list[int]] = {}
        places: set[tuple[int, int]] = set()  # (place, number of words) of the buckets: other keys are no bucket's
        for n in compared:
            words = words_of[n]
            for i, word in enumerate(words):
                if counts[word] == 1 and _comparable(word):
                    buckets.setdefault(f"{i} {' '.join(words[:i])} {' '.join(words[i + 1:])}", []).append(n)
                    places.add((i, len(words)))
        first: dict[str, tuple[int, int]] = {}  # where a bucket of every entry would have been made
        for n in compared:
            words = words_of[n]
            for i, word in enumerate(words):
                if (i, len(words)) not in places:
                    continue
                key = f"{i} {' '.join(words[:i])} {' '.join(words[i + 1:])}"
                if key in buckets:
                    first.setdefault(key, (n, i))
                    if counts[word] >= _USUAL and _comparable(word):
                        buckets[key].append(n)
        reported: set[int] = set()
        for key in sorted(buckets, key=first.__getitem__):  # in the order the entries make them
            members = buckets[key]
            if len(members) < 2:
                continue
            members.sort()
            i = first[key][1]
            for a in members:
                odd = words_of[a][i]
                if a in reported or counts[odd] != 1 or not _comparable(odd):
                    continue
                for b in members:
                    usual = words_of[b][i]
                    if usual == odd or counts[usual] < _USUAL or not _comparable(usual):
                        continue
                    limit = 1 if min(len(odd), len(usual)) < 5 else 2
                    if DamerauLevenshtein.distance(odd, usual, score_cutoff=limit) > limit:
                        continue
                    text, span = entries[a]
                    other, other_span = entries[b]
                    shown = _WORD_RE.findall(text)[i]
                    reported.add(a)
                    yield ctx.report(doc, span,
                                     f"{text.strip()[:80]!r} repeats {other.strip()[:80]!r} (line {other_span.line}) "
                                     f"but for {shown!r}, written nowhere else in the file, where the file writes "
                                     f"{_WORD_RE.findall(other)[i]!r} {counts[usual]} times: delete the copy or fix "
                                     "its spelling",
                                     related=((doc.path, other_span),))
                    break


def _comparable(word: str) -> bool:
    """A word whose spelling is compared: 4 letters or more, no digit."""
    return len(word) >= _MIN_WORD and not any(c.isdigit() for c in word)
