"""BL207 value-spelling."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Fix, Severity
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

CHECKED = ("status", "priority", "effort", "complexity")


_SEPARATORS_RE = re.compile(r"[\s_-]+")


def _fold(value: str) -> str:
    return _SEPARATORS_RE.sub(" ", value.strip().rstrip(".")).casefold()


@rule("BL207", "value-spelling", fixable=True, severity=Severity.WARNING, preview=True)
def value_spelling(ctx: Context) -> Iterator[Diagnostic]:
    """Value differs from the usual spelling only in case, spacing or a trailing full stop.

    ## What it does
    For Status, Priority, Effort and Complexity, collects how each value is spelt
    across the backlog (and the `status-values` config) and reports spellings that
    differ from the most common one only in case, spacing, hyphens or a final `.`.

    ## Why is this bad?
    `In Progress`, `in progress` and `In-progress.` are one state to a person but
    three to every filter, board and report.

    ## Example
    ```markdown
    ### T-1: Parser
    - **Status:** In Progress

    ### T-2: Cache
    - **Status:** In Progress

    ### T-3: Docs
    - **Status:** in-progress.
    ```

    ## Use instead
    ```markdown
    ### T-1: Parser
    - **Status:** In Progress

    ### T-2: Cache
    - **Status:** In Progress

    ### T-3: Docs
    - **Status:** In Progress
    ```

    ## Fix
    Safe: rewrites the value to the usual spelling.
    """
    counts: Counter[tuple[str, str]] = Counter()
    for _doc, item in ctx.workspace.items():
        for f in item.fields:
            if f.key in CHECKED and f.value and f.style != "frontmatter" and len(f.value) <= 40:
                counts[(f.key, f.value)] += 1
    folded: dict[str, str] = {}  # value -> _fold(value): values repeat, fold each once

    def fold(value: str) -> str:
        out = folded.get(value)
        if out is None:
            out = folded[value] = _fold(value)
        return out

    spellings: dict[tuple[str, str], Counter[str]] = {}
    for (key, value), n in counts.items():
        spellings.setdefault((key, fold(value)), Counter())[value] += n
    preferred: dict[tuple[str, str], str] = {}
    for value in ctx.config.status_values:
        spellings.setdefault(("status", fold(value)), Counter())
    configured_values = ctx.config.origins.get("status-values", "default") != "default"
    by_fold: dict[str, list[str]] = {}  # folded -> the status-values spelt so, in config order
    for value in ctx.config.status_values:
        by_fold.setdefault(fold(value), []).append(value)
    for spelt, counter in spellings.items():
        configured = by_fold.get(spelt[1], []) if spelt[0] == "status" else []
        if configured and configured_values:
            preferred[spelt] = configured[0]
        elif len(counter) > 1:
            best = max(counter.items(), key=lambda kv: (kv[1], not kv[0].endswith("."), kv[0][:1].isupper(), kv[0]))
            preferred[spelt] = best[0]
    for doc in ctx.documents():
        for item in doc.items:
            for f in item.fields:
                if f.key not in CHECKED:
                    continue  # only these keys have a preferred spelling
                want = preferred.get((f.key, fold(f.value)))
                if want is None or f.value == want:
                    continue
                line = doc.source.line(f.value_span.line)
                col = line.find(f.value, f.value_span.col - 1)
                if col < 0 or f.value_span.line != f.value_span.end_line:
                    yield ctx.report(doc, f.value_span, f"{f.key_raw} {f.value!r} is usually written {want!r}")
                    continue
                span = Span(f.value_span.line, col + 1, f.value_span.line, col + len(f.value) + 1)
                yield ctx.report(doc, span, f"{f.key_raw} {f.value!r} is usually written {want!r}",
                                 fix=Fix.replace(span, want, f"Write {want!r}"))
