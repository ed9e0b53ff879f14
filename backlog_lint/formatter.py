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
(:func:`backlog_lint.equivalence.check_equivalent`); any difference raises
:class:`UnsafeFormat`. The output is formatted a second time and must not change
(mdformat is not idempotent on every input), except for `format --check`, which only
needs to know that the file is not canonical (``stable=False``); an input that is already canonical
(output == input) needs neither check, so the steady state costs one tokenisation
and one mdformat run. Each text is read into the model at most once: the caller may pass
the input's model (``model=``), and the first result's model is the second pass's input.
"""

from __future__ import annotations

import html.entities
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from backlog_lint.equivalence import check_equivalent
from backlog_lint.errors import TooComplex, UnsafeFormat
from backlog_lint.parser import parse_source
from backlog_lint.parser.patterns import split_cells
from backlog_lint.source import BOM, SourceText

if TYPE_CHECKING:
    from collections.abc import Iterable

    from markdown_it.token import Token

    from backlog_lint.config import Config
    from backlog_lint.model import Document
    from backlog_lint.vocab import Vocabulary

__all__ = ["MDFORMAT_EXTENSIONS", "MDFORMAT_OPTIONS", "UnsafeFormat", "format_text"]

# mdformat 1.x options (mdformat/_conf.py DEFAULT_OPTS): keep line wrapping as written,
# number ordered lists 1, 2, 3 rather than 1, 1, 1.
MDFORMAT_OPTIONS: dict[str, object] = {"wrap": "keep", "number": True}
MDFORMAT_EXTENSIONS = frozenset({"gfm"})

_HR = "_" * 70  # mdformat's thematic break
_ENTITY_RE = re.compile(r"(?<!\\)&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_WIKILINK_RE = re.compile(r"(?<!\\)\[\[[^\[\]\n]*\]\](?![(:])")
_ODD_BACKSLASHES_RE = re.compile(r"(?<!\\)(?:\\\\)*\\$")
_PADDED_MARKER_RE = re.compile(r"^(?:[ >]|[-*+] |\d+[.)] )*0\d*[.)](?: |$)")
_EMPTY_TASK_RE = re.compile(r"^(?P<pre>[ >]*(?:[-*+]|\d+[.)]) )\\\[(?P<mark>[ xX])\\\]$")
_NESTED_PREFIX_RE = re.compile(r"^ *(?:(?:[-*+]|\d+[.)]) +)?$")
_REFDEF_RE = re.compile(r"^ {0,3}\[(?P<label>(?:[^\]\\\n]|\\.)+)\]:[ \t]*")
_PSEUDO_REFERENCE_RE = re.compile(r"(?<![\\!\]])\[([^\[\]\n]+)\](?:\[([^\[\]\n]*)\])?")
_ROW_RE = re.compile(r"^(?P<prefix>(?:[ >]|[-*+] |\d+[.)] )*)\|.*\|$")
_DELIMITER_CELL_RE = re.compile(r"^:?-+:?$")
_BRACKETED_RE = re.compile(r"\[((?:[^\[\]\\]|\\.)+)\]")
_UNESCAPED_PIPE_RE = re.compile(r"(?<!\\)\|")
_ASCII_CTRL = frozenset(chr(c) for c in (*range(32), 127))


NESTS_TOO_DEEPLY = ("the Markdown nests too deeply to format (Python's recursion limit); flatten the "
                    "nesting, or leave this file out of `format`")


def format_text(text: str, *, path: str = "<text>", config: Config | None = None,
                model: Document | None = None, stable: bool = True) -> str:
    """Canonical Markdown of one document; same newline style; raises UnsafeFormat.

    ``text`` is the decoded file content without BOM and with the file's own newlines.
    ``model``, when given, must be ``parse_text(text, path, config.vocab)`` (the default
    vocabulary without a config): the caller's parse, used instead of parsing the text again.
    ``stable=False`` skips the second formatting that proves the result stable: enough for
    `format --check`, which only asks whether the file would change (a text that is not
    stable is not canonical either); whatever is written or shown as a diff is proven stable.
    """
    if "\x00" in text:
        raise UnsafeFormat(path, ["the text contains NUL characters"])
    bom = BOM if text.startswith(BOM) else ""
    body = text[len(bom):]
    vocab = config.vocab if config is not None else None
    known = model if model is not None and not bom and model.path == path else None
    first, first_model = _format_checked(SourceText.from_text(body), path, vocab, known)
    if first == body:
        return text  # already canonical: format(format(x)) == format(x) == x, nothing to check
    if not stable:
        return bom + first
    second, _ = _format_checked(SourceText.from_text(first), path, vocab, first_model)
    if second != first:
        raise UnsafeFormat(path, ["formatter is not stable on this file", *_first_difference(first, second)])
    return bom + first


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


def _first_difference(a: str, b: str) -> list[str]:
    la, lb = a.splitlines(), b.splitlines()
    for n, (x, y) in enumerate(zip(la, lb, strict=False), 1):
        if x != y:
            return [f"line {n} is formatted as {x!r}, then as {y!r}"]
    return [f"{len(la)} lines, then {len(lb)} lines"]


# --------------------------------------------------------------------------- one pass


@dataclass(slots=True)
class _Region:
    """Lines replaced by a placeholder before mdformat and put back after it."""

    start: int  # 0-based first line
    end: int  # exclusive
    indent: int  # spaces before the placeholder (container indentation of a nested block)
    nested: bool


@dataclass(slots=True)
class _Pass:
    path: str
    tag: str
    regions: dict[str, _Region] = field(default_factory=dict)  # placeholder -> region
    inline: dict[str, str] = field(default_factory=dict)  # placeholder -> original text
    inline_lines: dict[str, int] = field(default_factory=dict)  # placeholder -> 1-based line
    inline_prefix: dict[str, str] = field(default_factory=dict)  # placeholder -> autolink scheme before it
    trailing: list[int] = field(default_factory=list)  # lines moved after mdformat's link definitions
    ragged_tables: bool = False  # careful: keep tables with short rows too
    pseudo_labels: set[str] = field(default_factory=set)  # careful: keep "[label]" text as written
    table_lines: set[int] = field(default_factory=set)  # 0-based lines of tables


def _format_pass(st: SourceText, path: str, careful: Document | None = None) -> str:
    """Format once: tokenise, protect, mdformat, restore. Returns text in the file's newline style.

    ``careful`` (the input's model) asks for more protection, used when a plain pass changed
    the model: tables with rows of any other length than the header are kept as written,
    and so are bracketed labels the backlog parser reads as references although Markdown
    has no such link definition (a definition-like line inside a paragraph).
    """
    from backlog_lint.markdown import block_parser

    norm = st.normalized
    lines = list(st.lines) if norm else []
    env: dict[str, Any] = {}
    try:
        tokens = block_parser().parse(norm, env)
        _parse_inline(tokens, env)
    except RecursionError:
        raise TooComplex(path, NESTS_TOO_DEEPLY) from None
    _check_depth(tokens, path)
    fm_end = tokens[0].map[1] if tokens and tokens[0].type == "front_matter" and tokens[0].map else 0
    if not fm_end and lines and lines[0].strip() == "---":
        from backlog_lint.rules.parse_problems import broken_front_matter

        raise UnsafeFormat(path, [f"line 1: '---' opens front matter that is never closed "
                                  f"({broken_front_matter.code}); close it (or remove it) before formatting"])
    state = _Pass(path, _tag(norm))
    if careful is not None:
        state.ragged_tables = True
        real = {_label(k) for k in env.get("references", {})}
        state.pseudo_labels = {_label(k) for k in careful.refdefs} - real
    body_lines = _protect(state, lines, tokens, fm_end)
    md = "\n".join(body_lines) + "\n" if body_lines else ""
    out = _mdformat(md, path) if md.strip() else ""
    out_lines = out.split("\n")[:-1] if out else []
    _restyle(out_lines, tokens, fm_end)
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


def _parse_inline(tokens: list[Token], env: dict[str, Any]) -> None:
    """Inline children of the blocks that can hold what a pass looks at: links, images, hard breaks.

    A link or image needs a ``[`` (an autolink a ``<``), a hard break a newline; other
    inline tokens keep no children, which every reader here takes as "nothing of the kind".
    """
    from backlog_lint.markdown import inline_children

    for tok in tokens:
        if tok.type == "inline" and ("[" in tok.content or "<" in tok.content or "\n" in tok.content):
            inline_children(tok, env)


def _tag(text: str) -> str:
    """A placeholder stem that does not occur in the text."""
    low = text.lower()
    n = 0
    while f"blfmt{n}" in low:
        n += 1
    return f"blfmt{n}"


def _mdformat(md: str, path: str) -> str:
    import mdformat

    from backlog_lint import mdformat_linear

    mdformat_linear.install()
    try:
        with mdformat_linear.one_call():
            return mdformat.text(md, extensions=MDFORMAT_EXTENSIONS, options=MDFORMAT_OPTIONS)
    except RecursionError:
        raise TooComplex(path, NESTS_TOO_DEEPLY) from None
    except Exception as exc:  # mdformat and its plugins assert on some odd inputs
        raise UnsafeFormat(path, [f"mdformat cannot format this file ({type(exc).__name__}: {exc})"]) from None


# --------------------------------------------------------------------------- protection


def _protect(state: _Pass, lines: list[str], tokens: list[Token], fm_end: int) -> list[str]:
    """Body lines with protected blocks and inline spans replaced by placeholders."""
    regions: dict[int, _Region] = {}
    quote = 0
    for tok in tokens:
        if tok.type == "blockquote_open":
            quote += 1
        elif tok.type == "blockquote_close":
            quote -= 1
        if tok.map is None or tok.map[0] < fm_end:
            continue
        start, end = tok.map
        if tok.type in ("fence", "code_block", "html_block") or (
                tok.type == "table_open" and _irregular_rows(lines, start, end, state.ragged_tables)):
            if tok.level == 0:
                regions[start] = _Region(start, end, 0, False)
            elif quote == 0 and tok.type in ("fence", "html_block"):
                indent = _nested_indent(lines, start, end)
                if indent is not None:
                    regions[start] = _Region(start, end, indent, True)
    for start, end in _marker_regions(lines, tokens, fm_end):
        regions[start] = _Region(start, end, 0, False)  # covers the regions inside it: the loop below skips them
    if state.ragged_tables:  # careful: blocks holding a code span broken over lines are kept as written
        for start, end in _wrapped_code_blocks(tokens, fm_end):
            while end > start + 1 and not lines[end - 1].strip():
                end -= 1  # the blank line after the block is mdformat's to write
            regions[start] = _Region(start, end, 0, False)
    hidden = {n for r in regions.values() for n in range(r.start, r.end)}
    unused, duplicates = _unused_definitions(tokens, lines, fm_end, hidden)
    for n in unused:
        regions.setdefault(n, _Region(n, n + 1, 0, False))
    state.trailing = [n for n in duplicates if n not in regions]
    skip = set(state.trailing)
    destinations = _destinations(tokens, lines)
    state.table_lines = {n for t in tokens if t.type == "table_open" and t.map for n in range(*t.map)}
    out: list[str] = []
    i = fm_end
    while i < len(lines):
        region = regions.get(i)
        if region is not None:
            key = f"<!--{state.tag}:{len(state.regions)}-->"
            state.regions[key] = region
            out.append(" " * region.indent + key)
            i = max(region.end, i + 1)
            continue
        if i not in skip:
            out.append(_protect_inline(state, lines[i], i + 1, destinations.get(i, ())))
        i += 1
    return out


_BACKTICKS_RE = re.compile(r"`+")


def _wrapped_code_blocks(tokens: list[Token], fm_end: int) -> list[tuple[int, int]]:
    """Top-level blocks with a code span broken over two lines (`` `a {\n  b }` ``).

    mdformat puts such a span on one line and keeps the continuation's indentation inside it,
    which GitHub renders as extra spaces in the code, and which moves text into the first line.
    """
    out: list[tuple[int, int]] = []
    top: tuple[int, int] | None = None
    for tok in tokens:
        if tok.level == 0 and tok.nesting >= 0 and tok.map and tok.map[0] >= fm_end:
            top = (tok.map[0], tok.map[1])
        if tok.type != "inline" or "`" not in tok.content or "\n" not in tok.content or top is None:
            continue
        if _code_span_crosses_line(tok.content) and (not out or out[-1] != top):
            out.append(top)
    return out


def _code_span_crosses_line(text: str) -> bool:
    pos = 0
    while True:
        m = _BACKTICKS_RE.search(text, pos)
        if m is None:
            return False
        close = text.find(m.group(), m.end())
        while close >= 0 and text[close + len(m.group()):close + len(m.group()) + 1] == "`":
            close = text.find(m.group(), close + len(m.group()) + 1)
        if close < 0:
            pos = m.end()
            continue
        if "\n" in text[m.end():close]:
            return True
        pos = close + len(m.group())


def _marker_regions(lines: list[str], tokens: list[Token], fm_end: int) -> list[tuple[int, int]]:
    """Backlog.md's marker blocks at the top level, with a heading right above one (no blank line
    between, as Backlog.md writes `## Acceptance Criteria` over `<!-- AC:BEGIN -->`): kept as written."""
    from backlog_lint.backlog_md import marker_blocks

    if not any("<!-- " in line for line in lines):
        return []
    top = {t.map[0]: t for t in tokens if t.level == 0 and t.map and t.nesting >= 0 and t.map[0] >= fm_end}
    out: list[tuple[int, int]] = []
    for start, end in marker_blocks(lines):
        first, last = top.get(start), top.get(end - 1)
        if first is None or last is None or first.type != "html_block" or last.type != "html_block":
            continue  # inside a list, a quote or a code block: not Backlog.md's layout
        above = top.get(start - 1)
        if above is not None and above.type == "heading_open" and above.map == [start - 1, start]:
            start -= 1
        out.append((start, end))
    return out


def _unused_definitions(tokens: list[Token], lines: list[str], fm_end: int,
                        hidden: set[int]) -> tuple[list[int], list[int]]:
    """Top-level one-line link reference definitions mdformat would drop.

    Returns (definitions no link uses: kept in place, second definitions of a used label:
    moved after the first one, which mdformat writes at the end of the document). A link
    in a block kept from mdformat (``hidden`` lines) does not count as a use.
    """
    if not any("]:" in line for line in lines):
        return [], []
    covered: set[int] = set(range(fm_end))
    used: set[str] = set()
    for tok in tokens:
        if tok.map and tok.level == 0:
            covered.update(range(tok.map[0], tok.map[1]))
        if tok.type == "inline" and "[" in tok.content and not (tok.map and tok.map[0] in hidden):
            used.update(_label(m) for m in _BRACKETED_RE.findall(tok.content))
    unused: list[int] = []
    duplicates: list[int] = []
    defined: set[str] = set()
    for n, line in enumerate(lines):
        if n in covered or "]:" not in line:
            continue
        m = _REFDEF_RE.match(line)
        if m is None:
            continue
        nxt = lines[n + 1] if n + 1 < len(lines) else ""
        if not line[m.end():].strip() or (nxt.strip() and n + 1 not in covered and not _REFDEF_RE.match(nxt)):
            continue  # the destination or a title is on another line: leave it to mdformat
        label = _label(m.group("label"))
        if label not in used:
            unused.append(n)
        elif label in defined:
            duplicates.append(n)
        defined.add(label)
    return unused, duplicates


def _label(text: str) -> str:
    return " ".join(text.split()).casefold()


def _irregular_rows(lines: list[str], start: int, end: int, shorter_too: bool) -> bool:
    """Whether a table has a body row with more cells than its header (mdformat drops them),
    or, with ``shorter_too``, one with fewer (mdformat pads them)."""
    if start >= len(lines):
        return False
    header = len(split_cells(lines[start]))
    for line in lines[start + 2:end]:
        cells = len(split_cells(line))
        if cells > header or (shorter_too and cells < header):
            return True
    return False


def _nested_indent(lines: list[str], start: int, end: int) -> int | None:
    """Indentation to strip from a block nested in a list, or None if it cannot be kept verbatim."""
    first = lines[start] if start < len(lines) else ""
    indent = len(first) - len(first.lstrip(" "))
    if first[indent:indent + 1] not in ("`", "~", "<"):
        return None  # the block starts on its list item's marker line, or after a tab
    pad = " " * indent
    for line in lines[start + 1:end]:
        if line.strip() and not line.startswith(pad):
            return None
    return indent


def _protect_inline(state: _Pass, line: str, number: int, destinations: Iterable[tuple[str, str, str]]) -> str:
    """Replace spans mdformat would rewrite (see the module docstring) by placeholders."""

    def key_for(text: str, scheme: bool = False) -> str:
        key = f"Q{state.tag.upper()}X{len(state.inline)}Z"
        state.inline[key] = text
        state.inline_lines[key] = number
        if scheme:  # keeps an autolink an autolink: <blfmt0:QBLFMT0X3Z>
            state.inline_prefix[key] = f"{state.tag}:"
            return f"{state.tag}:{key}"
        return key

    for opener, raw, closer in destinations:
        at = line.find(opener + raw + closer)
        if at >= 0:
            at += len(opener)
            line = line[:at] + key_for(raw, scheme=opener == "<") + line[at + len(raw):]
    if state.pseudo_labels and "[" in line:
        line = _PSEUDO_REFERENCE_RE.sub(
            lambda m: key_for(m.group(0)) if _label(m.group(2) or m.group(1)) in state.pseudo_labels else m.group(0),
            line)
    if "&" not in line and "[[" not in line:
        return line

    def keep(m: re.Match[str]) -> str:
        text = m.group(0)
        if text.startswith("&") and not _is_reference(text):
            return text
        if text.startswith("[[") and number - 1 in state.table_lines and _UNESCAPED_PIPE_RE.search(text):
            return text  # in a table the pipe of [[page|alias]] splits the cell: leave it to mdformat
        return key_for(text)

    if "[[" in line:  # first: a wiki link is kept whole, with any character reference in it
        line = _WIKILINK_RE.sub(keep, line)
    if "&" in line:
        line = _ENTITY_RE.sub(keep, line)
    return line


def _printed_destination(href: str) -> str:
    """How mdformat writes a link destination (mdformat.renderer._util.maybe_add_link_brackets)."""
    if not href or (_ASCII_CTRL | {" ", "(", ")"}).intersection(href):
        return f"<{href}>"
    return href


def _destinations(tokens: list[Token], lines: list[str]) -> dict[int, list[tuple[str, str, str]]]:
    """Link destinations mdformat would print differently (percent-encoded, re-bracketed, unescaped).

    Returns 0-based line -> [(text before, destination as written, text after)], found in
    the raw inline content and located in the source line that holds it.
    """
    from markdown_it.common.utils import unescapeAll
    from markdown_it.helpers import parseLinkDestination

    from backlog_lint.markdown import parser

    normalize = parser().normalizeLink
    found: dict[int, list[tuple[str, str, str]]] = {}

    def record(line: int, opener: str, raw: str, closer: str) -> None:
        found.setdefault(line, []).append((opener, raw, closer))

    for tok in tokens:
        if tok.type != "inline" or not tok.children or not tok.map or not any(
                c.type in ("link_open", "image") for c in tok.children):
            continue
        content = tok.content
        cursor = 0
        for child in tok.children:
            if child.type == "link_open" and child.markup == "autolink":
                href = str(child.attrGet("href") or "")
                start = content.find("<", cursor)
                stop = content.find(">", start + 1) if start >= 0 else -1
                if stop < 0:
                    continue
                inner = content[start + 1:stop]
                if normalize(inner) != href and normalize("mailto:" + inner) != href:
                    continue
                cursor = stop + 1
                if inner != href:
                    record(tok.map[0] + content.count("\n", 0, start), "<", inner, ">")
            elif child.type in ("link_open", "image"):
                href = str(child.attrGet("href") or child.attrGet("src") or "")
                pos = content.find("](", cursor)
                tries = 0
                while pos >= 0 and tries < 4:
                    j = pos + 2
                    while j < len(content) and content[j] in " \t":
                        j += 1
                    res = parseLinkDestination(content, j, len(content))
                    if res.ok and normalize(res.str) == href:
                        raw = content[j:res.pos]
                        cursor = res.pos
                        if raw and _printed_destination(href) != raw:
                            record(tok.map[0] + content.count("\n", 0, j), "](" + content[pos + 2:j], raw, "")
                        break
                    pos = content.find("](", pos + 2)
                    tries += 1
    for n, line in enumerate(lines):
        if "]:" not in line:
            continue
        m = _REFDEF_RE.match(line)
        if m is None:
            continue
        res = parseLinkDestination(line, m.end(), len(line))
        raw = line[m.end():res.pos]
        if res.ok and raw and _printed_destination(normalize(unescapeAll(res.str))) != raw:
            record(n, line[m.start():m.end()], raw, "")
    return found


def _is_reference(text: str) -> bool:
    return text.startswith("&#") or text[1:] in html.entities.html5


# --------------------------------------------------------------------------- restyling


def _restyle(out: list[str], tokens: list[Token], fm_end: int) -> None:
    """Hard breaks, thematic breaks, ordered list numbers and empty tasks in the file's style."""
    hr = _hr_style(tokens)
    for i, line in enumerate(out):
        if line == _HR:
            out[i] = hr if (hr != "---" or i > 0 or fm_end) else "***"
        elif line.endswith("\\]"):
            m = _EMPTY_TASK_RE.match(line)
            if m:
                out[i] = f"{m.group('pre')}[{m.group('mark')}]"
    spaces = _hard_break_style(tokens) == "spaces"
    breaks = [i for i, line in enumerate(out[:-1]) if spaces and _ODD_BACKSLASHES_RE.search(line)]
    padded = any(_PADDED_MARKER_RE.match(line) for line in out)
    if not breaks and not padded:
        return
    from backlog_lint.markdown import parser

    out_tokens = parser().parse("\n".join(out) + "\n")
    if breaks and len(breaks) == _count_hard_breaks(out_tokens):
        for i in breaks:
            out[i] = out[i][:-1] + "  "
    if padded:
        _unpad(out, out_tokens)


def _hr_style(tokens: list[Token]) -> str:
    chars = [t.markup[:1] for t in tokens if t.type == "hr" and t.markup]
    if not chars:
        return "---"
    best = max(("-", "*", "_"), key=lambda c: (chars.count(c), c == "-"))
    return best * 3


def _hard_break_style(tokens: list[Token]) -> str:
    """'spaces' when every hard break in the file is written with trailing spaces, else 'backslash'."""
    spaces = backslash = 0
    for tok in tokens:
        if tok.type != "inline" or not tok.children or not any(c.type == "hardbreak" for c in tok.children):
            continue
        for raw in tok.content.split("\n")[:-1]:
            if _ODD_BACKSLASHES_RE.search(raw):
                backslash += 1
            elif raw.endswith("  "):
                spaces += 1
    return "spaces" if spaces and not backslash else "backslash"


def _count_hard_breaks(tokens: list[Token]) -> int:
    count = 0
    for i, tok in enumerate(tokens):
        if tok.type == "inline" and tok.children and not (i and tokens[i - 1].type == "heading_open"):
            count += sum(1 for c in tok.children if c.type == "hardbreak")
    return count


def _unpad(out: list[str], tokens: list[Token]) -> None:
    """'01.' -> '1.': mdformat pads numbers to a common width; continuation lines stay put."""
    ordered = False
    stack: list[bool] = []
    for tok in tokens:
        if tok.type in ("ordered_list_open", "bullet_list_open"):
            stack.append(tok.type == "ordered_list_open")
        elif tok.type in ("ordered_list_close", "bullet_list_close") and stack:
            stack.pop()
        ordered = bool(stack and stack[-1])
        if tok.type != "list_item_open" or not ordered or not tok.map:
            continue
        info = tok.info
        if len(info) < 2 or not info.startswith("0") or not info.isdigit():
            continue
        short = str(int(info))
        if len(info) - len(short) > 3:
            continue
        n = tok.map[0]
        m = re.match(rf"^((?:[ >]|[-*+] |\d+[.)] )*?){info}(?={re.escape(tok.markup)}(?: |$))", out[n])
        if m:
            out[n] = m.group(1) + short + out[n][m.end():]


# --------------------------------------------------------------------------- restoring


def _restore_inline(state: _Pass, out: list[str]) -> None:
    """Put the protected inline spans back; re-align the tables that held one."""
    if not state.inline:
        return
    stem = f"Q{state.tag.upper()}X"
    found: dict[str, int] = {}
    touched: list[int] = []
    for i, line in enumerate(out):
        if stem not in line:
            continue
        for key in re.findall(rf"{stem}\d+Z", line):
            if key not in state.inline:
                continue
            found[key] = found.get(key, 0) + 1
            placed = state.inline_prefix.get(key, "") + key
            line = line.replace(placed, state.inline[key], 1)
        out[i] = line
        touched.append(i)
    for key, text in state.inline.items():
        if found.get(key, 0) != 1:
            raise UnsafeFormat(state.path, [f"line {state.inline_lines[key]}: mdformat would "
                                            f"{'drop' if key not in found else 'duplicate'} {text!r}"])
    _realign_tables(out, touched)


def _realign_tables(out: list[str], touched: list[int]) -> None:
    """Pad the cells of mdformat tables again after placeholders in them were replaced."""
    done: set[int] = set()
    for i in touched:
        if i in done:
            continue
        m = _ROW_RE.match(out[i])
        if m is None:
            continue
        width = len(m.group("prefix"))
        start = i
        while start > 0 and _row_width(out[start - 1]) == width:
            start -= 1
        end = i + 1
        while end < len(out) and _row_width(out[end]) == width:
            end += 1
        done.update(range(start, end))
        rows = [_split_row(out[n][width:]) for n in range(start, end)]
        if len(rows) < 2 or not rows[1] or not all(_DELIMITER_CELL_RE.match(c) for c in rows[1]):
            continue
        if any(len(r) != len(rows[0]) for r in rows):
            continue
        aligned = _render_table([r for n, r in enumerate(rows) if n != 1], rows[1])
        for n, text in enumerate(aligned):
            out[start + n] = out[start + n][:width] + text


def _row_width(line: str) -> int:
    m = _ROW_RE.match(line)
    return len(m.group("prefix")) if m else -1


def _split_row(row: str) -> list[str]:
    cells: list[str] = []
    current: list[str] = []
    i = 1
    while i < len(row) - 1:
        ch = row[i]
        if ch == "\\" and i + 1 < len(row) - 1:
            current.append(row[i:i + 2])
            i += 2
            continue
        if ch == "|":
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
        i += 1
    cells.append("".join(current).strip())
    return cells


def _render_table(rows: list[list[str]], delimiter: list[str]) -> list[str]:
    """A table as mdformat-gfm writes it (mdformat_gfm/_tables_plugin.py ``_to_string``)."""
    from wcwidth import wcswidth

    aligns = []
    for cell in delimiter:
        left, right = cell.startswith(":"), cell.endswith(":")
        aligns.append("^" if left and right else ">" if right else "<" if left else "")
    widths = [max(3, *(wcswidth(r[c]) for r in rows)) for c in range(len(delimiter))]

    def pad(text: str, w: int, align: str) -> str:
        room = max(0, w - wcswidth(text))
        if align == ">":
            return " " * room + text
        if align == "^":
            return " " * (room // 2) + text + " " * (room - room // 2)
        return text + " " * room

    def delim(w: int, align: str) -> str:
        cell = (":" if align in ("<", "^") else "-") + "-" * max(0, w - 2) + (":" if align in (">", "^") else "-")
        return ":-:" if cell == "::" else cell

    def join(cells: Iterable[str]) -> str:
        return "| " + " | ".join(cells) + " |"

    header = join(pad(t, widths[c], aligns[c]) for c, t in enumerate(rows[0]))
    body = [join(pad(t, widths[c], aligns[c]) for c, t in enumerate(r)) for r in rows[1:]]
    return [header, join(delim(widths[c], aligns[c]) for c in range(len(widths))), *body]


def _restore_blocks(state: _Pass, out: str, lines: list[str]) -> str:
    if not state.regions:
        return out
    result: list[str] = []
    seen: set[str] = set()
    for line in out.split("\n"):
        key_at = line.find(f"<!--{state.tag}:") if "<!--" in line else -1
        if key_at < 0:
            result.append(line)
            continue
        prefix, key = line[:key_at], line[key_at:]
        region = state.regions.get(key)
        if region is None or key in seen:
            raise UnsafeFormat(state.path, [f"mdformat moved a protected block ({line.strip()!r})"])
        seen.add(key)
        original = lines[region.start:region.end]
        if not region.nested:
            if prefix:
                raise UnsafeFormat(state.path, [f"line {region.start + 1}: mdformat would indent a top-level block"])
            result.extend(original)
            continue
        if not _NESTED_PREFIX_RE.match(prefix):
            raise UnsafeFormat(state.path, [f"line {region.start + 1}: mdformat would move a block in a list"])
        pad = " " * len(prefix)
        for n, text in enumerate(original):
            rest = text[region.indent:]
            if n == 0:
                result.append(prefix + rest)
            else:
                result.append(pad + rest if rest else "")
    missing = [r for k, r in state.regions.items() if k not in seen]
    if missing:
        raise UnsafeFormat(state.path, [f"line {r.start + 1}: mdformat would drop a protected block" for r in missing])
    return "\n".join(result)
