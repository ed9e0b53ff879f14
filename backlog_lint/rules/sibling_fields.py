"""BL208 sibling-fields."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._rule import Context, rule
from backlog_lint.vocab import is_done
from backlog_lint.workspace.naming import item_name

_TRACKED = ("status", "priority", "effort", "owner", "labels", "dependencies")


@rule("BL208", "sibling-fields", severity=Severity.INFO, per_file=True)
def sibling_fields(ctx: Context) -> Iterator[Diagnostic]:
    """Item lacks a field its siblings have, or names it differently.

    ## What it does
    Among the items of one file written the same way (headings, rows, ...), finds a
    field that nearly all of them carry (at least 4 items and 80 %) and reports the
    items without it; and reports an item that spells the field differently from the
    rest (`Prio` where the others use `Priority`). In a checklist whose entries carry
    field lines of the file's own (`  **Do:** ...`), an entry without one that at
    least 5 entries and 80 % carry is reported too, and so is a heading among the
    headings of its section without a field line (`**Where:** ...`) that at least 5 of
    them and 80 % carry, when its other field lines are the usual ones.

    ## Why is this bad?
    A missing Priority drops an item out of triage; a differently named field is
    invisible to anyone filtering on the usual name.

    ## Example
    ```markdown
    ### T-1: Parser
    - **Priority:** High

    ### T-2: Cache
    - **Priority:** Low

    ### T-3: Docs
    - **Prio:** Low
    ```

    ## Use instead
    ```markdown
    ### T-1: Parser
    - **Priority:** High

    ### T-2: Cache
    - **Priority:** Low

    ### T-3: Docs
    - **Priority:** Low
    ```

    ## Fix
    Not fixable: add or rename the field.
    """
    for doc in ctx.documents():
        # siblings: items written the same way at the same level; an item is compared with them only
        # where the peers of its own section follow the same convention ("## Bugs" items all carrying
        # Severity where the feature sections carry Priority are a convention of that section)
        groups: dict[tuple[str, int], list] = {}
        for item in doc.items:
            if item.kind in ("heading", "bullet", "checklist", "card"):
                groups.setdefault((item.kind, item.level), []).append(item)
        for items in groups.values():
            if len(items) < 3:
                continue
            peers: dict[str, list] = {}
            for it in items:
                peers.setdefault(it.section, []).append(it)
            for key in _TRACKED:
                yield from _check_field(ctx, doc, items, peers, key)
            if items[0].kind == "checklist":
                yield from _house_fields(ctx, doc, items)
            elif items[0].kind == "heading":
                for section_items in peers.values():
                    yield from _house_fields(ctx, doc, section_items, "section")


_SET_ASIDE_RE = re.compile(r"\b(?:superseded|obsolete|dropped|cancell?ed|replaced by|won'?t do)\b", re.IGNORECASE)


def _own_fields(it: Any) -> dict[str, str]:
    return {f.key: f.key_raw for f in it.fields if f.style in ("paragraph", "bullet") and f.key not in _TRACKED}


def _house_fields(ctx: Context, doc: Any, items: list, where: str = "checklist") -> Iterator[Diagnostic]:
    """Checklist entries with field lines of the file's own making (`  **Do:** ...`, `  **Done:** ...`): an
    entry without one that at least 5 siblings, and 80 % of them, carry (an entry set aside is left alone).

    The headings of one section (``where="section"``) are held to the same, but only an item written the
    same way as the rest is: one whose own field lines are all usual ones, short of the missing one (an item
    with a `Purpose` of its own in place of the others' `Goal` is another kind of entry)."""
    items = [it for it in items if not is_done(it.status, ctx.config.vocab) and not _SET_ASIDE_RE.search(it.title)]
    if len(items) < 5:
        return
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    for it in items:
        own = _own_fields(it)
        counts.update(own.keys())
        for k, raw in own.items():
            names.setdefault(k, raw)
    usual = sorted(k for k, n in counts.items() if n * 5 >= len(items) * 4)
    for it in items:
        missing = [k for k in usual if it.get(k) is None]
        if not missing:
            continue
        if where == "section" and (not (keys := set(_own_fields(it))) or not keys <= set(usual)):
            continue
        shown = ", ".join(f"'{names[k]}'" for k in missing)
        have = min(counts[k] for k in missing)
        yield ctx.report(doc, it.title_span,
                         f"{item_name(it)} has no {shown} line, which {have} of the {len(items)} entries of this "
                         f"{where} carry: add {'them' if len(missing) > 1 else 'it'}")


def _check_field(ctx: Context, doc: Any, items: list, peers: dict[str, list], key: str) -> Iterator[Diagnostic]:
    raws = Counter(f.key_raw.casefold() for it in items for f in it.fields if f.key == key)
    have = [it for it in items if it.get(key) is not None]
    if raws and len(raws) > 1:
        usual, usual_n = raws.most_common(1)[0]
        if usual_n * 2 > sum(raws.values()):
            for it in have:
                f = it.get(key)
                if f is None or f.key_raw.casefold() == usual:
                    continue
                near = [p.get(key) for p in peers[it.section] if p is not it and p.get(key) is not None]
                if near and sum(1 for g in near if g.key_raw.casefold() == usual) * 2 <= len(near):
                    continue  # its section spells it its own way
                yield ctx.report(doc, f.key_span,
                                 f"item {it.label!r} names the field {f.key_raw!r} where "
                                 f"{usual_n} sibling item(s) use {_display(items, key, usual)!r}",
                                 severity=Severity.WARNING)
    if len(items) >= 4 and len(have) * 5 >= len(items) * 4 and len(have) < len(items):
        name = _display(items, key, raws.most_common(1)[0][0]) if raws else key
        for it in items:
            if it.get(key) is not None or key in it.inherited or is_done(it.status, ctx.config.vocab):
                continue
            near = [p for p in peers[it.section] if p is not it]
            if near and sum(1 for p in near if p.get(key) is not None) * 2 <= len(near):
                continue  # its section's items go without it
            yield ctx.report(doc, it.title_span,
                             f"item {it.label!r} has no {name!r} field; {len(have)} of "
                             f"{len(items)} sibling items have one")


def _display(items: list, key: str, folded: str) -> str:
    for it in items:
        f = it.get(key)
        if f is not None and f.key_raw.casefold() == folded:
            return f.key_raw
    return folded
