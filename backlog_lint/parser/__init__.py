"""Parse Markdown backlogs into the model (see model.py)."""

from __future__ import annotations

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.model import Document, Section
from backlog_lint.source import DecodeError, SourceText, Span, decode
from backlog_lint.vocab import Vocabulary, default_vocabulary

__all__ = ["parse_bytes", "parse_source", "parse_text"]


def parse_source(st: SourceText, path: str, vocab: Vocabulary | None = None) -> Document:
    """Build the model of one decoded document."""
    from backlog_lint.markdown import parser
    from backlog_lint.parser.blocks import walk
    from backlog_lint.parser.build import _Ctx, build

    last = max(len(st.lines), 1)
    root = Section("", 0, Span(1, 1, last, len(st.lines[-1]) + 1 if st.lines else 1), None)
    doc = Document(path, st, root)
    try:
        tokens = parser().parse(st.normalized)
    except RecursionError:
        doc.problems.append(Diagnostic(path, Span(1, 1, 1, 1), "BL006", "unparseable",
                                       "the Markdown nests too deeply to parse; flatten the nesting", Severity.ERROR))
        return doc
    ctx = _Ctx(path, st, vocab or default_vocabulary(), walk(tokens), doc)
    build(ctx)
    return doc


def parse_text(text: str, path: str = "<text>", vocab: Vocabulary | None = None) -> Document:
    return parse_source(SourceText.from_text(text), path, vocab)


def parse_bytes(data: bytes, path: str, vocab: Vocabulary | None = None) -> Document:
    """Decode and parse; undecodable input gives an empty document with a BL001 finding."""
    try:
        text, bom, _enc = decode(data)
    except DecodeError as exc:
        st = SourceText.from_text("")
        doc = Document(path, st, Section("", 0, Span(1, 1, 1, 1), None))
        doc.problems.append(Diagnostic(path, Span(exc.line, exc.col, exc.line, exc.col + 1), "BL001",
                                       "invalid-encoding", exc.message, Severity.ERROR))
        return doc
    return parse_source(SourceText.from_text(text, bom=bom), path, vocab)
