"""BL126 quote-split."""

from __future__ import annotations

from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._markup import tokens
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

MAX_LINES_AFTER = 60  # how far below the quote its closing quotation mark is looked for


@rule("BL126", "quote-split", severity=Severity.WARNING, per_file=True)
def quote_split(ctx: Context) -> Iterator[Diagnostic]:
    """Quotation begun in a block quote and closed in the paragraphs after it.

    ## What it does
    Finds a block quote that opens a quotation (`> "Act as a product owner ...`)
    whose closing quotation mark comes in a later paragraph outside the quote,
    before the next heading: a blank line without `>` ended the block quote.

    ## Why is this bad?
    Only the first paragraph renders as a quote; the rest of the quoted text
    (a prompt, an e-mail, a requirement) renders as the document's own text.

    ## Example
    ```markdown
    > "Write a backlog for a note-taking app.

    Use three sections and a table."
    ```

    ## Use instead
    ```markdown
    > "Write a backlog for a note-taking app.
    >
    > Use three sections and a table."
    ```

    ## Fix
    Not fixable: start the blank lines and the lines after them with `>` down
    to the end of the quotation.
    """
    for doc in ctx.documents():
        text = doc.source.text
        if ">" not in text or ('"' not in text and "“" not in text):
            continue
        lines = doc.source.lines
        code = doc.code_lines
        for tok in tokens(ctx, doc):
            if tok.type != "blockquote_open" or tok.level != 0 or tok.map is None:
                continue
            first, end = tok.map
            if not _opens(" ".join(lines[first:end])):
                continue
            for n in range(end + 1, min(end + MAX_LINES_AFTER, len(lines)) + 1):
                line = lines[n - 1]
                if line.lstrip().startswith(("#", ">")):
                    break
                if n not in code and _opens(line):
                    yield ctx.report(doc, Span(first + 1, 1, first + 1, len(lines[first]) + 1),
                                     f"the quotation opened in this block quote closes on line {n}, outside the "
                                     f"quote: the blank line after line {end} ended it, so the rest renders as "
                                     f"the document's own text; start the lines down to line {n} with '>'")
                    break


def _opens(text: str) -> bool:
    """Whether the text leaves a quotation mark open (an odd number of '"', or more '“' than '”')."""
    return text.count('"') % 2 == 1 or text.count("“") != text.count("”")
