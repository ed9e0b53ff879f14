"""The canonical formatter: mdformat (CommonMark + GFM) plus what a backlog needs kept.

``format_text`` rewrites one document into canonical Markdown with mdformat's Python
API and the GFM extension (tables aligned, task lists, strikethrough), wrapping kept
as it is. Around mdformat it keeps what a backlog owner expects untouched:

* YAML front matter: cut off before mdformat, re-attached byte for byte;
* Backlog.md's marker blocks (``<!-- AC:BEGIN -->`` ... ``<!-- AC:END -->``), with a heading
  right above one: byte for byte, as Backlog.md's writer lays them out (see backlog_md.py);
* code blocks (fenced and indented) and HTML blocks at the top level, and fenced code /
  HTML blocks in lists: replaced by a placeholder comment before mdformat and put back
  byte for byte (re-indented to the new list indentation), so fences, info strings,
  tabs and trailing spaces stay as written;
* a table with a row longer than its header: kept as written (mdformat would drop the
  extra cells);
* character references (``&nbsp;``), ``[[wiki links]]`` and link destinations with
  non-ASCII characters or spaces: kept as written (mdformat would decode, escape or
  percent-encode them);
* hard line breaks: in the file's own style - two trailing spaces when every hard break
  in the file uses them, mdformat's backslash otherwise;
* thematic breaks: in the file's own character (``---``, ``***``) instead of mdformat's
  70 underscores; ordered lists are numbered 1, 2, 3 (``number`` option) without
  mdformat's zero padding;
* newlines: mdformat works in LF; the result uses the file's newline style.

Safety: the output is parsed again and its backlog model compared with the input's
(:func:`backlog_lint.format.equivalence.check_equivalent`); any difference raises
:class:`UnsafeFormat`. The output is formatted a second time and must not change
(mdformat is not idempotent on every input), except for `format --check`, which only
needs to know that the file is not canonical (``stable=False``); an input that is already canonical
(output == input) needs neither check, so the steady state costs one tokenisation
and one mdformat run. Each text is read into the model at most once: the caller may pass
the input's model (``model=``), and the first result's model is the second pass's input.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, NamedTuple

from backlog_lint.collector import collect_young
from backlog_lint.format import chunks, one_parse
from backlog_lint.format.protect import _label, _protect, _tag
from backlog_lint.format.restyle import (
    StyleCounts,
    _restore_blocks,
    _restore_inline,
    _restyle,
    add_counts,
    input_style,
    style_counts,
    style_of,
)
from backlog_lint.format.state import MDFORMAT_EXTENSIONS, MDFORMAT_OPTIONS, _Pass

if TYPE_CHECKING:

    from markdown_it.token import Token

    from backlog_lint.config import Config
    from backlog_lint.model import Document
    from backlog_lint.vocab import Vocabulary

from backlog_lint.errors import TooComplex, UnsafeFormat
from backlog_lint.format.equivalence import check_equivalent
from backlog_lint.parser import parse_source
from backlog_lint.source import BOM, SourceText

__all__ = ["MDFORMAT_EXTENSIONS", "MDFORMAT_OPTIONS", "UnsafeFormat", "format_text"]


# The most `format` takes at once (a whole file, or one chunk of a big one): mdformat's token tree and
# render hold about 300 bytes per byte, which stays under 400 MB (issue 19).
FORMAT_MAX_BYTES = 1_000_000

NESTS_TOO_DEEPLY = ("the Markdown nests too deeply to format (Python's recursion limit); flatten the "
                    "nesting, or leave this file out of `format`")


def format_text(text: str, *, path: str = "<text>", config: Config | None = None,
                model: Document | None = None, stable: bool = True, chunk_bytes: int = chunks.CHUNK_BYTES) -> str:
    """Canonical Markdown of one document; same newline style; raises UnsafeFormat.

    ``text`` is the decoded file content without BOM and with the file's own newlines.
    ``model``, when given, must be ``parse_text(text, path, config.vocab)`` (the default
    vocabulary without a config): the caller's parse, used instead of parsing the text again.
    ``stable=False`` skips the second formatting that proves the result stable: enough for
    `format --check`, which only asks whether the file would change (a text that is not
    stable is not canonical either); whatever is written or shown as a diff is proven stable.
    A text bigger than ``2 * chunk_bytes`` is formatted in chunks of at least ``chunk_bytes``
    (chunks.py); without ``stable``, only up to its first chunk that changes.
    """
    if "\x00" in text:
        raise UnsafeFormat(path, ["the text contains NUL characters"])
    bom = BOM if text.startswith(BOM) else ""
    body = text[len(bom):]
    vocab = config.vocab if config is not None else None
    known = model if model is not None and not bom and model.path == path else None
    pieces = split_checked(body, path, chunk_bytes)
    if len(pieces) > 1:
        return bom + _format_chunked(pieces, path, vocab, stable=stable, chunk_bytes=chunk_bytes)
    first, first_model = _format_checked(SourceText.from_text(body), path, vocab, known)
    if first == body:
        return text  # already canonical: format(format(x)) == format(x) == x, nothing to check
    if not stable:
        return bom + first
    second, _ = _format_checked(SourceText.from_text(first), path, vocab, first_model)
    if second != first:
        raise UnsafeFormat(path, ["formatter is not stable on this file", *_first_difference(first, second)])
    return bom + first


def _format_chunked(pieces: list[str], path: str, vocab: Vocabulary | None, *, stable: bool,
                    chunk_bytes: int) -> str:
    """A big text formatted chunk by chunk (chunks.py), each chunk checked against its own model.

    A chunk that does not change needs no check, and it is canonical: the stability pass formats
    only the chunks that changed. Without ``stable`` (`format --check`) the work stops at the first
    chunk that changes, the rest left as it is: that the text would change is all it asks.
    """
    ctx = _context(pieces)
    outs = _format_chunks(pieces, ctx, path, vocab, stop=not stable)
    if not stable:
        return "".join(outs)
    again = _context(outs)
    if again != ctx:  # the result's style is not the input's: format all of it again
        first = "".join(outs)
        second = "".join(_format_chunks(split_checked(first, path, chunk_bytes), again, path, vocab, stop=False))
        if second != first:
            raise UnsafeFormat(path, ["formatter is not stable on this file", *_first_difference(first, second)])
        return first
    line = 0
    for i, (piece, out) in enumerate(zip(pieces, outs, strict=True)):
        if out != piece:
            second = _format_piece(outs, i, path, ctx)
            if second != out:  # as for a whole text: a plain pass that changes the model gives way to a careful one
                model = parse_source(SourceText.from_text(out), path, vocab)
                if check_equivalent(model, parse_source(SourceText.from_text(second), path, vocab)):
                    second = _format_piece(outs, i, path, ctx, model)
            if second != out:
                raise UnsafeFormat(path, ["formatter is not stable on this file",
                                          *_first_difference(out, second, line)])
        line += out.count("\n") or out.count("\r")
    return "".join(outs)


def split_checked(body: str, path: str, chunk_bytes: int = chunks.CHUNK_BYTES) -> list[str]:
    """``body`` in the chunks it is formatted in; raises TooComplex if one is over ``FORMAT_MAX_BYTES``."""
    pieces = chunks.split(body, chunk_bytes)
    line = 1
    for piece in pieces:
        if len(piece) > FORMAT_MAX_BYTES:
            where = f"the file is {len(body) / 1e6:.1f} MB" + (
                "" if len(pieces) == 1 else f"; the part from line {line} is {len(piece) / 1e6:.1f} MB")
            raise TooComplex(path, f"{where} with no place to cut it (a top-level heading, `# ...` after a blank "
                                   "line, in a file without link reference definitions); the Markdown formatter "
                                   "(mdformat) holds about 300 bytes of memory per byte it formats at once, so "
                                   f"`format` takes at most {FORMAT_MAX_BYTES // 1_000_000} MB at once: split the "
                                   "file, or that list, table or section, under more top-level headings, or leave "
                                   "the file out of `format` (`check` reads it)")
        line += piece.count("\n") or piece.count("\r")
    return pieces


def _format_chunks(pieces: list[str], ctx: _Context, path: str, vocab: Vocabulary | None, *,
                   stop: bool) -> list[str]:
    """The chunks formatted one by one with the whole text's style, each checked against its own model.

    As for a whole text (``_format_checked``): plain passes first; if one chunk's model changes, careful
    passes for every chunk, and a refusal with the plain pass's differences if that does not help.
    ``stop``: the chunks after the first that changes are returned as they are.
    """
    plain: list[str] = []
    changes: list[str] = []
    for i, piece in enumerate(pieces):
        out = _format_piece(pieces, i, path, ctx)
        plain.append(out)
        if out == piece:
            continue
        changes = check_equivalent(parse_source(SourceText.from_text(piece), path, vocab),
                                   parse_source(SourceText.from_text(out), path, vocab))
        if changes:
            break
        if stop:
            return plain + pieces[i + 1:]
    if not changes:
        return plain
    failed = len(plain) - 1
    careful: list[str] = []
    for i, piece in enumerate(pieces):
        before = parse_source(SourceText.from_text(piece), path, vocab)
        out = _format_piece(pieces, i, path, ctx, before)
        careful.append(out)
        if out == piece or (i < failed and out == plain[i]):
            continue
        if (i == failed and out == plain[i]) or check_equivalent(before, parse_source(SourceText.from_text(out),
                                                                                   path, vocab)):
            raise UnsafeFormat(path, changes)
        if stop:
            return careful + pieces[i + 1:]
    return careful


def _format_piece(pieces: list[str], i: int, path: str, ctx: _Context, careful: Document | None = None) -> str:
    """Chunk ``i`` formatted, with the blank line that separates it from the next one."""
    st = SourceText.from_text(pieces[i])
    st.newline = ctx.newline  # a last chunk without a line break would otherwise guess "\n"
    out = _format_pass(st, path, careful, ctx._replace(first=i == 0))
    return out + st.newline if out and i < len(pieces) - 1 else out


class _Context(NamedTuple):
    """What a chunk's pass takes from the whole text: the placeholder stem and the file's style."""

    tag: str
    style: tuple[str, bool]
    newline: str  # the file's: chunks are cut only in a file with one newline style (chunks.py)
    first: bool = True


_HR_LINE_RE = re.compile(r"^(?:[ \t>]|[-*+][ \t]|\d{1,9}[.)][ \t])*([-*_])(?:[ \t]*\1){2,}[ \t]*$", re.MULTILINE)
_BREAK_LINE_RE = re.compile(r"(?:  |\\)$", re.MULTILINE)


def _context(pieces: list[str]) -> _Context:
    """The whole text's placeholder stem and style, read chunk by chunk; unread when nothing could set it."""
    from backlog_lint.markdown import block_parser

    tag = _tag("".join(pieces))  # a copy of the text, lowered inside: a few MB at most
    counts: StyleCounts = ((0, 0, 0), 0, 0)
    for piece in pieces:
        norm = SourceText.from_text(piece).normalized
        if not (_HR_LINE_RE.search(norm) or _BREAK_LINE_RE.search(norm)):
            continue  # no thematic break, no hard break: nothing to count
        env: dict[str, Any] = {}
        tokens = block_parser().parse(norm, env)
        _parse_inline(tokens, env)
        counts = add_counts(counts, style_counts(tokens))
    return _Context(tag, style_of(counts), SourceText.from_text(pieces[0]).newline)


def _format_checked(st: SourceText, path: str, vocab: Vocabulary | None,
                    before: Document | None = None) -> tuple[str, Document | None]:
    """One formatting whose model equals the input's: plain, else careful; raises UnsafeFormat.

    ``before`` is the input's model if the caller has it (else it is parsed when needed).
    Returns the result and its model (None if the result is the input and ``before`` was None).
    """
    out = _format_pass(st, path)
    if out == st.text:
        return out, before
    if before is None:
        before = parse_source(st, path, vocab)
    after = parse_source(SourceText.from_text(out), path, vocab)
    changes = check_equivalent(before, after)
    if not changes:
        return out, after
    careful = _format_pass(st, path, before)
    if careful == st.text:
        return careful, before
    if careful != out:
        careful_model = parse_source(SourceText.from_text(careful), path, vocab)
        if not check_equivalent(before, careful_model):
            return careful, careful_model
    raise UnsafeFormat(path, changes)


def _first_difference(a: str, b: str, offset: int = 0) -> list[str]:
    la, lb = a.splitlines(), b.splitlines()
    for n, (x, y) in enumerate(zip(la, lb, strict=False), offset + 1):
        if x != y:
            return [f"line {n} is formatted as {x!r}, then as {y!r}"]
    return [f"{len(la)} lines, then {len(lb)} lines"]


# --------------------------------------------------------------------------- one pass


def _format_pass(st: SourceText, path: str, careful: Document | None = None, ctx: _Context | None = None) -> str:
    """Format once: tokenise, protect, mdformat, restore. Returns text in the file's newline style.

    ``careful`` (the input's model) asks for more protection, used when a plain pass changed
    the model: tables with rows of any other length than the header are kept as written,
    and so are bracketed labels the backlog parser reads as references although Markdown
    has no such link definition (a definition-like line inside a paragraph).
    ``ctx``: the text is a chunk of a bigger one, whose placeholder stem and style it takes.
    """
    from backlog_lint.markdown import block_parser

    norm = st.normalized
    lines = list(st.lines) if norm else []
    env: dict[str, Any] = {}
    parsed: set[int] = set()
    try:
        tokens = block_parser().parse(norm, env)
        _parse_inline(tokens, env, parsed)
    except RecursionError:
        raise TooComplex(path, NESTS_TOO_DEEPLY) from None
    _check_depth(tokens, path)
    fm_end = tokens[0].map[1] if tokens and tokens[0].type == "front_matter" and tokens[0].map else 0
    if not fm_end and lines and lines[0].strip() == "---":
        from backlog_lint.rules.parse_problems import broken_front_matter

        raise UnsafeFormat(path, [f"line 1: '---' opens front matter that is never closed "
                                  f"({broken_front_matter.code}); close it (or remove it) before formatting"])
    state = _Pass(path, ctx.tag if ctx is not None else _tag(norm))
    if careful is not None:
        state.ragged_tables = True
        real = {_label(k) for k in env.get("references", {})}
        state.pseudo_labels = {_label(k) for k in careful.refdefs} - real
    body_lines = _protect(state, lines, tokens, fm_end)
    style = ctx.style if ctx is not None else input_style(tokens)
    md = "\n".join(body_lines) + "\n" if body_lines else ""
    # Nothing set aside: mdformat renders these block tokens (its inline rules run on them) rather
    # than parse the same text again
    one_parse.offer(md, norm, lines, fm_end, tokens, env, frozenset(parsed))
    del tokens  # not held through mdformat's own parse and render (a token is ~350 bytes)
    try:
        out = _mdformat(md, path) if md.strip() else ""
    finally:
        one_parse.handoff.clear()
    collect_young()
    out_lines = out.split("\n")[:-1] if out else []
    _restyle(out_lines, style, at_start=not fm_end and (ctx is None or ctx.first))
    _restore_inline(state, out_lines)
    out = "\n".join(out_lines) + "\n" if out_lines else ""
    out = _restore_blocks(state, out, lines)
    if state.trailing:
        out += "".join(lines[n] + "\n" for n in state.trailing)
    nl = st.newline
    result = out.replace("\n", nl) if nl != "\n" else out
    if fm_end:
        end_offset = st.line_offsets[fm_end] if fm_end < len(st.line_offsets) else len(st.text)
        front = st.text[:end_offset]
        if not front.endswith(("\n", "\r")):
            front += nl
        result = front + (nl + result if result else "")
    return result


MDFORMAT_MAX_NESTING = 20  # markdown-it's default maxNesting, which mdformat keeps: deeper blocks are text to it


def _check_depth(tokens: list[Token], path: str) -> None:
    """Refuse (exit 4) a document that nests deeper than mdformat reads: about 10 lists in lists.

    Beyond that depth mdformat sees plain text where the backlog parser sees lists, so its output
    would change the backlog (a list 10,000 deep was refused as a bug, exit 3).
    """
    for tok in tokens:
        if tok.level > MDFORMAT_MAX_NESTING:
            line = tok.map[0] + 1 if tok.map else 1
            raise TooComplex(path, f"line {line} nests more than {MDFORMAT_MAX_NESTING} blocks deep (lists and "
                                   "block quotes inside each other; about 10 nested lists), deeper than the "
                                   "Markdown formatter reads: flatten the nesting, or leave this file out of "
                                   "`format`")


def _parse_inline(tokens: list[Token], env: dict[str, Any], parsed: set[int] | None = None) -> None:
    """Inline children of the blocks that can hold what a pass looks at: links, images, hard breaks.

    A link or image needs a ``[`` (an autolink a ``<``), a hard break a newline; other
    inline tokens keep no children, which every reader here takes as "nothing of the kind".
    With ``parsed``, a token that mdformat's inline parser reads as ours does (``one_parse.same_inline``)
    is parsed by mdformat's, and its id added to ``parsed``: mdformat's render keeps those children
    rather than parse the same text again (one_parse.render).
    """
    from backlog_lint.markdown import inline_children

    for tok in tokens:
        if tok.type == "inline" and ("[" in tok.content or "<" in tok.content or "\n" in tok.content):
            if parsed is not None and one_parse.same_inline(tok.content):
                one_parse.parse_inline(tok, env)
                parsed.add(id(tok))
            else:
                inline_children(tok, env)


def _mdformat(md: str, path: str) -> str:
    """``mdformat.text(md)`` with our extensions and options; from the pass's own tokens when it handed
    them over (one_parse.py: the text is then parsed once)."""
    import mdformat

    from backlog_lint.format import mdformat_linear

    mdformat_linear.install()
    ready = one_parse.take(md)
    try:
        with mdformat_linear.one_call():
            if ready is not None:
                return one_parse.render(md, *ready)
            return mdformat.text(md, extensions=MDFORMAT_EXTENSIONS, options=MDFORMAT_OPTIONS)
    except RecursionError:
        raise TooComplex(path, NESTS_TOO_DEEPLY) from None
    except Exception as exc:  # mdformat and its plugins assert on some odd inputs
        raise UnsafeFormat(path, [f"mdformat cannot format this file ({type(exc).__name__}: {exc})"]) from None


# --------------------------------------------------------------------------- protection
