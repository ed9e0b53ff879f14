"""BL315 listed-name-pattern."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

# a list entry that starts with a file name: "- [x] 11-02-PLAN.md — ...", "- `03-01-PLAN.md` ..."
_ENTRY_RE = re.compile(
    r"^\s*(?:[-*+]|\d{1,4}[.)])\s+(?:\[.\]\s+)?(?:`|\[|\*\*)?(?P<name>[\w.-]+\.(?:md|markdown|txt|ya?ml|json))"
    r"(?:`|\]\([^)]*\)|\*\*)?(?:\s|$)"
)
_SLUG_RE = re.compile(r"-[a-z][a-z0-9-]*(?=\.\w+$)")  # a lower-case slug before the extension: "-schema-and-tests"
_NUMBER_RE = re.compile(r"\d+(?:\.\d+)*")
_LETTERS_RE = re.compile(r"[^\W\d_]+")
_MIN_NAMES = 8
_SHARE = 0.8


def _pattern(name: str) -> str:
    """The shape of a file name: its numbers as N, a trailing lower-case slug left out (`NN-NN-PLAN.md`)."""
    return _NUMBER_RE.sub("N", _SLUG_RE.sub("", name))


@rule("BL315", "listed-name-pattern", severity=Severity.WARNING, preview=True, per_file=True)
def listed_name_pattern(ctx: Context) -> Iterator[Diagnostic]:
    """Listed file named in another pattern than the rest.

    ## What it does
    Reads the list entries of a file that start with a file name (`- [x]
    04-02-PLAN.md - ...`) and learns their naming pattern, numbers read as `N`
    (`N-N-PLAN.md`). When at least 8 names are listed and 80 % follow one pattern,
    reports the entries whose name has the same words in another pattern
    (`12-PLAN-01.md`), once per run of consecutive entries. Names of other files
    (`TASKS.md` beside the plans) are not counted, and a lower-case slug before the
    extension (`04-01-PLAN-offline-mode.md`) is no part of the pattern.

    ## Why is this bad?
    Tools and people find the files by their pattern (`ls 12-*-PLAN.md`, sorting by
    phase and plan): a file named the other way round sorts elsewhere and is missed.

    ## Example
    ```markdown
    - [x] 01-01-PLAN.md - schema
    - [x] 01-02-PLAN.md - API
    - [x] 02-01-PLAN.md - UI shell
    - [x] 02-02-PLAN.md - forms
    - [x] 03-01-PLAN.md - search
    - [x] 03-02-PLAN.md - filters
    - [x] 04-01-PLAN.md - export
    - [x] 04-02-PLAN.md - import
    - [ ] 05-PLAN-01.md - sync
    ```

    ## Use instead
    ```markdown
    - [x] 01-01-PLAN.md - schema
    - [x] 01-02-PLAN.md - API
    - [x] 02-01-PLAN.md - UI shell
    - [x] 02-02-PLAN.md - forms
    - [x] 03-01-PLAN.md - search
    - [x] 03-02-PLAN.md - filters
    - [x] 04-01-PLAN.md - export
    - [x] 04-02-PLAN.md - import
    - [ ] 05-01-PLAN.md - sync
    ```

    ## Fix
    Not fixable: rename the file (and the entry) to the usual pattern.
    """
    for doc in ctx.documents():
        listed: list[tuple[int, str, str, int]] = []  # (line, name, pattern, column)
        for n, line in enumerate(doc.source.lines, 1):
            if n in doc.code_lines or "." not in line:
                continue
            m = _ENTRY_RE.match(line)
            if m is not None:
                listed.append((n, m.group("name"), _pattern(m.group("name")), m.start("name")))
        if len(listed) < _MIN_NAMES:
            continue
        counts = Counter(p for _, _, p, _ in listed)
        usual, times = counts.most_common(1)[0]
        words = set(_LETTERS_RE.findall(usual))
        # the files of the scheme: names with the usual one's words (not the TASKS.md beside the plans)
        listed = [e for e in listed if words <= set(_LETTERS_RE.findall(e[2]))]
        if len(listed) < _MIN_NAMES or times < _SHARE * len(listed):
            continue
        example = next((n, name) for n, name, p, _ in listed if p == usual)
        previous: tuple[int, str] | None = None  # (line, pattern) of the last entry reported or followed
        for k, (n, name, pattern, col) in enumerate(listed):
            run = previous is not None and previous == (n - 1, pattern)
            previous = (n, pattern)
            if pattern == usual or run:
                continue
            more = 0
            while k + more + 1 < len(listed) and listed[k + more + 1][0] == n + more + 1 \
                    and listed[k + more + 1][2] == pattern:
                more += 1
            also = f" (and {more} more below it)" if more else ""
            yield ctx.report(doc, Span(n, col + 1, n, col + len(name) + 1),
                             f"{name!r}{also} is named {pattern!r}, while {times} of the {len(listed)} such files "
                             f"listed in this file are named {usual!r} (like {example[1]!r} on line {example[0]}): "
                             "rename it to the usual pattern")
