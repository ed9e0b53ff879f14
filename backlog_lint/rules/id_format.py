"""BL309 id-format."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import PurePosixPath

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.ids import FILE_ID_PREFIX_RE, family_of, loose_key, normalise_id
from backlog_lint.model import Document, Item
from backlog_lint.rules._rule import Context, rule
from backlog_lint.workspace.index import whole_run, workspace_index

_LETTERS_RE = re.compile(r"[A-Za-z]+")


def _case_style(raw: str) -> str | None:
    """'upper', 'lower' or 'title' for the letters of an ID's family part; None if it has none."""
    m = _LETTERS_RE.search(raw)
    if m is None:
        return None
    word = m.group()
    if word.isupper():
        return "upper"
    if word.islower():
        return "lower"
    if word[0].isupper() and word[1:].islower():
        return "title"
    return "mixed"


@rule("BL309", "id-format", severity=Severity.WARNING, preview=True)
def id_format(ctx: Context) -> Iterator[Diagnostic]:
    """Item ID does not follow the project's ID format.

    ## What it does
    - With the `id-pattern` setting, reports item IDs that do not fully match it.
    - Reports IDs of one family spelt in a different case than the rest of the
      project (`task-037` beside `TASK-038`, `TASK-039`), counting definitions and
      references; the less common spelling is reported.
    - For one-item-per-file backlogs (front matter with an `id`), reports a file
      whose name starts with a different ID than the one inside it.

    ## Why is this bad?
    Tools that sort, search or link IDs treat `task-037` and `TASK-037` as two
    different things, and a file named after another item is found under the
    wrong ID.

    ## Example
    ```markdown
    ### TASK-1: Cache parser output

    ### TASK-2: Add a --watch flag
    - **Dependencies:** TASK-1

    ### task-3: Document the cache
    ```

    ## Use instead
    ```markdown
    ### TASK-1: Cache parser output

    ### TASK-2: Add a --watch flag
    - **Dependencies:** TASK-1

    ### TASK-3: Document the cache
    ```

    ## Fix
    Not fixable: rename the ID (and the references to it) to the project's spelling.
    """
    pattern = re.compile(ctx.config.id_pattern) if ctx.config.id_pattern else None
    index = workspace_index(ctx)
    families: set[str] | None = None
    if not whole_run(ctx):  # only the families of the checked files' IDs are looked up
        families = {fam for doc in ctx.documents() for item in doc.items
                    if item.id and item.id_raw and (fam := family_of(item.id))}
    styles = _family_styles(index.docs, families) if families is None or families else {}
    for doc in ctx.documents():
        for item in doc.items:
            if not item.id or not item.id_raw:
                continue
            span = item.id_span or item.title_span
            if pattern is not None and pattern.fullmatch(item.id_raw) is None:
                yield ctx.report(doc, span,
                                 f"item ID {item.id_raw!r} does not match the id-pattern {ctx.config.id_pattern!r}: "
                                 "rename it to the project's format")
                continue
            fam = family_of(item.id)
            style = _case_style(item.id_raw)
            counts = styles.get(fam or "")
            if fam and style and counts and len(counts) > 1 and not _is_word_form(item.id_raw):
                usual = max(counts, key=lambda s: (counts[s], s == "upper"))
                if style != usual:
                    example = _respell(item.id_raw, usual)
                    yield ctx.report(doc, span,
                                     f"item ID {item.id_raw!r} is spelt in {style} case, but {counts[usual]} of the "
                                     f"{sum(counts.values())} {fam} IDs in the project use {usual} case: "
                                     f"write it {example!r}")
            if item.kind == "document" and doc.front_matter and "id" in doc.front_matter:
                yield from _file_name(ctx, doc, item)


def _family_styles(docs: list[Document], families: set[str] | None = None) -> dict[str, Counter[str]]:
    """How often each family's IDs are spelt in each case, over definitions and references.

    With ``families``, only those families need to be right (spellings that cannot be of one of
    them, by their first letter, are not looked at).
    """
    out: dict[str, Counter[str]] = {}
    leads = None if families is None else {fam[0] for fam in families}
    # IDs are spelt many times over (definitions, references): judge each spelling once
    judged: dict[tuple[str, str], tuple[str, str] | None] = {}
    by_target: dict[str, tuple[str, str] | None] = {}
    for doc in docs:
        for item in doc.items:
            if item.id and item.id_raw:
                spelling = (item.id, item.id_raw)
                if spelling in judged:
                    found = judged[spelling]
                else:
                    found = judged[spelling] = None if leads is not None and item.id[:1] not in leads \
                        else _judge(item.id, item.id_raw)
                if found is not None:
                    out.setdefault(found[0], Counter())[found[1]] += 1
            for ref in item.refs:
                if ref.kind != "id" or ref.source == "text":
                    continue
                raw = ref.target
                if raw in by_target:
                    found = by_target[raw]
                elif leads is not None and raw.isascii() and raw.upper().strip().lstrip("#")[:1] not in leads:
                    found = by_target[raw] = None  # its normalised ID starts with another letter
                else:
                    found = by_target[raw] = _judge(normalise_id(raw), raw)
                if found is not None:
                    out.setdefault(found[0], Counter())[found[1]] += 1
    return out


def _judge(nid: str, raw: str) -> tuple[str, str] | None:
    """(family, case style) of one spelling of an ID, or None when it does not count."""
    fam = family_of(nid)
    style = _case_style(raw)
    return (fam, style) if fam and style and not _is_word_form(raw) else None


def _respell(raw: str, style: str) -> str:
    m = _LETTERS_RE.search(raw)
    if m is None:
        return raw
    word = m.group()
    new = {"upper": word.upper(), "lower": word.lower(), "title": word.capitalize()}.get(style, word)
    return raw[: m.start()] + new + raw[m.end():]


_WORD_FORM_RE = re.compile(r"^[A-Za-z]+\s")


def _is_word_form(raw: str) -> bool:
    """'Phase 1', 'Ticket #7': words, whose case follows the sentence, not an ID convention."""
    return bool(_WORD_FORM_RE.match(raw))


def _file_name(ctx: Context, doc: Document, item: Item) -> Iterator[Diagnostic]:
    name = PurePosixPath(doc.path.replace("\\", "/")).name
    m = FILE_ID_PREFIX_RE.match(name)
    if m is None or item.id is None:
        return
    in_name = normalise_id(m.group("id"))
    if in_name == item.id or loose_key(in_name) == loose_key(item.id):
        return
    yield ctx.report(doc, item.id_span or item.title_span,
                     f"front matter id {item.id_raw!r} differs from the ID {m.group('id')!r} in the file name "
                     f"{name!r}: rename the file or fix the id")
