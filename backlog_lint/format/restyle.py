"""After mdformat: the file's own style (thematic breaks, hard breaks, list numbers), tables
realigned, protected text and blocks restored."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from backlog_lint.errors import UnsafeFormat
from backlog_lint.format.state import (
    _DELIMITER_CELL_RE,
    _EMPTY_TASK_RE,
    _HR,
    _NESTED_PREFIX_RE,
    _ODD_BACKSLASHES_RE,
    _PADDED_MARKER_RE,
    _ROW_RE,
    _Pass,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from markdown_it.token import Token


def input_style(tokens: list[Token]) -> tuple[str, bool]:
    """What ``_restyle`` keeps of the input's tokens: its thematic break, and whether its hard breaks are
    trailing spaces (read before mdformat runs, so that the tokens need not live through it)."""
    return style_of(style_counts(tokens))


StyleCounts = tuple[tuple[int, int, int], int, int]  # thematic breaks by '-', '*', '_'; hard breaks: spaces, backslash


def style_counts(tokens: list[Token]) -> StyleCounts:
    """What the file's style is read from, counted; the counts of a document's chunks add up."""
    hr = [0, 0, 0]
    spaces = backslash = 0
    for tok in tokens:
        if tok.type == "hr" and tok.markup and tok.markup[0] in "-*_":
            hr["-*_".index(tok.markup[0])] += 1
        elif tok.type == "inline" and tok.children and any(c.type == "hardbreak" for c in tok.children):
            for raw in tok.content.split("\n")[:-1]:
                if _ODD_BACKSLASHES_RE.search(raw):
                    backslash += 1
                elif raw.endswith("  "):
                    spaces += 1
    return (hr[0], hr[1], hr[2]), spaces, backslash


def add_counts(a: StyleCounts, b: StyleCounts) -> StyleCounts:
    return (a[0][0] + b[0][0], a[0][1] + b[0][1], a[0][2] + b[0][2]), a[1] + b[1], a[2] + b[2]


def style_of(counts: StyleCounts) -> tuple[str, bool]:
    """The thematic break most used ('---' on a tie or none), and whether every hard break is two spaces."""
    hr, spaces, backslash = counts
    best = "---" if not any(hr) else max(("-", "*", "_"), key=lambda c: (hr["-*_".index(c)], c == "-")) * 3
    return best, bool(spaces and not backslash)


def _restyle(out: list[str], style: tuple[str, bool], at_start: bool) -> None:
    """Hard breaks, thematic breaks, ordered list numbers and empty tasks in the file's style
    (``style``: ``input_style`` of the input); ``at_start``: ``out`` begins the file (no front matter)."""
    hr, spaces = style
    for i, line in enumerate(out):
        if line == _HR:
            out[i] = hr if (hr != "---" or i > 0 or not at_start) else "***"
        elif line.endswith("\\]"):
            m = _EMPTY_TASK_RE.match(line)
            if m:
                out[i] = f"{m.group('pre')}[{m.group('mark')}]"
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
