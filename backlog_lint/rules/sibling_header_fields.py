"""BL317 sibling-header-fields (preview)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import PurePosixPath

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.ids import FILE_ID_RE, normalise_id
from backlog_lint.model import Document, Field
from backlog_lint.rules._rule import Context, rule
from backlog_lint.rules._siblings import MIN_SIBLINGS, SHARE, id_families, same_names
from backlog_lint.source import Span
from backlog_lint.vocab import is_done


@rule("BL317", "sibling-header-fields", severity=Severity.INFO, preview=True)
def sibling_header_fields(ctx: Context) -> Iterator[Diagnostic]:
    """Open item file without a header field line its sibling files nearly all carry.

    ## What it does
    Among the item files of one folder named the same way (`TASK-012.md`), and
    among the files of one name in sibling folders (`specs/*/tasks.md`), finds
    an open file without a field line of the file's header (`**Depends on:** ...`,
    `- **Updated:** ...`) that at least four of its siblings, and 80 % of them,
    carry: a file with no header fields at all, or one whose header is written
    like theirs but leaves that line out (and writes it nowhere further down
    either). A file whose header fields are all of other names follows another
    template, and a companion file (`TASK-7-findings.md` beside `TASK-7.md`) is
    no item of its own: both are left alone, and so are keys of front matter
    (tools leave out the keys that are not set).

    In preview: on real backlogs a file without its siblings' header lines was
    as often a later template, or a file generated from another source, as a
    file that forgot a line.

    ## Why is this bad?
    A header line every sibling has (its dependencies, when it was updated)
    missing from one file leaves a reader guessing, and drops the file out of
    whatever is read from those lines.

    ## Example
    ```markdown
    # TASK-5: Export

    **Status:** Open
    ```
    (beside `TASK-1.md` ... `TASK-4.md`, each with `**Status:**` and `**Depends on:**` lines)

    ## Use instead
    ```markdown
    # TASK-5: Export

    **Status:** Open
    **Depends on:** TASK-2
    ```

    ## Fix
    Not fixable: add the missing lines the way the siblings write them.
    """
    for docs in id_families(ctx).values():
        yield from _header_fields(ctx, _items_of(docs), "named like it")
    for (parent, name), docs in same_names(ctx).items():
        where = f"named {name} in the folders of {parent}/" if parent != "." else f"named {name} in sibling folders"
        yield from _header_fields(ctx, docs, where)

def _header(doc: Document) -> list[Field]:
    """The file's own header field lines: the fields of the file as an item, or of its top (no front matter)."""
    fields = [f for it in doc.items if it.kind == "document" for f in it.fields] + list(doc.fields)
    return [f for f in fields if f.style != "frontmatter"]


def _status(ctx: Context, doc: Document) -> str | None:
    """The file's status: the file as an item's, else its header's Status line."""
    for it in doc.items:
        if it.kind == "document" and it.status is not None:
            return it.status
    f = next((f for f in doc.fields if f.key == "status"), None)
    return ctx.config.vocab.status_of(f.value) if f is not None else None


def _items_of(docs: list[Document]) -> list[Document]:
    """The family's item files, less the companions: `TASK-7-findings.md` beside `TASK-7.md` is a file about
    another file's item, not an item of its own (the shortest name with an ID is that ID's item file)."""
    shortest: dict[str, int] = {}
    named: list[tuple[Document, str | None, int]] = []
    for d in docs:
        name = PurePosixPath(d.path).name
        m = FILE_ID_RE.match(name)
        nid = normalise_id(m.group("id")) if m else None
        if nid is not None:
            shortest[nid] = min(shortest.get(nid, len(name)), len(name))
        named.append((d, nid, len(name)))
    return [d for d, nid, n in named if nid is None or n <= shortest[nid]]


def _header_fields(ctx: Context, docs: list[Document], named: str) -> Iterator[Diagnostic]:
    if len(docs) <= MIN_SIBLINGS:
        return
    headers = {d.path: {f.key: f for f in _header(d)} for d in docs}
    counts: Counter[str] = Counter(k for h in headers.values() for k in h)
    names = {k: f.key_raw for h in headers.values() for k, f in h.items()}
    usual = sorted(k for k, n in counts.items() if n >= MIN_SIBLINGS and n >= SHARE * len(docs))
    if not usual:
        return
    for doc in docs:
        own = headers[doc.path]
        # a line written further down (an item of the file carries it) is there, if not where the others put it
        anywhere = {f.key for it in doc.items for f in it.fields} | set(own)
        missing = [k for k in usual if k not in anywhere]
        if not missing or doc.path not in ctx.checked or not doc.source.lines:
            continue
        if own and not set(own) & set(usual):
            continue  # another template's header (Feature / Branch where the others write Input / Status)
        if is_done(_status(ctx, doc), ctx.config.vocab):
            continue  # closed work: what its header leaves out no longer matters
        shown = ", ".join(f"'{names[k]}'" for k in missing)
        have = min(counts[k] for k in missing)
        line = doc.source.lines[0]
        span = Span(1, 1, 1, max(len(line.rstrip()), 1) + 1)
        what = (f"has no header field lines, while {have} of its {len(docs) - 1} sibling files {named} carry {shown}"
                if not own else f"has no {shown} line, which {have} of its {len(docs) - 1} sibling files {named} carry")
        yield ctx.report(doc, span, f"{what}: add {'them' if len(missing) > 1 else 'it'} the way they do",
                         severity=Severity.INFO)
