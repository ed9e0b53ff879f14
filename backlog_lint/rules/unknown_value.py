"""BL209 unknown-value."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._rule import Context, rule
from backlog_lint.workspace.vocabulary import Declared, FieldVocabulary, Use, project_vocabulary, slip_of

_NAMES = {"status": "status", "priority": "priority", "effort": "estimate"}


@rule("BL209", "unknown-value", severity=Severity.WARNING)
def unknown_value(ctx: Context) -> Iterator[Diagnostic]:
    """Status, priority or estimate outside the project's own vocabulary.

    ## What it does
    Learns which values the project uses for its statuses, priorities and
    estimates, and reports a value that is an outlier against them:

    - a value outside a declared set: the `status-values` setting, the
      `statuses` of the project's Backlog.md `backlog/config.yml`, or a
      declaration in the file itself (`**Priorities**: P0, P1, P2`, a
      `## Status legend` list, "each item has a status (Open / In progress /
      Done)" in its introduction);
    - with nothing declared, a rare spelling one or two edits away from a value
      the project uses at least three times as often (`Doen` beside `Done`).

    No built-in list decides what is allowed: `Groomed`, `living` or `Erledigt`
    are fine when that is what the project writes. `backlog-lint config
    --show-inferred` prints what was learnt and from where.

    ## Why is this bad?
    Boards, filters and reports group items by these values: an item whose
    status is spelt differently, or is not one the project uses, drops out of
    every view.

    ## Example
    ```markdown
    **Priorities**: P0 (urgent), P1 (next), P2 (later)

    ### T-1: Cache parser output
    - **Priority:** P3
    ```

    ## Use instead
    ```markdown
    **Priorities**: P0 (urgent), P1 (next), P2 (later)

    ### T-1: Cache parser output
    - **Priority:** P2
    ```

    ## Fix
    Not fixable: use one of the project's values, or declare the new one where the others are.
    """
    learnt = project_vocabulary(ctx)
    checked = ctx.checked
    for fv in learnt.fields.values():
        for use in fv.uses:
            if use.doc.path not in checked:
                continue
            declared = fv.declared_for(use.doc)
            if declared is not None:
                yield from _outside(ctx, fv, declared, use)
            else:
                yield from _slip(ctx, fv, use)


def _outside(ctx: Context, fv: FieldVocabulary, declared: Declared, use: Use) -> Iterator[Diagnostic]:
    if use.folded in declared.values:
        return
    if declared.kind == "tool-config" and use.folded == "draft":
        return  # Backlog.md gives its drafts this status, whatever its config lists
    parts = [p.strip() for p in re.split(r"[-/–]", use.folded) if p.strip()]
    if len(parts) > 1 and all(p in declared.values for p in parts):
        return  # "Medium-High": between two declared values
    allowed = ", ".join(repr(v) for v in declared.values.values())
    yield ctx.report(use.doc, use.field.value_span,
                     f"{_NAMES.get(fv.name, fv.name)} {use.field.value.strip()!r} is not one of the values declared "
                     f"{declared.source} ({allowed}): use one of them, or add it there")


def _slip(ctx: Context, fv: FieldVocabulary, use: Use) -> Iterator[Diagnostic]:
    usual = slip_of(fv, use.folded)
    if usual is None:
        return
    vocab = ctx.config.vocab
    if fv.name == "status":
        mine, theirs = vocab.status_of(use.field.value), vocab.status_of(fv.usual(usual))
        if mine is not None and mine != theirs:
            return  # two words for two statuses, not a slip
    spelt = fv.usual(usual)
    yield ctx.report(use.doc, use.field.value_span,
                     f"{_NAMES.get(fv.name, fv.name)} {use.field.value.strip()!r} looks like a slip for {spelt!r}, "
                     f"which the project uses {fv.counts[usual]} times: write {spelt!r}")
