"""BL316 status-count."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.model import Document
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span
from backlog_lint.vocab import Vocabulary
from backlog_lint.workspace.vocabulary import fold_value

# "**Done:** 3", "- In Progress: 1", "**In Todo (Ready):** 5": a label and a bare number, nothing after it
_COUNT_RE = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?(?P<label>[^:*_|`\[\]\d]{2,40}?)\s*"
    r"(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:|:)\s*(?:\*\*|__)?(?P<n>\d{1,5})(?:\*\*|__)?\s*$"
)
_NOTE_RE = re.compile(r"\([^)]*\)")
_MIN_ITEMS = 3
_Claim = tuple[int, int, int, str, int, str]  # line, start, end, status, number, label as written
_GAP = 2  # lines between two counts of one summary


@rule("BL316", "status-count", severity=Severity.WARNING, per_file=True)
def status_count(ctx: Context) -> Iterator[Diagnostic]:
    """A summary's count of items in a status that the items contradict.

    ## What it does
    Reads a summary block of a file whose items all carry a status (all the
    table rows, or all the heading items, ...): two or more
    lines in a row that each give a status and a bare number (`**Done:** 3`,
    `- In Progress: 1`, `**In Todo (Ready):** 5`), and counts the file's items in
    that status. A count that differs is reported. A number with words after it
    (`Done: 3 of 5 phases`), a total, a lone count line, and a file where some
    items have no status are left alone: they may count something else.

    ## Why is this bad?
    A board's summary is what people read first; one left behind when a card
    moved says the work is somewhere it is not.

    ## Example
    ```markdown
    | # | Title | Status |
    |---|-------|--------|
    | 1 | Write the parser | Done |
    | 2 | Write the formatter | Todo |
    | 3 | Ship it | Todo |

    **Todo:** 1
    **Done:** 1
    ```

    ## Use instead
    ```markdown
    | # | Title | Status |
    |---|-------|--------|
    | 1 | Write the parser | Done |
    | 2 | Write the formatter | Todo |
    | 3 | Ship it | Todo |

    **Todo:** 2
    **Done:** 1
    ```

    ## Fix
    Not fixable: correct the count (or the items' statuses).
    """
    vocab = ctx.config.vocab
    for doc in ctx.documents():
        if len(doc.items) < _MIN_ITEMS or ":" not in doc.source.text:
            continue
        counts = _counts(doc, vocab)
        if counts is None:
            continue
        claims = list(_claims(doc, vocab, counts))
        for group in _summaries(claims):
            for n, start, end, status, claimed, label in group:
                actual = counts[status]
                if actual != claimed:
                    yield ctx.report(doc, Span(n, start + 1, n, end + 1),
                                     f"the summary counts {claimed} item{'s' if claimed != 1 else ''} as "
                                     f"'{label}', but {actual} item{'s' if actual != 1 else ''} of the file "
                                     f"{'have' if actual != 1 else 'has'} that status: correct the count")


def _counts(doc: Document, vocab: Vocabulary) -> Counter[str] | None:
    """Items per status, over the items of the kind that carries statuses (table rows, headings, ...),
    or None unless every item of that kind has one (then a count may be of something else)."""
    by_kind: dict[str, list[str | None]] = {}
    for item in doc.items:
        by_kind.setdefault(item.kind, []).append(_status(item.value("status"), vocab))
    kind = max(by_kind, key=lambda k: sum(s is not None for s in by_kind[k]))
    statuses = by_kind[kind]
    if len(statuses) < _MIN_ITEMS or any(s is None for s in statuses):
        return None
    return Counter(s for s in statuses if s is not None)


def _status(raw: str | None, vocab: Vocabulary) -> str | None:
    if raw is None or not raw.strip():
        return None
    return vocab.status_of(raw) or fold_value(raw) or None


def _claims(doc: Document, vocab: Vocabulary, counts: Counter[str]) -> Iterator[_Claim]:
    """(line, start, end, status, number, label) of every line counting the items of one status the file uses."""
    for n, line in enumerate(doc.source.lines, 1):
        if n in doc.code_lines or ":" not in line:
            continue
        m = _COUNT_RE.match(line)
        if m is None:
            continue
        label = _NOTE_RE.sub("", m.group("label")).strip()
        words = label.split()
        candidates = [label] + ([" ".join(words[1:])] if len(words) > 1 and words[0].casefold() == "in" else [])
        for candidate in candidates:  # "In Todo": the items in the Todo lane
            status = _status(candidate, vocab)
            if status is not None and status in counts:
                yield n, m.start("label"), m.end("n"), status, int(m.group("n")), m.group("label").strip()
                break


def _summaries(claims: list[_Claim]) -> Iterator[list[_Claim]]:
    """Runs of two or more count lines for different statuses, each within a few lines of the previous."""
    run: list[_Claim] = []
    for claim in claims:
        if run and claim[0] - run[-1][0] > _GAP:
            yield from _kept(run)
            run = []
        run.append(claim)
    yield from _kept(run)


def _kept(run: list[_Claim]) -> Iterator[list[_Claim]]:
    if len({c[3] for c in run}) >= 2:
        yield run
