"""BL303 similar-title."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._rule import Context, rule
from backlog_lint.rules.duplicate_title import same_thing, titled_items

THRESHOLD = 92  # rapidfuzz token_sort_ratio, 0..100
MIN_LENGTH = 12
MAX_BUCKET = 300  # a blocking word in more titles than this is too common to narrow anything
_NUMBER_RE = re.compile(r"\d+")
_WORD_RE = re.compile(r"\w{2,}")


@rule("BL303", "similar-title", severity=Severity.INFO)
def similar_title(ctx: Context) -> Iterator[Diagnostic]:
    """Two items have nearly the same title.

    ## What it does
    Compares item titles across the backlog with a fuzzy token-sort ratio and
    reports a title that is at least 92% similar to an earlier one (a typo, a
    reordered phrase, a plural) but not equal to it. Titles shorter than 12
    characters, and titles that differ in a number (`Phase 1 tests`, `Phase 2
    tests`), are not compared.

    ## Why is this bad?
    Near-identical titles usually mean the same work was filed twice, in slightly
    different words.

    ## Example
    ```markdown
    - [ ] Add retry policy to the Redis map store
    - [ ] Add retry policies to the Redis map store
    ```

    ## Use instead
    ```markdown
    - [ ] Add retry policy to the Redis map store
    - [ ] Add a timeout to the SQL map store
    ```

    ## Fix
    Not fixable: merge the items if they are the same work, or make the titles say how they differ.
    """
    entries = [e for e in titled_items(ctx) if len(e[0]) >= MIN_LENGTH]
    rows = [i for i, (_, doc, _) in enumerate(entries) if doc.path in ctx.checked]
    if len(entries) < 2 or not rows:
        return
    from rapidfuzz import fuzz, process

    # Compare distinct titles only (exact repeats are BL302's), and block: two titles >= 92 %
    # alike share nearly every word, so a title is compared only with the titles containing
    # one of its two rarest words. Linear-ish on big backlogs instead of every pair.
    by_title: dict[str, list[int]] = {}
    for idx, e in enumerate(entries):
        by_title.setdefault(e[0], []).append(idx)
    titles = list(by_title)
    keys = [" ".join(sorted(t.split())) for t in titles]
    words = [set(_WORD_RE.findall(t.lower())) for t in titles]
    postings: dict[str, list[int]] = {}
    for u, ws in enumerate(words):
        for w in ws:
            postings.setdefault(w, []).append(u)
    index_of = {t: n for n, t in enumerate(titles)}
    checked_u = sorted({index_of[entries[i][0]] for i in rows})
    best: dict[int, tuple[int, int]] = {}  # later entry -> (score, earlier entry)
    for u in checked_u:
        # words shared by very many titles ("task", "the") say nothing: block only on rarer ones
        rare = [w for w in sorted(words[u], key=lambda w: (len(postings[w]), w))[:2] if len(postings[w]) <= MAX_BUCKET]
        candidates = sorted({v for w in rare for v in postings[w] if v != u})
        if not candidates:
            continue
        choices = [keys[v] for v in candidates]
        for _choice, score, pos in process.extract(keys[u], choices, scorer=fuzz.ratio, score_cutoff=THRESHOLD,
                                                   limit=None):
            v = candidates[pos]
            i = _representative(by_title[titles[u]], entries, ctx.checked)
            j = by_title[titles[v]][0]
            later, earlier = (i, j) if i > j else (j, i)
            score = int(score)
            old = best.get(later)
            if old is None or (score, -earlier) > (old[0], -old[1]):
                best[later] = (score, earlier)
    for later in sorted(best):
        score, earlier = best[later]
        a, b = entries[earlier], entries[later]
        if same_thing(a, b) or not _comparable(a[0], b[0]):
            continue
        _, fdoc, fitem = a
        _, doc, item = b
        yield ctx.report(doc, item.title_span,
                         f"title {item.title!r} is {score}% similar to {fitem.title!r} at "
                         f"{fdoc.path}:{fitem.title_span.line}: merge them if they are the same work, "
                         "or make the titles say how they differ",
                         related=((fdoc.path, fitem.title_span),))


def _representative(indices: list[int], entries: list, checked: set[str]) -> int:
    """The first entry of a title that is in a checked file (else the first)."""
    for idx in indices:
        if entries[idx][1].path in checked:
            return idx
    return indices[0]


def _comparable(a: str, b: str) -> bool:
    """Titles that differ in a number ("Phase 1 tests", "Phase 2 tests") are different items."""
    return sorted(_NUMBER_RE.findall(a)) == sorted(_NUMBER_RE.findall(b))
