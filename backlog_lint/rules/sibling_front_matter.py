"""BL210 sibling-front-matter."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.model import Document
from backlog_lint.rules._rule import Context, rule
from backlog_lint.rules._siblings import MIN_SIBLINGS, SHARE, id_families
from backlog_lint.source import Span


@rule("BL210", "sibling-front-matter", severity=Severity.WARNING)
def sibling_front_matter(ctx: Context) -> Iterator[Diagnostic]:
    """Item file without the front matter its sibling files all have.

    ## What it does
    Among the item files of one folder named the same way (`task-12 - Title.md`,
    `TASK-012.md`), finds a file with no YAML front matter when at least four of
    its siblings, and 80 % of them, open with one.

    ## Why is this bad?
    The tool that owns the folder (Backlog.md, a board, a script) reads the
    item's ID, status and dependencies from the front matter: the file drops
    out of every list, and its fields written as bold lines are seen by no one.

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
    Not fixable: move the fields into front matter written like the siblings'.
    """
    for docs in id_families(ctx).values():
        yield from _without_front_matter(ctx, docs)

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
