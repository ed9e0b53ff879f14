"""Model comparison: is the backlog still the same after the text was rewritten?

The formatter re-parses its output and compares the two models here. Positions are
ignored; text is compared in a *normalised* form so that pure markup
canonicalisation does not count as a change:

* backslash escapes of ASCII punctuation are resolved (``\\*`` == ``*``, ``\\[`` == ``[``),
* HTML character references are decoded (``&amp;`` == ``&``, ``&nbsp;`` == no-break space),
* then any backslash left (a hard line break in backslash style, or one the parser
  orphaned by stripping the markup after it) is dropped, and so is the markup the
  parser strips from values (code-span backticks, ``**``, ``__``, ``~~``): the parser
  strips it from the raw text before escapes are resolved, so ``\\*\\*\\*`` and ``***``
  differ by exactly that,
* runs of whitespace (any Unicode whitespace) become one space, ends are stripped,
* percent-encoding of link targets is decoded (``%C3%BC`` == ``ü``).

This is lossy on purpose and the same on both sides: it hides how a text is marked up
(and with it backslashes, backticks and doubled ``*``, ``_``, ``~``), not its words.

Everything else - item kinds, IDs, titles, statuses, fields and their values, tasks and
their nesting and check state, references, index rows, headings, tables, links and link
definitions, HTML comments, code block contents and front matter - must match.
"""

from __future__ import annotations

import html
import re
import textwrap
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import unquote

from backlog_lint.format.sequences import opcodes
from backlog_lint.model import Document, Field, IndexRow, Item, Task

__all__ = ["check_equivalent", "normalise_text"]

_ESCAPE_OR_REFERENCE_RE = re.compile(
    r"\\(?P<punct>[!-/:-@\[-`{-~])|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)
_MARKER_BEFORE_FENCE_RE = re.compile(r"^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)+(?=`{3,}|~{3,})")
_MARKUP_RE = re.compile(r"`+|\*\*|__|~~")
_FENCE_OPEN_RE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_CONTAINER_PREFIX_RE = re.compile(r"^[ \t>]*")
MAX_MESSAGES = 40


def _resolve(m: re.Match[str]) -> str:
    punct = m.group("punct")
    return punct if punct is not None else html.unescape(m.group(0))


def normalise_text(text: str | None) -> str:
    """Comparison form of a piece of Markdown text (see the module docstring)."""
    if not text:
        return ""
    if "\\" in text or "&" in text:
        text = _ESCAPE_OR_REFERENCE_RE.sub(_resolve, text).replace("\\", "")
    if "`" in text or "**" in text or "__" in text or "~~" in text:
        text = _MARKUP_RE.sub("", text)
    return " ".join(text.split())


def _target(target: str) -> str:
    return unquote(target.strip())


def _show(value: Any, limit: int = 70) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 4] + "...'"


def _contrast(before: str, after: str, limit: int = 70) -> tuple[str, str]:
    """Two texts shown around where they first differ, so that a cut never hides the difference."""
    if len(repr(before)) <= limit and len(repr(after)) <= limit:
        return repr(before), repr(after)
    at = next((i for i, (x, y) in enumerate(zip(before, after, strict=False)) if x != y), min(len(before), len(after)))
    start = max(0, at - limit // 3)

    def window(text: str) -> str:
        piece = text[start : start + limit - 10]
        return ("..." if start else "") + repr(piece) + ("..." if start + limit - 10 < len(text) else "")

    return window(before), window(after)


# --------------------------------------------------------------------------- signatures


def _field_sig(f: Field) -> tuple[str, str, tuple[str, ...]]:
    # not the style: the parser reads "> > **Key:**" as a bullet once the quote is spaced
    return (f.key, normalise_text(f.value), tuple(normalise_text(v) for v in f.values))


def _fields(fields: Sequence[Field]) -> list[tuple[str, str, tuple[str, ...]]]:
    # a table row with fewer cells than the header has no field for the missing cells;
    # once the table is padded the field exists with an empty value: the same thing
    return [_field_sig(f) for f in fields if not (f.style == "table" and not normalise_text(f.value))]


def _tasks(tasks: Sequence[Task], level: int = 0) -> list[tuple[int, int, str, bool]]:
    out: list[tuple[int, int, str, bool]] = []
    for t in tasks:
        out.append((level, t.depth, normalise_text(t.text), t.checked))
        out.extend(_tasks(t.children, level + 1))
    return out


def _item_key(item: Item) -> tuple[str, str]:
    return item.kind, normalise_text(item.id_raw) or normalise_text(item.title)


def _label(item: Item) -> str:
    label = normalise_text(item.id_raw) or normalise_text(item.title_raw) or normalise_text(item.title)
    if len(label) > 50:
        label = label[:47] + "..."
    return f"{item.kind} item {label!r}" if not item.id_raw else f"item {label!r}"


def _item_attrs(item: Item) -> dict[str, Any]:
    return {
        "id": item.id or "",
        "title": normalise_text(item.title),
        "status": normalise_text(item.status),
        "section": normalise_text(item.section),
        "number": item.number,
        "level": item.level,
        "inherited": {k: normalise_text(v) for k, v in sorted(item.inherited.items())},
    }


def _refs(item: Item) -> list[tuple[str, str, str, str]]:
    return sorted((_target(r.target), r.kind, r.relation or "", r.source) for r in item.refs)


# --------------------------------------------------------------------------- comparison helpers


class _Diff:
    def __init__(self) -> None:
        self.messages: list[str] = []
        self._seen: set[str] = set()

    def add(self, message: str) -> None:
        if message not in self._seen:
            self._seen.add(message)
            self.messages.append(message)

    def sequence(self, what: str, before: Sequence[Any], after: Sequence[Any],
                 show: Callable[[Any], str] = _show) -> None:
        """Report added / removed / changed entries of two ordered lists."""
        if list(before) == list(after):
            return
        if len(before) != len(after):
            self.add(f"{len(before)} {what} -> {len(after)} {what}")
        for tag, i1, i2, j1, j2 in opcodes(list(before), list(after)):
            if tag == "equal":
                continue
            if tag == "replace" and i2 - i1 == j2 - j1:
                for a, b in zip(before[i1:i2], after[j1:j2], strict=True):
                    if show is _show_task and a[:2] == b[:2] and a[3] == b[3]:  # only the text changed
                        was, now = _contrast(a[2], b[2], 60)
                        mark = f"{'  ' * a[0]}[{'x' if a[3] else ' '}] "
                        self.add(f"{what}: {mark}{was} -> {mark}{now}")
                    else:
                        self.add(f"{what}: {show(a)} -> {show(b)}")
                continue
            for a in before[i1:i2]:
                self.add(f"{what}: {show(a)} is gone")
            for b in after[j1:j2]:
                self.add(f"{what}: {show(b)} is new")

    def fields(self, owner: str, before: Sequence[Field], after: Sequence[Field]) -> None:
        a, b = _fields(before), _fields(after)
        if a == b:
            return
        if [f[0] for f in a] != [f[0] for f in b]:
            self.add(f"{owner} fields {[f[0] for f in a]} -> {[f[0] for f in b]}")
            return
        for fa, fb in zip(a, b, strict=True):
            key = fa[0]
            if fa[1] != fb[1]:
                was, now = _contrast(fa[1], fb[1])
                self.add(f"{owner} field {key!r}: {was} -> {now}")
            elif fa[2] != fb[2]:
                self.add(f"{owner} field {key!r} values: {list(fa[2])} -> {list(fb[2])}")

    def item(self, a: Item, b: Item) -> None:
        owner = _label(a)
        attrs_a, attrs_b = _item_attrs(a), _item_attrs(b)
        for key, value in attrs_a.items():
            if attrs_b[key] != value:
                if isinstance(value, str) and isinstance(attrs_b[key], str):
                    was, now = _contrast(value, attrs_b[key])
                else:
                    was, now = _show(value), _show(attrs_b[key])
                self.add(f"{owner} {key}: {was} -> {now}")
        self.fields(owner, a.fields, b.fields)
        ta, tb = _tasks(a.tasks), _tasks(b.tasks)
        if ta != tb:
            self.sequence(f"{owner} tasks", ta, tb, show=_show_task)
        ra, rb = _refs(a), _refs(b)
        if ra != rb:
            for ref in sorted((Counter(ra) - Counter(rb)).elements()):
                self.add(f"{owner} reference {ref[0]!r} ({ref[1]}, {ref[3]}) is gone")
            for ref in sorted((Counter(rb) - Counter(ra)).elements()):
                self.add(f"{owner} reference {ref[0]!r} ({ref[1]}, {ref[3]}) is new")


def _show_task(t: tuple[int, int, str, bool]) -> str:
    return f"{'  ' * t[0]}[{'x' if t[3] else ' '}] {_show(t[2], 60)}"


# --------------------------------------------------------------------------- code blocks


def _expand_indent(line: str) -> str:
    """Leading tabs as spaces to the next multiple of 4, as CommonMark reads block indentation."""
    if "\t" not in line:
        return line
    body = line.lstrip(" \t")
    return line[: len(line) - len(body)].expandtabs(4) + body


def _dedent(lines: list[str]) -> tuple[str, ...]:
    return tuple(textwrap.dedent("\n".join(lines)).split("\n"))


def code_blocks(doc: Document, *, expand_tabs: bool = False) -> list[tuple[str, tuple[str, ...]]]:
    """(info string, content lines) of each code block, read from the source lines.

    Container indentation and block-quote markers common to a block's lines are
    removed and an indented block is read like a fenced one, so re-indenting a block
    or fencing an indented one leaves the result unchanged; its content does not.
    With ``expand_tabs``, tabs in a line's leading whitespace count as spaces to the next
    multiple of four first (CommonMark's reading of a tab split between a container's
    indentation and the code); without, a tab after the indentation stays a tab.
    """
    lines = doc.source.lines
    numbers = sorted(n for n in doc.code_lines if 0 < n <= len(lines))
    runs: list[list[str]] = []
    last = -2
    for n in numbers:
        if n != last + 1:
            runs.append([])
        line = lines[n - 1]
        if not runs[-1]:  # a fence on its list item's marker line: the marker is indentation
            line = _MARKER_BEFORE_FENCE_RE.sub(lambda m: " " * len(m.group()), line)
        runs[-1].append(_expand_indent(line) if expand_tabs else line)
        last = n
    blocks: list[tuple[str, tuple[str, ...]]] = []
    for run in runs:
        prefix = _common_prefix([_container_prefix(t) for t in run if t.strip()])
        body = [t[len(prefix):] if t.startswith(prefix) else "" for t in run]
        i = 0
        while i < len(body):
            m = _FENCE_OPEN_RE.match(body[i])
            if m is not None:
                fence = m.group("fence")
                closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
                content: list[str] = []
                i += 1
                while i < len(body) and not closing.match(body[i]):
                    content.append(body[i])
                    i += 1
                i += 1
                blocks.append((m.group("info").strip(), _dedent(content)))
                continue
            content = []
            while i < len(body) and not _FENCE_OPEN_RE.match(body[i]):
                content.append(body[i])
                i += 1
            blocks.append(("", _dedent(content)))
    return blocks


def _container_prefix(line: str) -> str:
    m = _CONTAINER_PREFIX_RE.match(line)
    return m.group() if m else ""


def _same_code(before: Document, after: Document) -> tuple[bool, list[tuple[str, tuple[str, ...]]],
                                                           list[tuple[str, tuple[str, ...]]]]:
    """Whether every code block kept its content, read with tabs kept or expanded (either will do)."""
    raw_a, raw_b = code_blocks(before), code_blocks(after)
    if raw_a == raw_b:
        return True, raw_a, raw_b
    exp_a, exp_b = code_blocks(before, expand_tabs=True), code_blocks(after, expand_tabs=True)
    if len(raw_a) == len(raw_b) == len(exp_a) == len(exp_b) and all(
            ra == rb or ea == eb for ra, rb, ea, eb in zip(raw_a, raw_b, exp_a, exp_b, strict=True)):
        return True, raw_a, raw_b
    return False, raw_a, raw_b


def _common_prefix(strings: list[str]) -> str:
    if not strings:
        return ""
    lo, hi = min(strings), max(strings)
    n = 0
    while n < len(lo) and lo[n] == hi[n]:
        n += 1
    return lo[:n]


# --------------------------------------------------------------------------- entry point


def check_equivalent(before: Document, after: Document) -> list[str]:
    """Human-readable differences between two models of one backlog; [] if they are the same."""
    d = _Diff()
    if before.front_matter != after.front_matter:
        if (before.front_matter is None) != (after.front_matter is None):
            d.add("front matter " + ("is gone" if after.front_matter is None else "is new"))
        else:
            d.add("front matter content changed")
    d.fields("document", before.fields, after.fields)

    keys_a = [_item_key(i) for i in before.items]
    keys_b = [_item_key(i) for i in after.items]
    if len(keys_a) != len(keys_b):
        d.add(f"{len(keys_a)} items -> {len(keys_b)} items")
    for tag, i1, i2, j1, j2 in opcodes(keys_a, keys_b):
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for a, b in zip(before.items[i1:i2], after.items[j1:j2], strict=True):
                if tag == "replace":
                    if a.kind != b.kind:
                        d.add(f"{_label(a)} kind: {a.kind} -> {b.kind}")
                    elif normalise_text(a.id_raw) != normalise_text(b.id_raw):
                        d.add(f"{_label(a)} id: {_show(a.id_raw)} -> {_show(b.id_raw)}")
                d.item(a, b)
            continue
        for a in before.items[i1:i2]:
            d.add(f"{_label(a)} is gone")
        for b in after.items[j1:j2]:
            d.add(f"{_label(b)} is new")

    # a checklist entry outside every item is still a checkbox a reader ticks: one must not appear or go
    d.sequence("checklist entries outside items", _tasks(before.loose_tasks), _tasks(after.loose_tasks),
               show=_show_task)
    d.sequence("index rows", [_index_sig(r) for r in before.index], [_index_sig(r) for r in after.index])
    d.sequence("headings", [(h.level, normalise_text(h.text)) for h in before.headings],
               [(h.level, normalise_text(h.text)) for h in after.headings])
    d.sequence("tables", [_table_sig(t) for t in before.tables], [_table_sig(t) for t in after.tables])
    d.sequence("links", [(lk.kind, _target(lk.target), normalise_text(lk.text), lk.label or "") for lk in before.links],
               [(lk.kind, _target(lk.target), normalise_text(lk.text), lk.label or "") for lk in after.links])
    refdefs_a = {k: _target(v.target) for k, v in before.refdefs.items()}
    refdefs_b = {k: _target(v.target) for k, v in after.refdefs.items()}
    if refdefs_a != refdefs_b:
        after_text = "\n".join(normalise_text(line) for line in after.source.lines)
        for k in sorted(refdefs_a.keys() - refdefs_b.keys()):
            # the parser reads definition-like lines anywhere; one inside a paragraph or a
            # table is text, and only its text has to survive (escaped, or as a cell)
            line = before.refdefs[k].span.line
            if 0 < line <= len(before.source.lines) and normalise_text(before.source.lines[line - 1]) in after_text:
                continue
            d.add(f"link definition [{k}] is gone")
        for k in sorted(refdefs_b.keys() - refdefs_a.keys()):
            d.add(f"link definition [{k}] is new")
        for k in sorted(refdefs_a.keys() & refdefs_b.keys()):
            if refdefs_a[k] != refdefs_b[k]:
                d.add(f"link definition [{k}]: {_show(refdefs_a[k])} -> {_show(refdefs_b[k])}")
    d.sequence("HTML comments", sorted(body for _, body in before.html_comments),
               sorted(body for _, body in after.html_comments))
    same, code_a, code_b = _same_code(before, after)
    if not same:
        d.sequence("code blocks", code_a, code_b, show=_show_code)
    if len(before.thematic_breaks) != len(after.thematic_breaks):
        d.add(f"{len(before.thematic_breaks)} thematic breaks -> {len(after.thematic_breaks)} thematic breaks")
    if len(d.messages) > MAX_MESSAGES:
        rest = len(d.messages) - MAX_MESSAGES
        d.messages = [*d.messages[:MAX_MESSAGES], f"... and {rest} more difference(s)"]
    return d.messages


def _index_sig(row: IndexRow) -> tuple[str, tuple[tuple[str, str], ...], str]:
    # like table fields, a missing cell and an empty one (after padding) are the same
    columns = tuple(sorted((k, normalise_text(v)) for k, v in row.columns.items() if normalise_text(v)))
    return _target(row.ref.target), columns, normalise_text(row.table)


def _table_sig(t: Any) -> tuple[str, tuple[str, ...], tuple[tuple[str, ...], ...]]:
    rows = []
    for _line, cells in t.rows:
        norm = [normalise_text(c) for c in cells]
        while norm and not norm[-1]:
            norm.pop()
        rows.append(tuple(norm))
    return t.role, tuple(normalise_text(h) for h in t.header), tuple(rows)


def _show_code(block: tuple[str, tuple[str, ...]]) -> str:
    info, lines = block
    first = next((ln for ln in lines if ln.strip()), "")
    return f"```{info} ({len(lines)} line(s), {_show(first, 40)})"
