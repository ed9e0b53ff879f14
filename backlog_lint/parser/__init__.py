"""Parse Markdown backlogs into the model (see model.py)."""

from __future__ import annotations

from typing import Any

from backlog_lint.diagnostics import Severity
from backlog_lint.model import INVALID_ENCODING, UNPARSEABLE, Document, Problem, Section
from backlog_lint.source import DecodeError, SourceText, Span, decode
from backlog_lint.vocab import Vocabulary, default_vocabulary

__all__ = ["LONG_LINE", "MAX_BRACKETS", "parse_bytes", "parse_source", "parse_text"]


def parse_source(st: SourceText, path: str, vocab: Vocabulary | None = None,
                 marks: dict[str, Any] | None = None) -> Document:
    """Build the model of one decoded document.

    ``marks``, a dict, gets the markup rules' marks of the document (``"marks"``, ``"env"``), made in
    the same walk of its tokens, unless it has too many to hold through the parse (``SHARED_MARKS``)
    or its text had to be changed for the parser (very long lines).
    """
    from backlog_lint.parser.blocks import parse_blocks
    from backlog_lint.parser.build import build
    from backlog_lint.parser.context import Ctx

    last = max(len(st.lines), 1)
    root = Section("", 0, Span(1, 1, last, len(st.lines[-1]) + 1 if st.lines else 1), None)
    doc = Document(path, st, root)
    text = as_read = st.normalized
    if len(text) > LONG_LINE:
        text = _defuse_long_lines(text, doc)
    env: dict = {}
    writer = None
    if marks is not None and text is as_read:  # (the rules read the text as written)
        from backlog_lint.marks import SHARED_MARKS, MarkWriter

        writer = MarkWriter(SHARED_MARKS)
    try:
        blocks = parse_blocks(text, env, writer)
    except RecursionError:
        doc.problems.append(Problem(UNPARSEABLE, Span(1, 1, 1, 1),
                                    "the Markdown nests too deeply to parse; flatten the nesting"))
        return doc
    kept = writer.done() if writer is not None else None
    if kept is not None and marks is not None:
        marks["marks"], marks["env"] = kept, dict(env)  # the rules' own copy of the definitions
    del writer  # its line numbers and short texts are not held through the build
    ctx = Ctx(path, st, vocab or default_vocabulary(), blocks, doc, env=env)
    build(ctx)
    return doc


LONG_LINE = 20_000  # characters; shorter lines are parsed as they are
MAX_BRACKETS = 2_000  # unmatched-bracket runs beyond this make markdown-it's link scan quadratic


def _defuse_long_lines(text: str, doc: Document) -> str:
    """Blank the brackets of pathological very long lines for the Markdown parser only.

    markdown-it-py rescans for a link label at every `[`: a line of a million brackets takes
    minutes. On such a line (rare, generated or broken) brackets are replaced by spaces of the
    same length, so every position stays valid; the line's links are not read, and a BL006
    finding says so.
    """
    lines = text.split("\n")
    changed = False
    start = 0
    if lines and lines[0].rstrip() == "---":  # front matter is YAML, read by its own loader
        start = next((i + 1 for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), 0)
    for i, line in enumerate(lines):
        if i < start:
            continue
        if len(line) > LONG_LINE and line.count("[") > MAX_BRACKETS:
            lines[i] = line.replace("[", " ").replace("]", " ")
            changed = True
            doc.problems.append(Problem(
                UNPARSEABLE, Span(i + 1, 1, i + 1, len(line) + 1),
                f"line {i + 1} has {line.count('[')} '[' in {len(line)} characters: too many for the Markdown "
                "parser, so its links are not read; split or fix the line", Severity.WARNING))
    return "\n".join(lines) if changed else text


def parse_text(text: str, path: str = "<text>", vocab: Vocabulary | None = None) -> Document:
    return parse_source(SourceText.from_text(text), path, vocab)


def parse_bytes(data: bytes, path: str, vocab: Vocabulary | None = None,
                marks: dict[str, Any] | None = None) -> Document:
    """Decode and parse; undecodable input gives an empty document with an invalid-encoding problem."""
    try:
        text, bom, _enc = decode(data)
    except DecodeError as exc:
        st = SourceText.from_text("")
        doc = Document(path, st, Section("", 0, Span(1, 1, 1, 1), None))
        doc.problems.append(Problem(INVALID_ENCODING, Span(exc.line, exc.col, exc.line, exc.col + 1), exc.message))
        return doc
    return parse_source(SourceText.from_text(text, bom=bom), path, vocab, marks)
