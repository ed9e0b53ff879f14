"""Convention: a checkbox legend. A file that says what its box markers mean
(`` `[~]` partial · `[x]` done ``, `` - `[~]` dropped ``) gives those markers that meaning: a `[~]`
is open work in a file whose legend calls it partial or in progress, and dropped work where the
legend (or no legend) says so. Only the markers between `[ ]` and `[x]` are read this way: an
empty box is open and a ticked one done whatever a legend says.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from backlog_lint.model import Task
from backlog_lint.parser.context import Ctx
from backlog_lint.vocab import CHECKED_MARKS, Vocabulary

# a marker quoted in code, then the words that name its meaning, up to the next separator
_LEGEND_RE = re.compile(r"`\[(?P<mark>[^\]\sxX])\]`\s*(?:[:=—–-]\s*)?(?P<words>[^`·|/,;(\n]+)")


def checkbox_legend(ctx: Ctx, vocab: Vocabulary) -> dict[str, str]:
    """Marker -> canonical status, from the legend lines of the file (outside code blocks). A marker
    given two different meanings in one file has none."""
    out: dict[str, str] = {}
    clash: set[str] = set()
    for n, line in enumerate(ctx.lines, 1):
        if "`[" not in line or n in ctx.doc.code_lines:
            continue
        for m in _LEGEND_RE.finditer(line):
            status = vocab.status_of(m.group("words").strip(" .*_"))
            if status is None:
                continue
            mark = m.group("mark")
            if out.get(mark, status) != status:
                clash.add(mark)
            out[mark] = status
    for mark in clash:
        del out[mark]
    return out


def apply_legend(tasks: Iterable[Task], legend: dict[str, str]) -> None:
    """Give each task whose marker the legend explains that meaning (``Task.state``)."""
    for root in tasks:
        for t in root.walk():
            if t.marker not in CHECKED_MARKS and t.marker != " " and t.marker in legend:
                t.state = legend[t.marker]
