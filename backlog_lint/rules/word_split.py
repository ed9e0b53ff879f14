"""BL127 word-split."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._markup import tokens
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

_WORD_RE = re.compile(r"[^\W\d_]+")
_TAIL_RE = re.compile(r"(?<![\w-])(?P<word>[^\W\d_]{2,})$")
_HEAD_RE = re.compile(r"^(?P<word>[^\W\d_]{2,})(?![\w-])")
MIN_WORD = 6  # "no\nte" is too short to tell from two words


@rule("BL127", "word-split", severity=Severity.WARNING, per_file=True)
def word_split(ctx: Context) -> Iterator[Diagnostic]:
    """A word broken across two lines, which renders as two words.

    ## What it does
    Finds a line that ends with the first part of a word and a next line (in
    the same paragraph) that starts with the rest: the two parts appear nowhere
    else in the file, while the whole word does.

    ## Why is this bad?
    A line break inside a paragraph renders as a space, so the word shows as
    two ("dependen cies"), and a search for it finds nothing.

    ## Example
    ```markdown
    T002 and T003 can run in parallel (no shared dependen
    cies). The dependencies of T004 are listed below.
    ```

    ## Use instead
    ```markdown
    T002 and T003 can run in parallel (no shared
    dependencies). The dependencies of T004 are listed below.
    ```

    ## Fix
    Not fixable: join the word and break the line between two words.
    """
    for doc in ctx.documents():
        words: Counter[str] | None = None
        lines = doc.source.lines
        for tok in tokens(ctx, doc):
            if tok.type != "paragraph_open" or tok.map is None or tok.map[1] - tok.map[0] < 2:
                continue
            for i in range(tok.map[0], tok.map[1] - 1):
                tail = _TAIL_RE.search(lines[i].rstrip())
                head = _HEAD_RE.match(lines[i + 1].lstrip())
                if tail is None or head is None or not head.group("word")[:1].islower():
                    continue
                first, rest = tail.group("word"), head.group("word")
                joined = (first + rest).casefold()
                if len(joined) < MIN_WORD:
                    continue
                if words is None:
                    words = Counter(w.casefold() for w in _WORD_RE.findall(doc.source.text))
                if words[joined] == 0 or words[first.casefold()] > 1 or words[rest.casefold()] > 1:
                    continue  # the whole word is not the file's, or the parts are words it uses
                col = tail.start("word") + 1
                yield ctx.report(doc, Span(i + 1, col, i + 1, col + len(first)),
                                 f"{first!r} on this line and {rest!r} on the next are one word split by the line "
                                 f"break, which renders as a space ({first} {rest}): join them into {first + rest!r}")
