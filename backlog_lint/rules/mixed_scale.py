"""BL503 mixed-scale."""

from __future__ import annotations

from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.model import Field
from backlog_lint.rules._rule import Context, rule
from backlog_lint.vocab import priority_of
from backlog_lint.workspace.titles import level_marker, repaired

_SCALES = {"p": "P0-P5", "word": "Critical/High/Medium/Low"}


@rule("BL503", "mixed-scale", severity=Severity.WARNING, per_file=True)
def mixed_scale(ctx: Context) -> Iterator[Diagnostic]:
    """Priorities in one file use two scales, or mark one level two ways.

    ## What it does
    Within one file, reports Priority values written on a second scale
    (`P1`/`P2` beside `High`/`Deferred`) - once, at the first value of the less
    used scale - and a priority level written with different colour markers
    (`🔴 P1` beside `🟡 P1`), at the first value with the less used marker (on a tie,
    the marker the file also gives another level).

    ## Why is this bad?
    Sorting and filtering by priority needs one scale; a reader cannot tell
    whether `High` is above or below `P1`, or why two P1 items have different
    colours.

    ## Example
    ```markdown
    ### TODO-1: Cache parser output
    - **Priority:** 🔴 P1

    ### TODO-2: Add a --watch flag
    - **Priority:** 🟡 P1

    ### TODO-3: Document the cache
    - **Priority:** High
    ```

    ## Use instead
    ```markdown
    ### TODO-1: Cache parser output
    - **Priority:** 🔴 P1

    ### TODO-2: Add a --watch flag
    - **Priority:** 🔴 P1

    ### TODO-3: Document the cache
    - **Priority:** 🟡 P2
    ```

    ## Fix
    Not fixable: pick one scale (and one marker per level) and rewrite the other values.
    """
    for doc in ctx.documents():
        by_scale: dict[str, list[tuple[Field, str]]] = {}
        by_level: dict[str, dict[str, list[Field]]] = {}
        for item in doc.items:
            f = item.get("priority")
            if f is None or not f.value_raw.strip():
                continue
            level = priority_of(f.value_raw)
            if level is None:
                continue
            scale = "p" if level.startswith("P") and level[1:].isdigit() else "word"
            by_scale.setdefault(scale, []).append((f, level))
            emoji = level_marker(f.value_raw)
            if emoji is not None:
                by_level.setdefault(level, {}).setdefault(emoji, []).append(f)
        if len(by_scale) > 1:
            ranked = sorted(by_scale, key=lambda s: (len(by_scale[s]), s == "p"), reverse=True)
            usual, minority = ranked[0], ranked[1]
            f, _ = by_scale[minority][0]
            other, _ = by_scale[usual][0]
            yield ctx.report(doc, f.value_span,
                             f"priority {_shown(f)!r} is on the {_SCALES[minority]} scale, but "
                             f"{len(by_scale[usual])} other priorities in this file use {_SCALES[usual]} "
                             f"(like {_shown(other)!r} on line {other.span.line}); "
                             f"{len(by_scale[minority])} use this scale: pick one scale for the file",
                             related=((doc.path, other.value_span),))
        for level, marks in by_level.items():
            if len(marks) < 2:
                continue
            # the usual marker: the most used; on a tie, one the file gives no other level (🟡 on P1 and on
            # Medium is the odd one beside 🔴 on P1 alone), then the first written
            elsewhere = {e for other, m in by_level.items() if other != level for e in m}
            ranked_marks = sorted(marks, key=lambda e: (len(marks[e]), e not in elsewhere, -marks[e][0].span.line),
                                  reverse=True)
            usual_mark = ranked_marks[0]
            first_usual = marks[usual_mark][0]
            for mark in ranked_marks[1:]:
                f = marks[mark][0]
                times = f" ({len(marks[mark])} times)" if len(marks[mark]) > 1 else ""
                yield ctx.report(doc, f.value_span,
                                 f"priority {_shown(f)!r} marks {level} with {mark}{times}, but line "
                                 f"{first_usual.span.line} marks it with {usual_mark}: use one marker per level",
                                 related=((doc.path, first_usual.value_span),))


def _shown(f: Field) -> str:
    return repaired(f.value_raw.strip()).strip("*_` ")
