"""Before mdformat: set aside what it would change (code and HTML blocks, marker blocks, ragged
tables, entities, wiki links, odd link destinations) and put each back afterwards."""

from __future__ import annotations

import html.entities
import re
from typing import TYPE_CHECKING

from backlog_lint.format.state import (
    _ASCII_CTRL,
    _BRACKETED_RE,
    _ENTITY_RE,
    _PSEUDO_REFERENCE_RE,
    _REFDEF_RE,
    _UNESCAPED_PIPE_RE,
    _WIKILINK_RE,
    _Pass,
    _Region,
)
from backlog_lint.parser.patterns import split_cells

if TYPE_CHECKING:
    from collections.abc import Iterable

    from markdown_it.token import Token


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


def _tag(text: str) -> str:
    """A placeholder stem that does not occur in the text."""
    low = text.lower()
    n = 0
    while f"blfmt{n}" in low:
        n += 1
    return f"blfmt{n}"


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
    from backlog_lint.format.backlog_md import marker_blocks

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


# A link destination that markdown-it reads as written and normalises to itself, which mdformat prints as
# it is: a relative one (no scheme: no ':', and no '//' host) or an http(s) one with a plain lower-case
# host, of characters that neither an escape (backslash, '&'), the destination's end (space, control
# characters, parentheses, '<') nor mdurl's encoding ('%', non-ASCII, and the other characters it
# percent-encodes) touches. (mdurl parses such a text into host, path, query and fragment without
# changing them, and writes them back the same.)
_PLAIN_DESTINATION_RE = re.compile(
    r"(?:https?://[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,2}(?=[/?#;]|[^A-Za-z0-9\-._~=+,!*'$]|$))?"
    r"[A-Za-z0-9\-._~/#?=+,;!*'$]*")
_DESTINATION_ENDS = frozenset(" )") | _ASCII_CTRL  # where markdown-it's parseLinkDestination stops


def _plain_destination(text: str, start: int) -> int:
    """End of the destination at ``text[start:]`` if it is plain (``_PLAIN_DESTINATION_RE``) and ends there
    for markdown-it (then it is read, normalised and printed as written), else -1."""
    m = _PLAIN_DESTINATION_RE.match(text, start)
    assert m is not None  # the pattern matches the empty string
    end = m.end()
    if end == start or text.startswith("//", start) or (end < len(text) and text[end] not in _DESTINATION_ENDS):
        return -1
    return end


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
                    if content.startswith(href, j) and _plain_destination(content, j) == j + len(href):
                        cursor = j + len(href)  # read as written and printed so: nothing to keep
                        break
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
        if m is None or _plain_destination(line, m.end()) >= 0:
            continue
        res = parseLinkDestination(line, m.end(), len(line))
        raw = line[m.end():res.pos]
        if res.ok and raw and _printed_destination(normalize(unescapeAll(res.str))) != raw:
            record(n, line[m.start():m.end()], raw, "")
    return found


def _is_reference(text: str) -> bool:
    return text.startswith("&#") or text[1:] in html.entities.html5


# --------------------------------------------------------------------------- restyling
