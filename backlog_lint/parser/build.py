"""Build the backlog model of one document from its blocks.

Conventions are recognised, not assumed: a heading becomes an item only when it
carries an ID or a number among siblings of the same kind, or has field lines
like its siblings; a table becomes items only when it has a title-like column;
and so on. Everything that is not recognised stays plain Markdown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.markdown import inline_children
from backlog_lint.model import (
    Document,
    Field,
    Heading,
    IndexRow,
    Item,
    Link,
    Ref,
    Section,
    StatusSignal,
    Table,
    Task,
)
from backlog_lint.parser import frontmatter
from backlog_lint.parser.blocks import Block
from backlog_lint.parser.inline import (
    FIELD_ID_RE,
    TEXT_ID_RE,
    code_spans,
    github_slug,
    links,
    plain,
    struck,
)
from backlog_lint.parser.patterns import (
    ARROW_RE,
    BOLD_NAME_RE,
    CELL_ID_RE,
    CHECKBOX_RE,
    CHECKED_MARKS,
    FIELD_LINE_RE,
    GROUP_WORD_RE,
    LEADING_STATUS_RE,
    NON_ITEM_SECTION_RE,
    PLAIN_FIELD_RE,
    PURE_ID_RE,
    TRAILING_STATUS_RE,
    match_item_heading,
    section_attributes,
    split_cells,
)
from backlog_lint.source import SourceText, Span
from backlog_lint.vocab import KNOWN_FIELD_KEYS, Vocabulary, normalise_id, normalise_key, priority_of

if TYPE_CHECKING:
    from markdown_it.token import Token

_REFDEF_RE = re.compile(r"^ {0,3}\[(?P<label>[^\]]+)\]:\s*(?P<target><[^>]*>|\S*)")
_REFLINK_RE = re.compile(r"(?<![\\!\]])\[(?P<text>[^\[\]]+)\](?:\[(?P<label>[^\[\]]*)\])?(?![(:\[])")
_WIKILINK_RE = re.compile(r"\[\[(?P<target>[^\]|#]*)(?:#[^\]|]*)?(?:\|[^\]]*)?\]\]")
_LINK_ONLY_RE = re.compile(r"^\[[^\]]*\]\([^)]*\)\.?$")
_TITLE_WORDS = frozenset({"title"})
_FILE_ID_RE = re.compile(r"^(?P<id>[A-Za-z][A-Za-z0-9]{0,15}[-_ ]#?\d{1,6})\b")


@dataclass(slots=True)
class _Ctx:
    path: str
    st: SourceText
    vocab: Vocabulary
    blocks: list[Block]
    doc: Document
    heading_blocks: list[int] = field(default_factory=list)
    section_of: list[int] = field(default_factory=list)  # block index -> heading ordinal (-1 = none)
    sections: list[Section] = field(default_factory=list)  # by heading ordinal
    owner: list[Item | None] = field(default_factory=list)  # block index -> owning item
    parent_of: list[int] = field(default_factory=list)  # heading ordinal -> parent ordinal (-1 = root)
    body_end: list[int] = field(default_factory=list)  # heading ordinal -> block index ending its body
    path_memo: dict[int, tuple[str, dict[str, str]]] = field(default_factory=dict)
    link_lines: list[int] = field(default_factory=list)  # line of each doc link, sorted
    env: dict = field(default_factory=dict)  # markdown-it's env (link reference definitions)
    lines: list[str] = field(default_factory=list)  # the source lines (read on every step: no property)

    def __post_init__(self) -> None:
        self.lines = self.st.lines

    def kids(self, tok: Token | None) -> list[Token] | None:
        """An inline token's children, parsed on first use (see markdown.inline_children)."""
        return inline_children(tok, self.env) if tok is not None else None


def _line(ctx: _Ctx, n: int) -> str:
    lines = ctx.lines
    return lines[n - 1] if 0 < n <= len(lines) else ""


def _span_in_line(ctx: _Ctx, n: int, text: str, start: int = 0) -> Span:
    line = _line(ctx, n)
    col = line.find(text, start) if text else -1
    if col < 0:
        stripped = len(line) - len(line.lstrip())
        return Span(n, stripped + 1, n, len(line) + 1)
    return Span(n, col + 1, n, col + len(text) + 1)


def _block_span(ctx: _Ctx, b: Block) -> Span:
    end = min(max(b.end_line, b.line), len(ctx.lines))
    first = _line(ctx, b.line)
    indent = len(first) - len(first.lstrip())
    return Span(b.line, indent + 1, end, len(_line(ctx, end)) + 1)


def _problem(ctx: _Ctx, span: Span, code: str, name: str, message: str,
             severity: Severity = Severity.ERROR) -> None:
    ctx.doc.problems.append(Diagnostic(ctx.path, span, code, name, message, severity))


# --------------------------------------------------------------------------- structure


def _headings_and_sections(ctx: _Ctx) -> None:
    doc = ctx.doc
    slug_counts: dict[str, int] = {}
    stack: list[Section] = [doc.root]
    current = -1
    last_line = len(ctx.lines)
    for bi, b in enumerate(ctx.blocks):
        if b.kind == "heading" and b.depth == 0 and b.quote == 0:
            raw = b.inline.content if b.inline is not None else ""
            text = plain(ctx.kids(b.inline))
            span = _span_in_line(ctx, b.line, raw.split("\n")[0])
            if b.setext and b.end_line > b.line + 1:
                last = b.end_line - 1
                span = Span(b.line, span.col, last, len(_line(ctx, last).rstrip()) + 1)
            base = github_slug(text)
            n = slug_counts.get(base, 0)
            slug_counts[base] = n + 1
            heading = Heading(b.level, text, raw, span, base if n == 0 else f"{base}-{n}", b.setext)
            doc.headings.append(heading)
            while len(stack) > 1 and stack[-1].level >= b.level:
                closed = stack.pop()
                closed.span = Span(closed.span.line, 1, max(b.line - 1, closed.span.line),
                                   len(_line(ctx, max(b.line - 1, closed.span.line))) + 1)
            section = Section(text, b.level, Span(b.line, 1, last_line, len(_line(ctx, last_line)) + 1),
                              heading)
            section.inherited = section_attributes(text, ctx.vocab)
            if b.level == 1:
                section.inherited.pop("status", None)  # "# Backlog" is a title, not a lane
            stack[-1].children.append(section)
            stack.append(section)
            ctx.sections.append(section)
            ctx.heading_blocks.append(bi)
            current = len(ctx.sections) - 1
        ctx.section_of.append(current)
    _heading_tree(ctx)


def _heading_tree(ctx: _Ctx) -> None:
    """Parent and body end of every heading, in one pass with a stack (no quadratic scans)."""
    levels = [ctx.blocks[bi].level for bi in ctx.heading_blocks]
    ctx.parent_of = [-1] * len(levels)
    ctx.body_end = [len(ctx.blocks)] * len(levels)
    stack: list[int] = []
    for ordinal, level in enumerate(levels):
        while stack and levels[stack[-1]] >= level:
            ctx.body_end[stack.pop()] = ctx.heading_blocks[ordinal]
        ctx.parent_of[ordinal] = stack[-1] if stack else -1
        stack.append(ordinal)


def _section_path(ctx: _Ctx, ordinal: int) -> tuple[str, dict[str, str]]:
    """Title path and merged inherited attributes of the section with this ordinal (memoised)."""
    if ordinal < 0:
        return "", {}
    memo = ctx.path_memo.get(ordinal)
    if memo is None:
        title, inherited = _section_path(ctx, ctx.parent_of[ordinal])
        section = ctx.sections[ordinal]
        merged = {**inherited, **section.inherited}
        memo = (f"{title} > {section.title}" if title else section.title, merged)
        ctx.path_memo[ordinal] = memo
    return memo[0], dict(memo[1])


# --------------------------------------------------------------------------- fields


def _field_from_match(ctx: _Ctx, n: int, m: re.Match[str], key_raw: str, style: str) -> Field:
    line = _line(ctx, n)
    value_raw = m.group("value")
    key_start, key_end = m.start("key"), m.end("key")
    v_start = m.start("value")
    v_end = v_start + len(value_raw)
    canonical = ctx.vocab.canonical_key(key_raw)
    value = _plain_text(value_raw)
    f = Field(
        key=canonical or normalise_key(key_raw),
        key_raw=key_raw.strip(),
        value=value,
        value_raw=value_raw,
        span=Span(n, len(m.group("prefix")) + 1, n, len(line.rstrip()) + 1),
        key_span=Span(n, key_start + 1, n, key_end + 1),
        value_span=Span(n, v_start + 1, n, v_end + 1),
        style=style,
        known=canonical is not None,
    )
    _fill_values(ctx, f)
    return f


_MD_STRIP_RE = re.compile(r"\*\*|__|~~|`|\[([^\]]*)\]\([^)]*\)")


def _plain_text(raw: str) -> str:
    text = _MD_STRIP_RE.sub(lambda m: m.group(1) if m.group(1) is not None else "", raw)
    return text.strip()


def _fill_values(ctx: _Ctx, f: Field) -> None:
    if f.key == "labels":
        codes = re.findall(r"`([^`]+)`", f.value_raw)
        parts = codes or [p for p in re.split(r"[,;]\s*|\s+(?=#)", f.value) if p]
        f.values = [p.strip().lstrip("#") for p in parts if p.strip()]
    elif f.key in ctx.vocab.reference_fields:
        f.values = [m.group(1) for m in FIELD_ID_RE.finditer(f.value_raw)]
    elif f.key == "owner":
        f.values = [p.strip() for p in re.split(r"[,;]", f.value) if p.strip()]


def _field_in_line(ctx: _Ctx, n: int, *, allow_plain: bool, allow_unknown: bool = True) -> Field | None:
    line = _line(ctx, n)
    if "*" in line or "_" in line:
        m = FIELD_LINE_RE.match(line)
        if m:
            key_raw = m.group("k1") or m.group("k2") or ""
            if allow_unknown or ctx.vocab.canonical_key(key_raw) in KNOWN_FIELD_KEYS:
                style = "bullet" if m.group("prefix").strip().lstrip(">").strip() else "paragraph"
                return _field_from_match(ctx, n, m, key_raw, style)
            return None
    if allow_plain and ":" in line:
        m = PLAIN_FIELD_RE.match(line)
        if m and ctx.vocab.canonical_key(m.group("k3")) in KNOWN_FIELD_KEYS:
            return _field_from_match(ctx, n, m, m.group("k3"), "plain")
    return None


def _add_field_refs(item: Item, f: Field, vocab: Vocabulary, lines: list[str]) -> None:
    if f.key not in vocab.reference_fields:
        return
    n = f.value_span.line
    col = f.value_span.col - 1
    for m in FIELD_ID_RE.finditer(f.value_raw):
        target = m.group(1)
        while n <= f.span.end_line and n <= len(lines):
            found = lines[n - 1].find(target, col)
            if found >= 0:
                item.refs.append(Ref(target, "id", Span(n, found + 1, n, found + len(target) + 1), f.key, f.key))
                col = found + len(target)
                break
            n += 1
            col = 0


def _status_signal_from_field(item: Item, f: Field, vocab: Vocabulary) -> None:
    if f.key == "status":
        canonical = vocab.status_of(f.value) or f.value.lower()
        item.signals.insert(0, StatusSignal("field", canonical, f.value_raw, f.value_span))


def _attach_field(item: Item, f: Field, vocab: Vocabulary, lines: list[str]) -> None:
    item.fields.append(f)
    _add_field_refs(item, f, vocab, lines)
    _status_signal_from_field(item, f, vocab)


# --------------------------------------------------------------------------- tasks


def _task_of(ctx: _Ctx, b: Block) -> Task | None:
    line = _line(ctx, b.line)
    if "[" not in line:
        return None
    m = CHECKBOX_RE.match(line)
    if not m:
        return None
    mark = m.group("mark")
    text = m.group("text")
    tcol = m.start("text")
    tid = None
    im = re.match(r"^(?:\*\*)?([A-Za-z][A-Za-z0-9]{0,15}(?:[-_][A-Za-z]{1,15})*[-_]\d{1,6}[A-Za-z]?(?:-[A-Z]+)*|[A-Z]{1,4}\d{1,4}|(?:Phase|Task|Step|Story)\s+\d+(?:\.\d+)*)(?=[\s:*]|$)", text)  # noqa: E501 - one regex reads better unbroken
    if im and not re.fullmatch(r"P[0-5]", im.group(1)):
        tid = im.group(1)
    return Task(
        text=_plain_text(text),
        checked=mark in CHECKED_MARKS,
        marker=mark,
        span=Span(b.line, len(m.group("prefix")) + 1, b.line, len(line.rstrip()) + 1),
        marker_span=Span(b.line, m.start("mark"), b.line, m.end("mark") + 2),
        depth=b.depth,
        id=tid,
    ) if tcol >= 0 else None


def _collect_tasks(ctx: _Ctx, indices: list[int]) -> list[Task]:
    """Checklist entries among these block indices, nested by their list parents."""
    roots: list[Task] = []
    by_block: dict[int, Task] = {}
    for bi in indices:
        b = ctx.blocks[bi]
        if b.kind != "list_item":
            continue
        task = _task_of(ctx, b)
        if task is None:
            continue
        by_block[bi] = task
        parent = b.parent
        while parent >= 0 and parent not in by_block:
            parent = ctx.blocks[parent].parent
        if parent >= 0:
            by_block[parent].children.append(task)
        else:
            roots.append(task)
    return roots


# --------------------------------------------------------------------------- refs and links


def _text_refs(ctx: _Ctx, item: Item, first: int, last: int, skip: set[int]) -> None:
    code = ctx.doc.code_lines
    seen = {(r.span.line, r.span.col) for r in item.refs}
    for n in range(first, last + 1):
        if n in code or n in skip:
            continue
        line = _line(ctx, n)
        if "-" not in line and "_" not in line:
            continue
        for m in TEXT_ID_RE.finditer(line):
            if (n, m.start(1) + 1) in seen:
                continue
            if item.id_span and item.id_span.line == n and item.id_span.col == m.start(1) + 1:
                continue
            item.refs.append(Ref(m.group(1), "id", Span(n, m.start(1) + 1, n, m.end(1) + 1), "text"))


def _doc_links(ctx: _Ctx) -> None:
    """Every link in the document with its position, plus reference definitions."""
    doc = ctx.doc
    code = doc.code_lines
    for n, line in enumerate(ctx.lines, 1):
        if n in code:
            continue
        m = _REFDEF_RE.match(line)
        if m:
            label = _norm_label(m.group("label"))
            target = m.group("target").strip("<>")
            doc.refdefs.setdefault(label, Link(target, m.group("label"), Span(n, m.start("label"), n, len(line) + 1),
                                               "refdef", label))
    for b in ctx.blocks:
        if b.inline is None:
            continue
        found = links(ctx.kids(b.inline)) if _may_link(b.inline.content, ctx.env) else []
        search_line, search_col = b.line, 0
        for lk in found:
            needle = f"({lk.href}" if lk.kind != "autolink" else lk.href
            span = None
            for n in range(search_line, b.end_line + 1):
                line = _line(ctx, n)
                col = line.find(needle, search_col if n == search_line else 0) if needle != "(" else -1
                if col < 0 and lk.kind != "autolink":
                    raw_href = lk.href.replace("%20", " ")
                    col = line.find(f"({raw_href}", search_col if n == search_line else 0)
                if col >= 0:
                    start = line.rfind("[", 0, col)
                    start = start if start >= 0 else col
                    end = col + len(needle) + (1 if lk.kind != "autolink" else 0)
                    span = Span(n, start + 1, n, min(end, len(line)) + 1)
                    search_line, search_col = n, end
                    break
            if span is None:
                span = _block_span(ctx, b)
            doc.links.append(Link(lk.href, lk.text, span, lk.kind))
        # reference-style links whose definition is missing stay as literal text: find them
        for n in range(b.line, b.end_line + 1):
            line = _line(ctx, n)
            if "[" not in line:
                continue
            for m in _WIKILINK_RE.finditer(line):
                doc.links.append(Link(m.group("target"), m.group("target"), Span(n, m.start() + 1, n, m.end() + 1),
                                      "wikilink"))
            for m in _REFLINK_RE.finditer(line):
                label = m.group("label")
                inline_link = label is None and line[m.end() : m.end() + 1] == "("
                if m.group("text").strip() in (" ", "x", "X", "") or inline_link:
                    continue
                key = _norm_label(label if label else m.group("text"))
                if m.group("text").startswith("[") or line[max(m.start() - 1, 0):m.start()] == "[":
                    continue
                if label is not None or key in doc.refdefs:
                    doc.links.append(Link("", m.group("text"), Span(n, m.start() + 1, n, m.end() + 1),
                                          "reference", key))


# an autolink: <scheme:...> or <user@host>
_AUTOLINK_START_RE = re.compile(r"<(?:[A-Za-z][A-Za-z0-9.+-]{1,31}:|[^\s<>@]+@)")


def _may_link(content: str, env: dict) -> bool:
    """Whether inline text can hold a link or image (cheap test before the inline parse).

    Without reference definitions a link needs `](` (inline link or image) or an autolink;
    with them, any `[` may be a reference link.
    """
    if "<" in content and _AUTOLINK_START_RE.search(content):
        return True
    if "[" not in content:
        return False
    return bool(env.get("references")) or "](" in content


def _sort_links(ctx: _Ctx) -> None:
    ctx.doc.links.sort(key=lambda lk: (lk.span.line, lk.span.col))
    ctx.link_lines = [lk.span.line for lk in ctx.doc.links]


def _norm_label(label: str) -> str:
    return re.sub(r"\s+", " ", label.strip()).casefold()


def _link_refs(ctx: _Ctx, item: Item) -> None:
    from bisect import bisect_left, bisect_right

    links = ctx.doc.links
    lo = bisect_left(ctx.link_lines, item.span.line)
    hi = bisect_right(ctx.link_lines, item.span.end_line)
    for lk in links[lo:hi]:
        if lk.kind in ("inline", "reference"):
            target = lk.target
            if lk.kind == "reference":
                d = ctx.doc.refdefs.get(lk.label or "")
                target = d.target if d else ""
            if target and not re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):
                item.refs.append(Ref(target, "link", lk.span, "link", attrs={"text": lk.text}))


# --------------------------------------------------------------------------- items: headings


def _strip_heading(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Remove leading/trailing status markers from heading text; return the markers found."""
    signals: list[tuple[str, str]] = []
    m = LEADING_STATUS_RE.match(text)
    if m:
        signals.append(("emoji" if m.group("emoji") else "prefix", m.group(0).strip()))
        text = text[m.end():]
    m = TRAILING_STATUS_RE.search(text)
    if m and m.start() > 0:
        signals.append(("emoji" if m.group("emoji") else "heading", m.group("raw")))
        text = text[: m.start()]
    return text.strip(), signals


def _heading_candidates(ctx: _Ctx) -> dict[int, tuple[str | None, int | None, str, list[tuple[str, str]], bool, str]]:
    """Heading ordinal -> (id, number, title, status markers, struck, arrow target)."""
    out = {}
    for ordinal, bi in enumerate(ctx.heading_blocks):
        b = ctx.blocks[bi]
        children = ctx.kids(b.inline)
        is_struck, after = struck(children)
        text = ctx.sections[ordinal].title
        arrow = ""
        if is_struck:
            inner_end = text.find(after) if after else len(text)
            inner = text[:inner_end].strip() if after else text
            am = ARROW_RE.search(after)
            if am:
                arrow = am.group("target")
            text = inner
        text, markers = _strip_heading(text)
        if is_struck and after and not arrow:
            markers.append(("heading", after.strip()))
        hm = match_item_heading(text)
        if hm is None:
            out[ordinal] = (None, None, text, markers, is_struck, arrow)
        else:
            out[ordinal] = (hm.id, hm.number, hm.title, markers, is_struck, arrow)
    return out


def _body_range(ctx: _Ctx, ordinal: int) -> tuple[int, int]:
    """Block indices (start, end-exclusive) of a heading's body: up to the next heading of <= level."""
    return ctx.heading_blocks[ordinal] + 1, ctx.body_end[ordinal]


def _direct_fields(ctx: _Ctx, start: int, end: int, *, allow_plain: bool) -> list[Field]:
    """Field lines directly in a body (not in sub-sections, not nested in lists)."""
    fields: list[Field] = []
    for bi in range(start, end):
        b = ctx.blocks[bi]
        if b.kind == "heading":
            break
        if b.kind == "list_item" and b.depth == 0:
            f = _field_in_line(ctx, b.line, allow_plain=allow_plain)
            if f is not None:
                fields.append(f)
        elif b.kind == "paragraph" and b.depth == 0:
            for n in range(b.line, b.end_line + 1):
                f = _field_in_line(ctx, n, allow_plain=allow_plain)
                if f is not None:
                    fields.append(f)
    return fields


def _heading_items(ctx: _Ctx, doc_is_item: bool) -> list[tuple[int, Item]]:
    cands = _heading_candidates(ctx)
    numbered_levels: dict[int, int] = {}
    for ordinal, (hid, num, *_rest) in cands.items():
        if num is not None and hid is None:
            lvl = ctx.blocks[ctx.heading_blocks[ordinal]].level
            numbered_levels[lvl] = numbered_levels.get(lvl, 0) + 1
    chosen: dict[int, str] = {}
    for ordinal, (hid, num, *_rest) in cands.items():
        lvl = ctx.blocks[ctx.heading_blocks[ordinal]].level
        if hid is not None:
            chosen[ordinal] = "id"
        elif num is not None and numbered_levels.get(lvl, 0) >= 2:
            chosen[ordinal] = "number"
    # headings without IDs: items when they and a sibling both carry field lines
    with_fields: dict[tuple[int, int], list[int]] = {}
    for ordinal in cands:
        if ordinal in chosen:
            continue
        start, end = _body_range(ctx, ordinal)
        fields = _direct_fields(ctx, start, end, allow_plain=True)
        if any(f.value and f.key in KNOWN_FIELD_KEYS for f in fields):
            lvl = ctx.blocks[ctx.heading_blocks[ordinal]].level
            parent = _parent_ordinal(ctx, ordinal)
            with_fields.setdefault((parent, lvl), []).append(ordinal)
    for group in with_fields.values():
        if len(group) >= 2 and not doc_is_item:
            for ordinal in group:
                chosen[ordinal] = "fields"
    # "Phase 2: ..." groups items or sits inside one: a section then, not an item
    for ordinal in list(chosen):
        hid = cands[ordinal][0]
        if hid is None or not GROUP_WORD_RE.match(hid):
            continue
        start, end = _body_range(ctx, ordinal)
        inner = any(o in chosen and o != ordinal and start <= ctx.heading_blocks[o] < end for o in chosen)
        parent = _parent_ordinal(ctx, ordinal)
        nested = False
        while parent >= 0:
            if parent in chosen and parent != ordinal:
                nested = True
                break
            parent = _parent_ordinal(ctx, parent)
        if inner or nested:
            del chosen[ordinal]
    items: list[tuple[int, Item]] = []
    for ordinal in sorted(chosen):
        items.append((ordinal, _make_heading_item(ctx, ordinal, cands[ordinal])))
    return items


def _parent_ordinal(ctx: _Ctx, ordinal: int) -> int:
    return ctx.parent_of[ordinal]


def _make_heading_item(ctx: _Ctx, ordinal: int, cand: tuple) -> Item:
    hid, num, title, markers, is_struck, arrow = cand
    bi = ctx.heading_blocks[ordinal]
    b = ctx.blocks[bi]
    heading = ctx.sections[ordinal].heading
    assert heading is not None
    start, end = _body_range(ctx, ordinal)
    last_line = ctx.blocks[end].line - 1 if end < len(ctx.blocks) else len(ctx.lines)
    while last_line > b.line and not _line(ctx, last_line).strip():
        last_line -= 1
    span = Span(b.line, heading.span.col, last_line, len(_line(ctx, last_line)) + 1)
    title_span = _span_in_line(ctx, b.line, title) if title else heading.span
    id_span = _span_in_line(ctx, b.line, hid) if hid else None
    section, inherited = _section_path(ctx, _parent_ordinal(ctx, ordinal))
    item = Item("heading", hid, hid, title, title, span, title_span, inherited=inherited,
                section=section, number=num, id_span=id_span, level=b.level)
    if hid:
        item.id = normalise_id(hid)
    for source, raw in markers:
        status = ctx.vocab.status_of(raw) or ("done" if source == "heading" else None)
        if status:
            item.signals.append(StatusSignal(source, status, raw, heading.span))
    if is_struck:
        item.signals.append(StatusSignal("strikethrough", "done", "~~", heading.span))
    if arrow:
        item.refs.append(Ref(arrow, "id", _span_in_line(ctx, b.line, arrow), "arrow", "closed-by"))
    own_status = ctx.sections[ordinal].inherited.get("status")
    if own_status and not item.signals:
        item.signals.append(StatusSignal("heading", own_status, heading.text, heading.span))
    for f in _direct_fields(ctx, start, end, allow_plain=True):
        _attach_field(item, f, ctx.vocab, ctx.lines)
    _fields_as_headings(ctx, item, ordinal, start, end)
    return item


def _fields_as_headings(ctx: _Ctx, item: Item, ordinal: int, start: int, end: int) -> None:
    """`### Priority` followed by a paragraph (one-item-per-file tickets)."""
    for bi in range(start, end):
        b = ctx.blocks[bi]
        if b.kind != "heading" or b.inline is None:
            continue
        key = ctx.vocab.canonical_key(b.inline.content)
        if key is None or key not in KNOWN_FIELD_KEYS or item.get(key) is not None:
            continue
        nxt = bi + 1
        if nxt < len(ctx.blocks) and ctx.blocks[nxt].kind == "paragraph" and ctx.blocks[nxt].depth == 0:
            p = ctx.blocks[nxt]
            raw = _line(ctx, p.line).strip()
            key_span = _span_in_line(ctx, b.line, b.inline.content)
            value_span = _span_in_line(ctx, p.line, raw)
            f = Field(key, b.inline.content, _plain_text(raw), raw, Span(b.line, 1, p.line, value_span.end_col),
                      key_span, value_span, "heading", known=True)
            _fill_values(ctx, f)
            _attach_field(item, f, ctx.vocab, ctx.lines)


# --------------------------------------------------------------------------- items: tables


def _table_cells(ctx: _Ctx, line_no: int) -> list[tuple[str, Span]]:
    line = _line(ctx, line_no)
    return [(line[s:e], Span(line_no, s + 1, line_no, e + 1)) for s, e in split_cells(line)]


def _cell_id(raw: str) -> str | None:
    """The ID a table cell holds: a bare ID, possibly struck and redirected (`~~A-1~~ → B-2`)."""
    text = _plain_text(raw)
    m = _ARROW_CELL_RE.match(text)
    if m:
        text = m.group(1)
    if PURE_ID_RE.match(text) and not re.fullmatch(r"P[0-5]|\d+", text):
        return text
    return None


_ARROW_CELL_RE = re.compile(r"^(\S+)\s+\S{1,3}\s+[A-Za-z][\w-]*\d+\w*$")


def _tables(ctx: _Ctx, heading_ids: set[str], owned: set[int]) -> list[Item]:
    items: list[Item] = []
    for bi, b in enumerate(ctx.blocks):
        if b.kind != "table" or not b.rows:
            continue
        header_line, header_tokens = b.rows[0]
        header = [plain(ctx.kids(t)) if t is not None else "" for t in header_tokens]
        body_rows = b.rows[1:]
        section, inherited = _section_path(ctx, ctx.section_of[bi])
        keys: list[str] = []
        for h in header:
            canonical = ctx.vocab.canonical_key(h)
            keys.append(canonical or normalise_key(h) or f"column {len(keys) + 1}")
        raw_rows = [(ln, _table_cells(ctx, ln)) for ln, _ in body_rows]
        # an ID column: most non-empty cells are a bare ID
        id_col = -1
        for ci in range(len(header)):
            vals = [cells[ci][0] for _, cells in raw_rows if ci < len(cells) and _plain_text(cells[ci][0])]
            if vals and sum(1 for v in vals if _cell_id(v)) >= max(1, (len(vals) * 6 + 9) // 10):
                id_col = ci
                break
        titles = [i for i, k in enumerate(keys) if k == "title" and i != id_col]
        title_col = next((i for i in titles if normalise_key(header[i]) == "title"), titles[0] if titles else -1)
        if title_col < 0 and id_col < 0 and raw_rows:
            # "| M3: Fixed vector add | ..." : IDs with titles in the first column
            firsts = [_plain_text(cells[0][0]) for _, cells in raw_rows if cells]
            hits = sum(1 for f in firsts if (cm := CELL_ID_RE.match(f)) and not re.fullmatch(r"P[0-5]", cm.group("id")))
            if firsts and hits * 10 >= len(firsts) * 6:
                title_col = 0
        role = "other"
        if id_col >= 0:
            ids = [normalise_id(_cell_id(cells[id_col][0]) or "") for _, cells in raw_rows if id_col < len(cells)]
            defined = sum(1 for i in ids if i in heading_ids)
            if heading_ids and defined * 2 >= len(ids):
                role = "index"
            elif title_col < 0:
                role = "index" if heading_ids else "other"
            else:
                role = "items"
        elif title_col >= 0:
            role = "items"
        if bi in owned and role == "items":
            role = "other"
        span = _block_span(ctx, b)
        ctx.doc.tables.append(Table(span, header, header_line, [(ln, [c for c, _ in cells]) for ln, cells in raw_rows],
                                    len(header), role, section))
        if role == "index":
            for ln, cells in raw_rows:
                if id_col >= len(cells):
                    continue
                cid = _cell_id(cells[id_col][0])
                if not cid:
                    continue
                cols = {}
                raws = {}
                spans = {}
                for ci, (craw, cspan) in enumerate(cells[: len(keys)]):
                    if ci == id_col:
                        continue
                    k = keys[ci] if keys[ci] != "id" else normalise_key(header[ci]) or "#"
                    raws[k] = craw
                    spans[k] = cspan
                    cols[k] = _normalise_cell(ctx, k, craw)
                id_span = cells[id_col][1]
                col = _line(ctx, ln).find(cid, id_span.col - 1)
                ref_span = Span(ln, col + 1, ln, col + len(cid) + 1) if col >= 0 else id_span
                ref = Ref(cid, "id", ref_span, "index", "index", attrs=cols)
                ctx.doc.index.append(IndexRow(ref, cols, raws, spans, section))
        elif role == "items":
            for (ln, cells), (_, tokens) in zip(raw_rows, body_rows, strict=True):
                items.append(_table_item(ctx, ln, cells, tokens, keys, header, id_col, title_col,
                                         section, inherited))
    return items


def _normalise_cell(ctx: _Ctx, key: str, raw: str) -> str:
    text = _plain_text(raw)
    if key == "status":
        return ctx.vocab.status_of(text) or text.lower()
    if key == "priority":
        return priority_of(text) or text
    return text


def _table_item(ctx: _Ctx, ln: int, cells: list[tuple[str, Span]], tokens: list, keys: list[str],
                header: list[str], id_col: int, title_col: int, section: str,
                inherited: dict[str, str]) -> Item:
    line = _line(ctx, ln)
    row_span = Span(ln, len(line) - len(line.lstrip()) + 1, ln, len(line.rstrip()) + 1)
    title_raw, title_span = ("", row_span)
    if 0 <= title_col < len(cells):
        title_raw, title_span = cells[title_col]
    elif cells:
        title_raw, title_span = cells[0]
    title = _plain_text(title_raw)
    rid = None
    id_span = None
    if 0 <= id_col < len(cells):
        rid = _cell_id(cells[id_col][0])
        id_span = cells[id_col][1]
    else:
        m = CELL_ID_RE.match(title)
        if m and not re.fullmatch(r"P[0-5]", m.group("id")):
            rid = m.group("id")
            title = m.group("title").strip()
            id_span = Span(ln, title_span.col, ln, title_span.col + len(rid))
    item = Item("table-row", normalise_id(rid) if rid else None, rid, title, title_raw, row_span, title_span,
                inherited=dict(inherited), section=section, id_span=id_span)
    for ci, (craw, cspan) in enumerate(cells[: len(keys)]):
        if ci in (title_col, id_col):
            continue
        key = keys[ci]
        tok = tokens[ci] if ci < len(tokens) else None
        value = plain(ctx.kids(tok)) if tok is not None else _plain_text(craw)
        f = Field(key, header[ci], value, craw, cspan, Span(ln, cspan.col, ln, cspan.col), cspan, "table",
                  known=ctx.vocab.canonical_key(header[ci]) is not None)
        if key == "labels":
            codes = code_spans(ctx.kids(tok)) if tok is not None else []
            f.values = codes or [p.strip() for p in re.split(r"[,;]", value) if p.strip()]
        else:
            _fill_values(ctx, f)
        _attach_field(item, f, ctx.vocab, ctx.lines)
    return item


# --------------------------------------------------------------------------- items: lists


def _list_items(ctx: _Ctx, owned: set[int], heading_ids: set[str], has_heading_items: bool,
                doc_is_item: bool) -> list[Item]:
    """Top-level checklist entries and bold-name bullets outside other items."""
    items: list[Item] = []
    if doc_is_item:
        return items
    blocks = ctx.blocks
    # bold-name bullets need a sibling of the same shape in the same list
    bold: dict[int, tuple[re.Match[str], int]] = {}
    list_memo: dict[int, int] = {}
    sibling_count: dict[tuple[int, int], int] = {}
    for bi, b in enumerate(blocks):
        if b.kind != "list_item" or b.depth != 0 or bi in owned:
            continue
        line = _line(ctx, b.line)
        if CHECKBOX_RE.match(line):
            continue
        m = BOLD_NAME_RE.match(line)
        if not m:
            continue
        name = m.group("name").strip().rstrip(":：")
        desc = m.group("desc")
        if ctx.vocab.canonical_key(name) is not None or not desc or _LINK_ONLY_RE.match(desc.strip()):
            continue
        ordinal = ctx.section_of[bi]
        if ordinal >= 0 and NON_ITEM_SECTION_RE.search(ctx.sections[ordinal].title):
            continue
        group = (ordinal, _list_start(ctx, bi, list_memo))
        bold[bi] = (m, group[1])
        sibling_count[group] = sibling_count.get(group, 0) + 1
    # the same bold name in several lists is a template of properties, not item names
    names_by_group: dict[int, set[str]] = {}
    for m, start in bold.values():
        names_by_group.setdefault(start, set()).add(m.group("name").strip().rstrip(":：").casefold())
    seen_names: dict[str, int] = {}
    for names in names_by_group.values():
        for nm in names:
            seen_names[nm] = seen_names.get(nm, 0) + 1
    for bi in [bi for bi, (m, start) in bold.items()
               if any(seen_names[nm] > 1 for nm in names_by_group[start])]:
        del bold[bi]
    for bi, b in enumerate(blocks):
        if b.kind != "list_item" or bi in owned:
            continue
        section, inherited = _section_path(ctx, ctx.section_of[bi])
        line = _line(ctx, b.line)
        span = _block_span(ctx, b)
        if b.depth == 0 and CHECKBOX_RE.match(line):
            task = _task_of(ctx, b)
            if task is None:
                continue
            sub = _inside(blocks, bi)
            if has_heading_items:
                if task.id and normalise_id(task.id) in heading_ids:
                    cols = {"status": "done" if task.checked else "todo"}
                    ref = Ref(task.id, "id", _span_in_line(ctx, b.line, task.id), "index", "index", attrs=cols)
                    ctx.doc.index.append(IndexRow(ref, cols, {"status": f"[{task.marker}]"},
                                                  {"status": task.marker_span}, section))
                else:
                    task.children = _collect_tasks(ctx, sub)
                    ctx.doc.loose_tasks.append(task)
                owned.update(sub)
                continue
            children = _collect_tasks(ctx, sub)
            title = task.text
            tid = task.id
            if tid:
                title = _after_id(title, tid) or title
            item = Item("checklist", normalise_id(tid) if tid else None, tid, title, task.text, span,
                        task.span, tasks=children, inherited=dict(inherited), section=section,
                        id_span=_span_in_line(ctx, b.line, tid) if tid else None, level=b.depth)
            item.signals.append(StatusSignal("checkbox", "done" if task.checked else "todo",
                                             f"[{task.marker}]", task.marker_span))
            if inherited.get("status") and not task.checked:
                item.signals.insert(0, StatusSignal("lane", inherited["status"], section, span))
            for f in _inline_meta_fields(ctx, b):
                _attach_field(item, f, ctx.vocab, ctx.lines)
            items.append(item)
            owned.update(sub)
            owned.add(bi)
        elif bi in bold and sibling_count.get((ctx.section_of[bi], bold[bi][1]), 0) >= 2:
            m = bold[bi][0]
            name = m.group("name").strip().rstrip(":：").strip()
            name_span = _span_in_line(ctx, b.line, m.group("name"))
            nm = CELL_ID_RE.match(name)
            nid = nm.group("id") if nm and not re.fullmatch(r"P[0-5]", nm.group("id")) else None
            item = Item("bullet", normalise_id(nid) if nid else None, nid, nm.group("title") if nid and nm else name,
                        name, span, name_span, inherited=dict(inherited), section=section,
                        id_span=_span_in_line(ctx, b.line, nid) if nid else None)
            desc = m.group("desc")
            if desc:
                dcol = m.start("desc")
                dspan = Span(b.line, dcol + 1, b.line, dcol + len(desc) + 1)
                key_span = Span(b.line, dcol + 1, b.line, dcol + 1)
                item.fields.append(Field("description", "", _plain_text(desc), desc, dspan, key_span, dspan, "bullet"))
            sub = _inside(blocks, bi)
            item.tasks = _collect_tasks(ctx, sub)
            items.append(item)
            owned.update(sub)
            owned.add(bi)
    return items


def _after_id(text: str, tid: str) -> str:
    """The text after a leading ID and its punctuation ("**T-1:** Title" -> "Title")."""
    start = 0
    while start < len(text) and not (text[start].isalnum() or text[start] == "_"):
        start += 1
    if not text.startswith(tid, start):
        return text.strip()
    rest = text[start + len(tid) :]
    i = 0
    while i < len(rest) and not (rest[i].isalnum() or rest[i] == "_"):
        i += 1
    return rest[i:].strip()


def _inside(blocks: list[Block], bi: int) -> list[int]:
    """Indices of the blocks nested in list item ``bi`` (they follow it, within its lines)."""
    end_line = blocks[bi].end_line
    out = []
    j = bi + 1
    while j < len(blocks) and blocks[j].line <= end_line:
        out.append(j)
        j += 1
    return out


def _prev_sibling(ctx: _Ctx, bi: int) -> int | None:
    """The list item just before ``bi`` in the same list (contiguous), if any."""
    b = ctx.blocks[bi]
    for j in range(bi - 1, -1, -1):
        o = ctx.blocks[j]
        if o.kind == "list_item" and o.depth == b.depth and o.parent == b.parent:
            return j if o.end_line + 2 >= b.line else None
        if o.depth <= b.depth and o.kind not in ("list_item", "paragraph"):
            return None
        if o.kind == "paragraph" and o.depth == 0:
            return None
    return None


def _list_start(ctx: _Ctx, bi: int, memo: dict[int, int]) -> int:
    """Index of the first item of the list holding block bi (iterative, memoised)."""
    chain: list[int] = []
    cur: int | None = bi
    start = bi
    while cur is not None:
        if cur in memo:
            start = memo[cur]
            break
        chain.append(cur)
        start = cur
        cur = _prev_sibling(ctx, cur)
    for c in chain:
        memo[c] = start
    return start


_META_RE = re.compile(r"@(?P<key>[A-Za-z]+):(?P<value>[^\s`]+)|(?<![\w&])#(?P<tag>[A-Za-z][\w-]*)")


def _inline_meta_fields(ctx: _Ctx, b: Block) -> list[Field]:
    """`@depends:BE-051,BE-052` / `@est:4h` / `#backend` metadata on a checklist entry's lines."""
    out: list[Field] = []
    tags: list[tuple[str, Span]] = []
    for n in range(b.line, min(b.end_line, b.line + 2) + 1):
        if n in ctx.doc.code_lines:
            continue
        line = _line(ctx, n)
        if "@" not in line and "#" not in line:
            continue
        for m in _META_RE.finditer(line):
            if m.group("tag"):
                if "`" in line[: m.start()] or n != b.line:
                    tags.append((m.group("tag"), Span(n, m.start() + 1, n, m.end() + 1)))
                continue
            key_raw = m.group("key")
            known = ctx.vocab.canonical_key(key_raw)
            canonical = known or {"est": "effort", "ac": "acceptance"}.get(key_raw, key_raw)
            value = m.group("value")
            vspan = Span(n, m.start("value") + 1, n, m.end("value") + 1)
            f = Field(canonical, key_raw, value, value, Span(n, m.start() + 1, n, m.end() + 1),
                      Span(n, m.start("key") + 1, n, m.end("key") + 1), vspan, "inline", known=known is not None)
            _fill_values(ctx, f)
            out.append(f)
    if tags:
        first, last = tags[0][1], tags[-1][1]
        span = Span(first.line, first.col, last.end_line, last.end_col)
        out.append(Field("labels", "#", ", ".join(t for t, _ in tags), " ".join("#" + t for t, _ in tags), span,
                         Span(first.line, first.col, first.line, first.col), span, "inline",
                         values=[t for t, _ in tags], known=True))
    return out


# --------------------------------------------------------------------------- document items


def _front_matter(ctx: _Ctx) -> list[Field]:
    fields: list[Field] = []
    fm_block = next((b for b in ctx.blocks if b.kind == "front_matter"), None)
    first = _line(ctx, 1).strip()
    if fm_block is None:
        if first == "---" and not _has_closing_fence(ctx):
            _problem(ctx, Span(1, 1, 1, 4), "BL003", "broken-front-matter",
                     "front matter opened with '---' on line 1 is never closed: add a closing '---' line "
                     "(everything after it is read as YAML)")
        return fields
    result = frontmatter.load(fm_block.content)
    ctx.doc.front_matter_span = Span(fm_block.line, 1, fm_block.end_line, len(_line(ctx, fm_block.end_line)) + 1)
    if result.data is None:
        line = fm_block.line + result.error_line
        _problem(ctx, Span(line, 1, line, len(_line(ctx, line)) + 1), "BL003", "broken-front-matter",
                 (result.error or "broken YAML front matter") + "; its fields are not read until it is fixed")
        return fields
    ctx.doc.front_matter = result.data
    positions = frontmatter.key_lines(fm_block.content)
    for key, value in result.data.items():
        where = positions.get(key)
        if where is None:
            continue
        rel, kend, vstart = where
        n = fm_block.line + 1 + rel
        line = _line(ctx, n)
        canonical = ctx.vocab.canonical_key(key)
        text = frontmatter.as_text(value)
        vend = len(line.rstrip()) if line[vstart:].strip() else vstart
        end_n = n
        while end_n + 1 < fm_block.end_line and _line(ctx, end_n + 1)[:1] in (" ", "\t", "-"):
            end_n += 1
        f = Field(canonical or normalise_key(key), key, text, line[vstart:vend] if vend > vstart else text,
                  Span(n, 1, end_n, len(_line(ctx, end_n).rstrip()) + 1), Span(n, 1, n, kend + 1),
                  Span(n, vstart + 1, n, vend + 1), "frontmatter", known=canonical is not None)
        if isinstance(value, list):
            f.values = [frontmatter.as_text(v) for v in value]
        elif canonical in ctx.vocab.list_fields and text:
            f.values = [p.strip() for p in text.split(",") if p.strip()]
        fields.append(f)
    return fields


def _has_closing_fence(ctx: _Ctx) -> bool:
    return any(line.rstrip() == "---" for line in ctx.lines[1:])


def _top_fields(ctx: _Ctx) -> list[Field]:
    """Field lines before the first level-2 heading (after the title)."""
    out: list[Field] = []
    for b in ctx.blocks:
        if b.kind == "heading" and b.level >= 2:
            break
        if b.kind == "paragraph" and b.depth == 0:
            for n in range(b.line, b.end_line + 1):
                f = _field_in_line(ctx, n, allow_plain=False)
                if f is not None:
                    out.append(f)
        elif b.kind == "list_item" and b.depth == 0:
            f = _field_in_line(ctx, b.line, allow_plain=False, allow_unknown=False)
            if f is not None:
                out.append(f)
    return out


def _document_item(ctx: _Ctx, fm_fields: list[Field], top: list[Field]) -> Item | None:
    keys = {f.key for f in fm_fields} | {f.key for f in top}
    if not ({"id", "status"} & keys):
        return None
    doc = ctx.doc
    h1 = next((h for h in doc.headings if h.level == 1), None)
    title_f = next((f for f in fm_fields if f.key == "title"), None)
    title = title_f.value if title_f else (h1.text if h1 else PurePosixPath(ctx.path).stem)
    title_span = title_f.value_span if title_f else (h1.span if h1 else Span(1, 1, 1, 1))
    id_f = next((f for f in fm_fields if f.key == "id"), None)
    last = len(ctx.lines)
    item = Item("document", None, None, title, title, Span(1, 1, last, len(_line(ctx, last)) + 1), title_span)
    if id_f and id_f.value:
        item.id_raw = id_f.value
        item.id = normalise_id(id_f.value)
        item.id_span = id_f.value_span
    else:
        fm = _FILE_ID_RE.match(PurePosixPath(ctx.path).name)
        hm = match_item_heading(title) if title else None
        if hm and hm.id:
            item.id_raw, item.id, item.title = hm.id, normalise_id(hm.id), hm.title
        elif fm and fm_fields:
            item.id_raw, item.id = fm.group("id"), normalise_id(fm.group("id"))
    for f in [*fm_fields, *top]:
        if f.key in ("title", "id") and f.style == "frontmatter":
            continue
        _attach_field(item, f, ctx.vocab, ctx.lines)
    item.tasks = _collect_tasks(ctx, [i for i, b in enumerate(ctx.blocks) if b.kind == "list_item"])
    return item


# --------------------------------------------------------------------------- entry point


def build(ctx: _Ctx) -> None:
    doc = ctx.doc
    code: set[int] = set()
    for b in ctx.blocks:
        if b.kind in ("fence", "code"):
            code.update(range(b.line, b.end_line + 1))
        elif b.kind == "hr" and b.depth == 0 and b.quote == 0:
            doc.thematic_breaks.append(b.line)
        elif b.kind == "html":
            for m in re.finditer(r"<!--(.*?)-->", b.content, re.DOTALL):
                start_line = b.line + b.content.count("\n", 0, m.start())
                end_line = b.line + b.content.count("\n", 0, m.end())
                doc.html_comments.append((Span(start_line, 1, end_line, len(_line(ctx, end_line)) + 1),
                                          m.group(1).strip()))
    doc.code_lines = frozenset(code)
    doc.blank_lines = frozenset(i for i, line in enumerate(ctx.lines, 1) if not line.strip())
    for b in ctx.blocks:
        if b.inline is not None and "<!--" in b.inline.content:
            for n in range(b.line, b.end_line + 1):
                line = _line(ctx, n)
                for m in re.finditer(r"<!--(.*?)-->", line):
                    doc.html_comments.append((Span(n, m.start() + 1, n, m.end() + 1), m.group(1).strip()))
    _headings_and_sections(ctx)
    fm_fields = _front_matter(ctx)
    _doc_links(ctx)
    _sort_links(ctx)

    top = _top_fields(ctx)
    doc_is_item = bool({"id", "status"} & {f.key for f in [*fm_fields, *top]})
    heading_items = _heading_items(ctx, doc_is_item)
    heading_ids = {it.id for _, it in heading_items if it.id}
    owned: set[int] = set()
    ctx.owner = [None] * len(ctx.blocks)
    for ordinal, item in heading_items:
        start, end = _body_range(ctx, ordinal)
        for bi in range(start, end):
            owned.add(bi)
            ctx.owner[bi] = item
    # nested item headings: a block belongs to its innermost item
    # tasks: checklist entries in the item's body, stopping at nested item headings
    item_ordinals = {o for o, _ in heading_items}
    ordinal_of = {bi: o for o, bi in enumerate(ctx.heading_blocks)}
    for ordinal, item in heading_items:
        start, end = _body_range(ctx, ordinal)
        indices = []
        bi = start
        while bi < end:
            nested = ordinal_of.get(bi)
            if nested is not None and nested in item_ordinals:
                _s, e = _body_range(ctx, nested)
                bi = e
                continue
            indices.append(bi)
            bi += 1
        item.tasks = _collect_tasks(ctx, indices)
        lines_skip: set[int] = set()
        _text_refs(ctx, item, item.span.line, item.span.end_line, lines_skip)
        _link_refs(ctx, item)

    doc_item = None
    if not heading_items:
        doc_item = _document_item(ctx, fm_fields, top)
    if doc_item is None:
        doc.fields = [*fm_fields, *top]
    table_items = _tables(ctx, heading_ids, owned if heading_items else set())
    list_items = _list_items(ctx, set(owned), heading_ids, bool(heading_items), doc_item is not None)
    for item in [*table_items, *list_items]:
        _text_refs(ctx, item, item.span.line, item.span.end_line, set())
        _link_refs(ctx, item)
    items: list[Item] = [it for _, it in heading_items]
    if doc_item is not None:
        _text_refs(ctx, doc_item, 1, len(ctx.lines), set())
        _link_refs(ctx, doc_item)
        items.insert(0, doc_item)
    items.extend(table_items)
    items.extend(list_items)
    items.sort(key=lambda it: (it.span.line, it.span.col))
    doc.items = items
    _place_in_sections(ctx)


def _place_in_sections(ctx: _Ctx) -> None:
    """Attach each item to its innermost section: the last heading at or before its line."""
    from bisect import bisect_right

    starts = [ctx.blocks[bi].line for bi in ctx.heading_blocks]
    for item in ctx.doc.items:
        idx = bisect_right(starts, item.span.line) - 1
        if item.kind == "heading" and idx >= 0 and starts[idx] == item.span.line:
            idx = ctx.parent_of[idx]
        (ctx.sections[idx] if idx >= 0 else ctx.doc.root).items.append(item)
