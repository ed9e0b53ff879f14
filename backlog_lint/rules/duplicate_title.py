"""BL302 duplicate-title."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.model import Document, Item
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span
from backlog_lint.workspace.index import whole_run, workspace_index
from backlog_lint.workspace.naming import id_label, is_scoped, item_name
from backlog_lint.workspace.titles import title_key

# a title this short ("Tests", "Docs") may repeat in different sections on purpose
SHORT_TITLE = 12
# not a title: an image's alt text ("![Status](badge.svg)"), a bare code or ID ("M0", "v2")
_UNTITLED_RE = re.compile(r"^(?:!.*|.{0,3}|[a-z]{1,4}[-_ ]?\d+[a-z]?)$")


def titled_items(ctx: Context) -> list[tuple[str, Document, Item]]:
    """(title key, document, item) for every titled item, in path/line order; cached per run."""
    cached = ctx.cache.get("titled_items")
    if isinstance(cached, list):
        return cached
    out = []
    untitled = _UNTITLED_RE.match
    for doc in workspace_index(ctx).docs:
        keys = getattr(doc, "title_keys", None)  # a summary (summary.py) brings them along
        for n, item in enumerate(doc.items):
            if item.kind == "bullet" and not item.id:
                continue  # `- **Files modified:** 5`, a template's `- **Don't batch updates**`: notes, not work
            key = keys[n] if keys is not None else title_key(item.title)
            if key and not untitled(key):
                out.append((key, doc, item))
    ctx.cache["titled_items"] = out
    return out


def _name(item: Item) -> str:
    label = id_label(item)
    return label if label != item.title_raw else "another item"


def same_thing(a: tuple[str, Document, Item], b: tuple[str, Document, Item]) -> bool:
    """Pairs the title rules leave alone: one item seen twice, a duplicate ID (BL301), scoped IDs across files."""
    _, adoc, a_item = a
    _, bdoc, b_item = b
    if a_item is b_item:
        return True
    if a_item.id and a_item.id == b_item.id:
        # left to BL301, which reports it, unless a numbering ID ("Phase 37") repeats in another section:
        # the same item written out twice
        return not (adoc is bdoc and is_scoped(a_item) and a_item.section != b_item.section)
    return adoc is not bdoc and (is_scoped(a_item) or is_scoped(b_item))


def _kind_of(entry: tuple[str, Document, Item]) -> tuple[object, ...]:
    """Entries of one kind answer ``same_thing`` alike, so only the first of each kind is compared with
    later ones (20,000 items sharing an ID and a title cost 20,000 look-ups, not 200 million)."""
    _, doc, item = entry
    return (item.id, id(doc), is_scoped(item)) if item.id else (None, id(item))


@rule("BL302", "duplicate-title", severity=Severity.WARNING)
def duplicate_title(ctx: Context) -> Iterator[Diagnostic]:
    """Two items have the same title.

    ## What it does
    Reports an item whose title equals an earlier item's title, in this file or
    another backlog file, after folding case, spacing, Unicode dashes, Markdown
    markup and mojibake (`â€”` read as `—`). Short titles (under 12 characters)
    only count within one section. Bold-name bullets without an ID are left out:
    repeated, they are a template's notes more often than repeated work. Items that share an ID are left to
    `duplicate-item-id`. Within one item, a task listed twice in the same checklist or task table is
    reported too.

    ## Why is this bad?
    The same work listed twice gets done twice, or gets closed in one place and
    stays open in the other.

    ## Example
    ```markdown
    | Item | Label |
    |------|-------|
    | Optional read-only Route peek | `dx` |
    | Optional read-only route peek | `dx` |
    ```

    ## Use instead
    ```markdown
    | Item | Label |
    |------|-------|
    | Optional read-only route peek | `dx` |
    ```

    ## Fix
    Not fixable: merge the two items (keep the details of both) or retitle one.
    """
    yield from _repeated_tasks(ctx)
    entries = titled_items(ctx)
    checked = ctx.checked
    # a pre-commit run only needs the titles of the checked files: other groups report nothing it keeps
    wanted = None if whole_run(ctx) else {key for key, doc, _ in entries if doc.path in checked}
    # title (and scope) -> the first entry of each kind; a title met once keeps its entry alone (a dict
    # per title was ~40 MB of 100,000 unique titles)
    groups: dict[object, tuple[str, Document, Item] | dict[tuple[object, ...], tuple[str, Document, Item]]] = {}
    for entry in entries:
        key, doc, item = entry
        if wanted is not None and key not in wanted:
            continue
        group: object = key if len(key) >= SHORT_TITLE else (key, f"{doc.path}\0{item.section}")
        earlier = groups.get(group)
        if earlier is None:
            groups[group] = entry
            continue
        if isinstance(earlier, tuple):
            earlier = groups[group] = {_kind_of(earlier): earlier}
        seen = next((e for e in earlier.values() if not same_thing(e, entry)), None)
        earlier.setdefault(_kind_of(entry), entry)
        if seen is None:
            continue
        _, fdoc, fitem = seen
        if doc.path not in checked and fdoc.path not in checked:
            continue
        fspan = fitem.title_span
        yield ctx.report(doc, item.title_span,
                         f"title {item.title!r} repeats the title of {_name(fitem)} at {fdoc.path}:{fspan.line}: "
                         "merge the two items or retitle one",
                         related=((fdoc.path, fspan),))


def _repeated_tasks(ctx: Context) -> Iterator[Diagnostic]:
    """The same task twice in one list of an item's tasks (a checklist, or the rows of its task table)."""
    for doc in ctx.documents():
        for item in doc.items:
            seen: dict[str, int] = {}
            last = 0
            for task in item.tasks:
                if task.span.line > last + 2:
                    seen = {}  # another list ("**Phase 3:**" and its own steps): repeating a step there is planned
                last = task.span.end_line
                key = title_key(task.text)
                if len(key) < SHORT_TITLE:
                    continue
                first = seen.setdefault(key, task.span.line)
                if first != task.span.line:
                    yield ctx.report(doc, task.span,
                                     f"task {task.text[:60]!r} is listed twice in {item_name(item)} (first on line "
                                     f"{first}): delete one, or say how they differ",
                                     related=((doc.path, Span(first, 1, first, 1)),))
