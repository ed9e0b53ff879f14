"""BL124 unclosed-emphasis."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.model import Document
from backlog_lint.rules._markup import children, tokens
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

if TYPE_CHECKING:
    from markdown_it.token import Token

# "(*3 hours)": an asterisk opening a parenthesised note that nothing closes before the ')'
_OPEN_IN_PARENS_RE = re.compile(r"\((?P<star>[*_])(?P<body>[^\s*_()][^*_()]*)\)")


@rule("BL124", "unclosed-emphasis", severity=Severity.WARNING, per_file=True)
def unclosed_emphasis(ctx: Context) -> Iterator[Diagnostic]:
    """Emphasis that does not close where the author meant, leaving a literal `*`.

    ## What it does
    Finds a note in parentheses that starts with `*` or `_` and has no closing
    one (`(*3 hours)`), in a file whose other notes of that kind are written as
    emphasis (`*(2 hours)*`, `(*4 hours*)`); a paragraph written in emphasis
    from its first character to its last (`*Last updated ...*`) that an
    asterisk inside it (`AUR-*`) closes early; and the asterisks of a glob
    read as emphasis around punctuation (`release-*.*.*.gem`).

    ## Why is this bad?
    The unmatched asterisk is shown as a literal `*` and the text is not
    italic as meant (or only partly): the entry looks broken.

    ## Example
    ```markdown
    - Added the side bar. *(2 hours)*
    - Moved the game loop. (*3 hours)
    ```

    ## Use instead
    ```markdown
    - Added the side bar. *(2 hours)*
    - Moved the game loop. *(3 hours)*
    ```

    ## Fix
    Not fixable: close the emphasis (`(*3 hours*)`) or drop the asterisk.
    """
    for doc in ctx.documents():
        text = doc.source.text
        if "*" not in text and "_" not in text:
            continue
        yield from _closed_early(ctx, doc)
        yield from _glob_as_emphasis(ctx, doc)
        if "(*" not in text and "(_" not in text:
            continue
        toks = [t for t in tokens(ctx, doc) if t.type == "inline" and t.map is not None and "(" in t.content
                and ("*" in t.content or "_" in t.content)]
        if not any(_emphasised_note(children(ctx, doc, t)) for t in toks):
            continue  # the file never italicises a note: '(*ptr, error)' is code, not a lost emphasis
        lines = doc.source.lines
        for tok in toks:
            assert tok.map is not None
            for child in children(ctx, doc, tok):
                if child.type != "text" or "(" not in child.content:
                    continue
                for m in _OPEN_IN_PARENS_RE.finditer(child.content):
                    where = _locate(lines, tok.map[0], tok.map[1], m.group(0))
                    if where is None:
                        continue
                    n, col = where
                    yield ctx.report(doc, Span(n, col + 1, n, col + 2),
                                     f"the {m.group('star')!r} in {m.group(0)!r} opens an emphasis nothing closes, so "
                                     f"it shows as a literal {m.group('star')!r}, unlike the file's other "
                                     f"italic notes: close it before the ')'")


def _emphasised_note(children: list[Token]) -> bool:
    """Whether these inline tokens hold a parenthesised note in emphasis: `*(2 hours)*` or `(*2 hours*)`."""
    for i, child in enumerate(children):
        if child.type != "em_open" or i + 1 >= len(children):
            continue
        inside = children[i + 1]
        before = children[i - 1] if i > 0 else None
        if inside.type == "text" and inside.content.startswith("("):
            return True
        if before is not None and before.type == "text" and before.content.endswith("("):
            return True
    return False


def _locate(lines: list[str], first: int, last: int, needle: str) -> tuple[int, int] | None:
    """1-based line and 0-based column of `needle` in lines first..last-1 (0-based)."""
    for i in range(first, min(last, len(lines))):
        at = lines[i].find(needle)
        if at >= 0:
            return i + 1, at
    return None


def _closed_early(ctx: Context, doc: Document) -> Iterator[Diagnostic]:
    """Paragraphs wrapped in one emphasis (`*...*`) whose last mark is left literal."""
    lines = doc.source.lines
    for tok in tokens(ctx, doc):
        if tok.type != "inline" or tok.map is None:
            continue
        content = tok.content.strip()
        if len(content) < 3 or content[0] not in "*_" or content[-1] != content[0]:
            continue
        mark = content[0]
        if content[1] == mark or content[-2] == mark:
            continue  # bold, or a list of globs
        kids = children(ctx, doc, tok)
        if not kids or kids[-1].type != "text" or not kids[-1].content.endswith(mark):
            continue
        n = tok.map[1]
        col = lines[n - 1].rstrip().rfind(mark) + 1
        yield ctx.report(doc, Span(n, col, n, col + 1),
                         f"this text is meant as one emphasis ({mark}...{mark}), but a {mark!r} inside it closes "
                         f"the emphasis early and this last {mark!r} shows literally: escape the inner one "
                         f"('\\{mark}') or put it in backticks")


def _glob_as_emphasis(ctx: Context, doc: Document) -> Iterator[Diagnostic]:
    """`name-*.*.*.gem`: two asterisks of a glob glued to a word, read as emphasis around punctuation."""
    lines = doc.source.lines
    for tok in tokens(ctx, doc):
        if tok.type != "inline" or tok.map is None or "*" not in tok.content or not _GLOB_STAR_RE.search(tok.content):
            continue
        kids = children(ctx, doc, tok)
        for i, kid in enumerate(kids[1:-2], 1):
            before, inner, after = kids[i - 1], kids[i + 1], kids[i + 2]
            if (kid.type != "em_open" or kid.markup != "*" or inner.type != "text" or after.type != "em_close"
                    or before.type != "text" or not before.content[-1:].strip() or _WORDY_RE.search(inner.content)):
                continue
            where = _locate(lines, tok.map[0], tok.map[1], f"*{inner.content}*")
            if where is None:
                continue
            n, col = where
            yield ctx.report(doc, Span(n, col + 1, n, col + len(inner.content) + 3),
                             f"'*{inner.content}*' is read as emphasis around {inner.content!r}, so the asterisks "
                             f"of the glob disappear: put the name in backticks or escape them ('\\*')")


_WORDY_RE = re.compile(r"[^\W_]")
# what a glob's emphasis needs in the source: an asterisk after a non-space, marks that are no letter or digit
# (the first no space either), and the closing asterisk (`-*.*`); a line of `**Bold:**` fields or `**[links]**`
# is then not read inline for it
_GLOB_STAR_RE = re.compile(r"\S\*(?:_|[^\w\s*])(?:_|[^\w*])*\*")
