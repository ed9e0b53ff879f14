"""BL000, BL001, BL003, BL006: problems met while reading and parsing a file (the model keeps them, named
after the rule that reports them)."""

from __future__ import annotations

from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.model import Problem
from backlog_lint.rules._rule import Context, rule


@rule("BL000", "io-error", severity=Severity.ERROR, per_file=True)
def io_error(ctx: Context) -> Iterator[Diagnostic]:
    """File cannot be read (missing, unreadable, a directory, deleted while running).

    ## What it does
    Reports a file that was asked for but could not be read.

    ## Why is this bad?
    Nothing in it can be checked, and a hook that silently skips it would pass.

    ## Fix
    Not fixable: check the path and its permissions.
    """
    return reported(ctx)


@rule("BL001", "invalid-encoding", severity=Severity.ERROR, per_file=True)
def invalid_encoding(ctx: Context) -> Iterator[Diagnostic]:
    """File is not valid UTF-8 text.

    ## What it does
    Reports the first byte that is not valid UTF-8 (with its line and column), UTF-16
    files, and NUL bytes.

    ## Why is this bad?
    Git diffs, GitHub rendering and every tool reading the backlog assume UTF-8; a file
    saved in cp1252 or UTF-16 shows garbage and cannot be checked.

    ## Fix
    Not fixable automatically: re-save the file as UTF-8 (e.g. `iconv -f cp1252 -t utf-8`).
    """
    return reported(ctx)


@rule("BL003", "broken-front-matter", severity=Severity.ERROR, per_file=True)
def broken_front_matter(ctx: Context) -> Iterator[Diagnostic]:
    """YAML front matter cannot be read.

    ## What it does
    Reports front matter that is not valid YAML, is not a mapping, is never closed,
    or expands too many aliases.

    ## Why is this bad?
    Task tools such as Backlog.md read their fields from front matter: a broken block
    silently drops the item's status, labels and dependencies.

    ## Example
    ```markdown
    ---
    id: task-1
    title: "Unclosed quote
    ---
    ```

    ## Use instead
    ```markdown
    ---
    id: task-1
    title: "Closed quote"
    ---
    ```

    ## Fix
    Not fixable: correct the YAML at the reported line.
    """
    return reported(ctx)


@rule("BL006", "unparseable", severity=Severity.ERROR, per_file=True)
def unparseable(ctx: Context) -> Iterator[Diagnostic]:
    """Part of the file is too deep or too pathological to be read.

    ## What it does
    Reports a file whose lists or block quotes nest so deeply that the Markdown parser
    stops (the limit keeps a hostile file from exhausting the stack), and a very long line
    with thousands of `[` whose links are not read (scanning them would take minutes).

    ## Why is this bad?
    Everything below the limit is invisible to backlog-lint, and to most renderers.

    ## Fix
    Not fixable: flatten the nesting, or split or repair the line.
    """
    return reported(ctx)


def reported(ctx: Context) -> Iterator[Diagnostic]:
    """The problems the reader and the parser met of the kind this rule names (its name)."""
    assert ctx.rule is not None
    for doc in ctx.documents():
        for p in doc.problems:
            if p.kind == ctx.rule.name:
                yield ctx.report(doc, p.span, p.message, severity=p.severity)


def as_diagnostic(path: str, p: Problem) -> Diagnostic:
    """A problem as the finding its rule makes of it (for `show`, which runs no rules)."""
    from backlog_lint.rules import ALL_RULES

    r = next(r for r in ALL_RULES if r.name == p.kind)
    return Diagnostic(path, p.span, r.code, r.name, p.message, p.severity)
