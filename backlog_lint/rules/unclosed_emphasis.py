"""BL124 unclosed-emphasis."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._markup import children, tokens
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

if TYPE_CHECKING:
    from markdown_it.token import Token

# "(*3 hours)": an asterisk opening a parenthesised note that nothing closes before the ')'
_OPEN_IN_PARENS_RE = re.compile(r"\((?P<star>[*_])(?P<body>[^\s*_()][^*_()]*)\)")


@rule("BL124", "unclosed-emphasis", severity=Severity.WARNING, per_file=True)
def unclosed_emphasis(ctx: Context) -> Iterator[Diagnostic]:
    """Emphasis opened in a parenthesised note and never closed, in a file that italicises such notes.

    ## What it does
    Finds a note in parentheses that starts with `*` or `_` and has no closing
    one (`(*3 hours)`), in a file whose other notes of that kind are written as
    emphasis (`*(2 hours)*`, `(*4 hours*)`).

    ## Why is this bad?
    The unmatched asterisk is shown as a literal `*` and the note is not
    italic like its siblings: the entry looks broken.

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
