"""BL314 misspelt-duplicate."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

_WORD_RE = re.compile(r"\w+")
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
        # entries one word apart share a bucket: the place of that word, then the others ("2 track the
        # status": words never hold a space, so the key also tells how many there are). One string per
        # key, and one entry's index until a second shares it: most buckets hold one entry, and 50,000
        # titles are 250,000 buckets.
        buckets: dict[str, int | list[int]] = {}
        words_of: list[list[str]] = []
        for n, (text, _) in enumerate(entries):
            words = [w.casefold() for w in _WORD_RE.findall(text)] if len(text) <= _MAX_LENGTH else []
            words_of.append(words)
            if not _MIN_WORDS <= len(words) <= _MAX_WORDS:
                continue
            for i in range(len(words)):
                key = f"{i} {' '.join(words[:i])} {' '.join(words[i + 1:])}"
                there = buckets.setdefault(key, n)
                if there != n:
                    if isinstance(there, int):
                        buckets[key] = [there, n]
                    else:
                        there.append(n)
        counts: Counter[str] | None = None
        reported: set[int] = set()
        for key, members in buckets.items():
            if isinstance(members, int):
                continue
            i = int(key[:key.index(" ")])
            if counts is None:  # the file's words, counted once it has entries one word apart
                counts = Counter(w.casefold() for w in _WORD_RE.findall(doc.source.text))
            for a in members:
                odd = words_of[a][i]
                if a in reported or counts[odd] != 1 or len(odd) < _MIN_WORD or any(c.isdigit() for c in odd):
                    continue
                for b in members:
                    usual = words_of[b][i]
                    if usual == odd or counts[usual] < _USUAL or len(usual) < _MIN_WORD \
                            or any(c.isdigit() for c in usual):
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
