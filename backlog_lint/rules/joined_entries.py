"""BL122 joined-entries."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.model import Document
from backlog_lint.rules._markup import tokens
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span

_LETTER_RE = re.compile(r"^\s*(?P<letter>[a-z])[.)]\s+\S")
_COMMAND_RE = re.compile(r"^\s*\$\s+\S")
_PATH_RE = re.compile(r"^\s*(?:\.{1,2}/|~/|/[\w.-]+/)\S*")
_LABEL_RE = re.compile(r"[:：]\s*$")
_END_PUNCT_RE = re.compile(r"[.,;:!?。，；：！？]\s*$")
MAX_WORDS = 4  # an entry, not a wrapped sentence: nobody wraps prose every four words
MAX_CHARS = 40


@rule("BL122", "joined-entries", severity=Severity.WARNING, per_file=True)
def joined_entries(ctx: Context) -> Iterator[Diagnostic]:
    """Separate entries written on their own lines without list markers, so they join into one line.

    ## What it does
    Finds a paragraph whose lines are clearly separate entries: lettered steps
    (`a.`, `b.` ...), shell commands (`$ make`), paths, or short bare lines
    (a few words each, no punctuation: column names, features, commands that
    start with the same word).

    ## Why is this bad?
    A single line break inside a paragraph renders as a space: the entries run
    together on one line ("Backlog To do In progress Done") and the list the
    author wrote is gone.

    ## Example
    ```markdown
    Columns

    Backlog
    To do
    In progress
    Done
    ```

    ## Use instead
    ```markdown
    Columns

    - Backlog
    - To do
    - In progress
    - Done
    ```

    ## Fix
    Not fixable: make the lines a list (`- `), a code block for commands, or end
    each line with a backslash to keep the breaks.
    """
    for doc in ctx.documents():
        lines = doc.source.lines
        for tok in tokens(ctx, doc):
            if tok.type != "paragraph_open" or tok.map is None or tok.map[1] - tok.map[0] < 2:
                continue
            first, end = tok.map
            body = lines[first:end]
            if any(line.endswith(("  ", "\\")) or "\t" in line.strip() for line in body[:-1]):
                continue  # hard line breaks: the lines do render apart
            found = _kind(body)
            if found is not None:
                kind, entries = found
                yield _report(ctx, doc, first + entries[0] + 1, first + entries[-1] + 1, lines, kind, len(entries))


def _kind(body: list[str]) -> tuple[str, list[int]] | None:
    """What the entries are and their indexes in the paragraph, if its lines are separate entries."""
    letters = [(i, m.group("letter")) for i, line in enumerate(body) if (m := _LETTER_RE.match(line))]
    if len(letters) >= 2 and "".join(c for _, c in letters) in "abcdefghijklmnopqrstuvwxyz":
        return "lettered steps", [i for i, _ in letters]
    for kind, pattern in (("shell commands", _COMMAND_RE), ("paths", _PATH_RE)):
        hits = [i for i, line in enumerate(body) if pattern.match(line)]
        if len(hits) >= 2:
            return kind, hits
    start = 1 if _LABEL_RE.search(body[0]) and len(body) >= 3 else 0  # "Columns:" over the entries
    entries = body[start:]
    if not all(_short_entry(line) for line in entries):
        return None
    words = [line.split() for line in entries]
    parallel = len({w[0] for w in words}) == 1 or all(w[0][:1].isupper() for w in words)
    return ("short lines", list(range(start, len(body)))) if len(entries) >= 3 or parallel else None


def _short_entry(line: str) -> bool:
    text = line.strip()
    return (0 < len(text.split()) <= MAX_WORDS and len(text) <= MAX_CHARS and not _END_PUNCT_RE.search(text)
            and "**" not in text and "__" not in text and text[:1] not in "*_|<[!>`#-+")


def _report(ctx: Context, doc: Document, first: int, last: int, lines: list[str], kind: str,
            count: int) -> Diagnostic:
    col = len(lines[first - 1]) - len(lines[first - 1].lstrip()) + 1
    return ctx.report(doc, Span(first, col, last, len(lines[last - 1]) + 1),
                      f"these {count} lines look like separate entries ({kind}) but have no list markers, blank "
                      f"lines or line breaks between them, so they render run together as one line: make them a "
                      f"list (or a code block for commands)")
