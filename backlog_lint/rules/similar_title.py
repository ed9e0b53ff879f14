"""BL303 similar-title."""

from __future__ import annotations

import re
import sys
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._rule import Context, rule
from backlog_lint.rules.duplicate_title import same_thing, titled_items
from backlog_lint.workspace.index import whole_run

THRESHOLD = 92  # rapidfuzz token_sort_ratio, 0..100
MIN_LENGTH = 12
MAX_BUCKET = 300  # a blocking word in more titles than this is too common to narrow anything
# when at least this share of the distinct titles are first seen in checked files, compare every pair
# at once, as a full run does, rather than title by title (which pays per title for looking both ways)
EVERY_PAIR_SHARE = 0.2
_NUMBER_RE = re.compile(r"\d+")
_WORD_RE = re.compile(r"\w{2,}")


@rule("BL303", "similar-title", severity=Severity.INFO, preview=True)
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
    if len(entries) < 2:
        return
    # Compare distinct titles only, each by the first item that has it (a later item with the same
    # title is BL302's), and block: two titles >= 92 % alike share nearly every word, so a title is
    # compared only with the titles containing one of its two rarest words (and, the other way
    # round, with the titles whose two rarest words it contains).
    first: dict[str, int] = {}  # title -> index of its first entry
    for idx, e in enumerate(entries):
        if e[0] not in first:
            first[e[0]] = idx
    firsts = list(first.values())  # increasing: titles are numbered in order of first appearance
    best: dict[int, tuple[int, int]] = {}  # later entry -> (score, earlier entry)

    def note(u: int, v: int, score: float) -> None:
        later, earlier = (firsts[v], firsts[u]) if u < v else (firsts[u], firsts[v])
        old = best.get(later)
        if old is None or (int(score), -earlier) > (old[0], -old[1]):
            best[later] = (int(score), earlier)

    checked = ctx.checked
    whole = whole_run(ctx)
    mine = [] if whole else [u for u, i in enumerate(firsts) if entries[i][1].path in checked]
    if not whole and not mine:
        return
    if whole or len(mine) >= EVERY_PAIR_SHARE * len(firsts):
        for u, v, score in _Blocks(list(first), every_key=True).every_match():
            note(u, v, score)
    else:
        # Pre-commit: only pairs with a checked title can give a finding that is kept, but each
        # later title of such a pair needs its best match among all titles, as in a full run.
        blocks = _Blocks(list(first), every_key=False)
        found = {u: blocks.matches(u) for u in mine}
        later_ones = set(mine)
        for u, matches in found.items():
            later_ones.update(v for v, _score in matches if v > u)
        for v in sorted(later_ones):
            known = found.get(v)
            for u, score in blocks.matches(v) if known is None else known:
                if u < v:
                    note(u, v, score)
    for later in sorted(best):
        score, earlier = best[later]
        a, b = entries[earlier], entries[later]
        if not whole and a[1].path not in checked and b[1].path not in checked:
            continue
        if same_thing(a, b) or not _comparable(a[0], b[0]):
            continue
        _, fdoc, fitem = a
        _, doc, item = b
        yield ctx.report(doc, item.title_span,
                         f"title {item.title!r} is {score}% similar to {fitem.title!r} at "
                         f"{fdoc.path}:{fitem.title_span.line}: merge them if they are the same work, "
                         "or make the titles say how they differ",
                         related=((fdoc.path, fitem.title_span),))


class _Blocks:
    """Distinct titles, their words and the blocking between them; comparison keys made on demand."""

    def __init__(self, titles: list[str], *, every_key: bool) -> None:
        from rapidfuzz import fuzz, process  # imported on use: `backlog-lint rule` stays light

        self.ratio = fuzz.ratio
        self.extract = process.extract
        self.titles = titles
        find = _WORD_RE.findall
        # one string per distinct word (interned): 35,000 titles hold 300,000 words but few distinct ones
        self.words = [tuple(set(map(sys.intern, find(t if t.isascii() else t.lower())))) for t in titles]
        postings: defaultdict[str, list[int]] = defaultdict(list)
        for u, ws in enumerate(self.words):
            for w in ws:
                postings[w].append(u)
        self.postings = dict(postings)
        # rarest first, ties by the word itself
        self.rank = {w: n for n, w in enumerate(sorted(postings, key=lambda w: (len(postings[w]), w)))}
        # token_sort_ratio is ratio() over the sorted words: sort once per title, not per comparison
        self.keys: list[str | None] = [" ".join(sorted(t.split())) for t in titles] if every_key \
            else [None] * len(titles)
        self.every_key = every_key
        self._second: dict[int, int] = {}
        # per blocking word: its titles ordered by length, their lengths (and keys, when all are made)
        self._by_length: dict[str, tuple[list[int], list[int], list[str] | None]] = {}

    def key(self, u: int) -> str:
        k = self.keys[u]
        if k is None:
            k = self.keys[u] = " ".join(sorted(self.titles[u].split()))
        return k

    def rare(self, u: int) -> list[str]:
        """The title's two rarest words, leaving out words shared by very many titles ("task", "the")."""
        postings = self.postings
        return [w for w in sorted(self.words[u], key=self.rank.__getitem__)[:2] if len(postings[w]) <= MAX_BUCKET]

    def _is_rare_in(self, w: str, u: int) -> bool:
        """Whether w, one of u's words, is among rare(u): at most one of u's words ranks before it."""
        second = self._second.get(u)
        if second is None:
            ranks = sorted(map(self.rank.__getitem__, self.words[u]))
            second = self._second[u] = ranks[1] if len(ranks) > 1 else ranks[0]
        return self.rank[w] <= second and len(self.postings[w]) <= MAX_BUCKET

    def _block(self, w: str) -> tuple[list[int], list[int], list[str] | None]:
        block = self._by_length.get(w)
        if block is None:
            post = self.postings[w]
            titles = self.titles
            # a key is its title's words reordered: the same length as the title
            lengths = [len(titles[v]) for v in post]
            order = sorted(range(len(post)), key=lengths.__getitem__)
            post = [post[i] for i in order]
            every = self.keys
            keys = [every[v] or "" for v in post] if self.every_key else None
            block = self._by_length[w] = (post, [lengths[i] for i in order], keys)
        return block

    def _slice(self, w: str, n: int) -> tuple[list[int], list[str] | None, int]:
        """The titles with word w whose length lets them reach THRESHOLD against a title of length n.

        ratio() >= 92 needs 100 * |len(a) - len(b)| <= 8 * (len(a) + len(b)).
        """
        post, lengths, keys = self._block(w)
        a = bisect_left(lengths, (92 * n + 107) // 108)
        b = bisect_right(lengths, (108 * n) // 92)
        return post[a:b], keys[a:b] if keys is not None else None, a

    def _scores(self, u: int, others: list[int], keys: list[str] | None) -> Iterator[tuple[int, float]]:
        if not others or (len(others) == 1 and others[0] == u):
            return
        if keys is None:
            keys = [self.key(v) for v in others]
        for _choice, score, pos in self.extract(self.key(u), keys, scorer=self.ratio, score_cutoff=THRESHOLD,
                                                limit=None):
            v = others[pos]
            if v != u:
                yield v, score

    def every_match(self) -> Iterator[tuple[int, int, float]]:
        """(u, v, score) for every title u and every v of forward(u), grouped by blocking word."""
        wanted: dict[str, list[int]] = {}  # blocking word -> the titles it is a rare word of
        for u in range(len(self.titles)):
            for w in self.rare(u):
                wanted.setdefault(w, []).append(u)
        extract, ratio, titles, keys = self.extract, self.ratio, self.titles, self.keys
        for w, users in wanted.items():
            post, lengths, block_keys = self._block(w)
            assert block_keys is not None
            for u in users:
                n = len(titles[u])
                a = bisect_left(lengths, (92 * n + 107) // 108)
                b = bisect_right(lengths, (108 * n) // 92)
                if b - a < 2:
                    continue  # nothing, or only u itself
                for _choice, score, pos in extract(keys[u], block_keys[a:b], scorer=ratio, score_cutoff=THRESHOLD,
                                                   limit=None):
                    v = post[a + pos]
                    if v != u:
                        yield u, v, score

    def forward(self, u: int) -> Iterator[tuple[int, float]]:
        """Titles containing one of u's rare words that score at least THRESHOLD (a title may come twice)."""
        n = len(self.titles[u])
        for w in self.rare(u):
            others, keys, _ = self._slice(w, n)
            yield from self._scores(u, others, keys)

    def matches(self, u: int) -> list[tuple[int, float]]:
        """Every title blocked with u, either way round, that scores at least THRESHOLD."""
        out = list(self.forward(u))
        n = len(self.titles[u])
        reverse: dict[int, None] = {}
        for w in self.words[u]:
            if len(self.postings[w]) > MAX_BUCKET:
                continue  # never anyone's rare word
            others, _keys, _ = self._slice(w, n)
            for v in others:
                if v != u and v not in reverse and self._is_rare_in(w, v):
                    reverse[v] = None
        out.extend(self._scores(u, list(reverse), None))
        return out


def _comparable(a: str, b: str) -> bool:
    """Titles that differ in a number ("Phase 1 tests", "Phase 2 tests") are different items."""
    return sorted(_NUMBER_RE.findall(a)) == sorted(_NUMBER_RE.findall(b))
