"""BL210 sibling-front-matter."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import PurePosixPath

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.ids import FILE_ID_RE, family_of, normalise_id
from backlog_lint.model import Document, Field
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span
from backlog_lint.vocab import is_done

MIN_SIBLINGS = 4  # files of the family besides the one reported
SHARE = 0.8


@rule("BL210", "sibling-front-matter", severity=Severity.WARNING)
def sibling_front_matter(ctx: Context) -> Iterator[Diagnostic]:
    """Item file without the front matter or header fields its sibling files all have.

    ## What it does
    Among the item files of one folder named the same way (`task-12 - Title.md`,
    `TASK-012.md`), finds a file with no YAML front matter when at least four of
    its siblings, and 80 % of them, open with one.

    Among those files, and among the files of one name in sibling folders
    (`specs/*/tasks.md`), it also finds an open file without a field line of the
    file's header (`**Depends on:** ...`, `- **Updated:** ...`) that at least
    four of its siblings, and 80 % of them, carry: a file with no header fields
    at all, or one whose header is written like theirs but leaves that line out
    (and writes it nowhere further down either). A file whose header fields are
    all of other names follows another template, and a companion file
    (`TASK-7-findings.md` beside `TASK-7.md`) is no item of its own: both are
    left alone, and so are keys of front matter (tools leave out the keys that
    are not set).

    ## Why is this bad?
    The tool that owns the folder (Backlog.md, a board, a script) reads the
    item's ID, status and dependencies from the front matter: the file drops
    out of every list, and its fields written as bold lines are seen by no one.
    A header line every sibling has (its dependencies, when it was updated)
    missing from one file leaves a reader guessing, and drops the file out of
    whatever is read from those lines.

    ## Example
    ```markdown
    # Task 110: Polymorphic call edges

    **Status:** Ready
    ```
    (in `tasks/`, beside files that start with `---` / `id: task-109` / `status: To Do`)

    ## Use instead
    ```markdown
    ---
    id: task-110
    title: Polymorphic call edges
    status: Ready
    ---
    ```

    ## Fix
    Not fixable: move the fields into front matter written like the siblings', or add the missing lines.
    """
    families: dict[tuple[str, str], list[Document]] = defaultdict(list)
    same_name: dict[tuple[str, str], list[Document]] = defaultdict(list)
    for doc in ctx.workspace.documents:
        p = PurePosixPath(doc.path)
        m = FILE_ID_RE.match(p.name)
        fam = family_of(normalise_id(m.group("id"))) if m else None
        if fam:
            families[(str(p.parent), fam)].append(doc)
        elif p.parent.name:
            same_name[(str(p.parent.parent), p.name)].append(doc)
    for docs in families.values():
        yield from _without_front_matter(ctx, docs)
        yield from _header_fields(ctx, _items_of(docs), "named like it")
    for (parent, name), docs in same_name.items():
        where = f"named {name} in the folders of {parent}/" if parent != "." else f"named {name} in sibling folders"
        yield from _header_fields(ctx, docs, where)


def _without_front_matter(ctx: Context, docs: list[Document]) -> Iterator[Diagnostic]:
    with_fm = [d for d in docs if d.front_matter_span is not None]
    without = [d for d in docs if d.front_matter_span is None]
    if len(with_fm) < MIN_SIBLINGS or len(with_fm) < SHARE * len(docs):
        return
    keys = _usual_keys(with_fm)
    for doc in without:
        if doc.path not in ctx.checked or not doc.source.lines:
            continue
        fields = [f for it in doc.items[:1] for f in it.fields if f.style != "frontmatter"]
        how = (f"; its fields are written as {fields[0].style} lines (line {fields[0].span.line})"
               if fields else "")
        line = doc.source.lines[0]
        yield ctx.report(doc, Span(1, 1, 1, max(len(line.rstrip()), 1) + 1),
                         f"no front matter, while {len(with_fm)} of the {len(docs) - 1} sibling files "
                         f"named like it open with one ({keys}){how}: write this file's fields the same way")


def _usual_keys(docs: list[Document]) -> str:
    """The front-matter keys most siblings share, for the message ("id, title, status")."""
    counts: dict[str, int] = defaultdict(int)
    for d in docs:
        if d.items and d.items[0].kind == "document":
            for f in d.items[0].fields:
                if f.style == "frontmatter":
                    counts[f.key_raw] += 1
    common = [k for k, n in sorted(counts.items(), key=lambda kv: -kv[1]) if n * 2 >= len(docs)][:4]
    return ", ".join(common) if common else "---"


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
