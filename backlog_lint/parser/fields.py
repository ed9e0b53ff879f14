"""Convention: field lines (`- **Status:** Done`, `**Priority**: High`, `Status: open`) and their values,
references and status signals once attached to an item."""

from __future__ import annotations

import re

from backlog_lint.ids import FIELD_ID_RE
from backlog_lint.markdown import Interned
from backlog_lint.model import (
    Field,
    Item,
    Ref,
    StatusSignal,
)
from backlog_lint.parser.context import Ctx, plain_text, source_line
from backlog_lint.parser.patterns import (
    FIELD_LINE_RE,
    PLAIN_FIELD_RE,
)
from backlog_lint.source import Span
from backlog_lint.text import normalise_key
from backlog_lint.vocab import KNOWN_FIELD_KEYS, Vocabulary

# "**Type:** Build · **Priority:** Low · **Status:** Open": one line holding several bold fields, each after a
# separator (a middle dot, bullet or bar between spaces)
_NEXT_FIELD_RE = re.compile(
    r"\s+[·•|]\s+(?=(?:\*\*|__)[^*_\n:：]{1,60}?(?:\s*[:：]\s*(?:\*\*|__)|(?:\*\*|__)\s*[:：]))"
)
_INLINE_FIELD_RE = re.compile(
    r"(?P<prefix>)(?P<key>(?P<m>\*\*|__)(?P<k1>[^*_\n:：]{1,60}?)\s*[:：]\s*(?P=m)"
    r"|(?P<m2>\*\*|__)(?P<k2>[^*_\n:：]{1,60}?)(?P=m2)\s*[:：])[ \t]*(?P<value>.*?)\s*$"
)


def _field_from_match(ctx: Ctx, n: int, m: re.Match[str], key_raw: str, style: str,
                      value_end: int | None = None) -> Field:
    line = source_line(ctx, n)
    v_start = m.start("value")
    value_raw = m.group("value") if value_end is None else line[v_start:value_end].rstrip()
    key_start, key_end = m.start("key"), m.end("key")
    v_end = v_start + len(value_raw)
    canonical = ctx.vocab.canonical_key(key_raw)
    value = plain_text(value_raw)
    f = Field(
        key=canonical or normalise_key(key_raw),
        key_raw=key_raw.strip(),
        value=value,
        value_raw=value_raw,
        span=Span(n, m.end("prefix") + 1, n, (len(line.rstrip()) if value_end is None else v_end) + 1),
        key_span=Span(n, key_start + 1, n, key_end + 1),
        value_span=Span(n, v_start + 1, n, v_end + 1),
        style=style,
        known=canonical is not None,
    )
    fill_values(ctx, f)
    return f


def fill_values(ctx: Ctx, f: Field) -> None:
    # each value a shared string: a field's one value (`@dev1`, `TODO-1`) is then its value's string too
    text = ctx.interned.text
    if f.key == "labels":
        codes = re.findall(r"`([^`]+)`", f.value_raw)
        parts = codes or [p for p in re.split(r"[,;]\s*|\s+(?=#)", f.value) if p]
        f.values = [text(p.strip().lstrip("#")) for p in parts if p.strip()]
    elif f.key in ctx.vocab.reference_fields:
        f.values = [text(m.group(1)) for m in related_ids(f.value_raw)]
    elif f.key == "owner":
        f.values = [text(p.strip()) for p in re.split(r"[,;]", f.value) if p.strip()]


def field_in_line(ctx: Ctx, n: int, *, allow_plain: bool, allow_unknown: bool = True) -> Field | None:
    """The (first) field a line holds."""
    found = fields_in_line(ctx, n, allow_plain=allow_plain, allow_unknown=allow_unknown)
    return found[0] if found else None


def fields_in_line(ctx: Ctx, n: int, *, allow_plain: bool, allow_unknown: bool = True) -> list[Field]:
    """The fields a line holds: one, or several bold ones after separators (`**Type:** Build · **Status:** Open`)."""
    line = source_line(ctx, n)
    if "*" in line or "_" in line:
        m = FIELD_LINE_RE.match(line)
        if m:
            key_raw = m.group("k1") or m.group("k2") or ""
            if not (allow_unknown or ctx.vocab.canonical_key(key_raw) in KNOWN_FIELD_KEYS):
                return []
            style = "bullet" if m.group("prefix").strip().lstrip(">").strip() else "paragraph"
            out: list[Field] = []
            while m is not None:
                cut = _NEXT_FIELD_RE.search(line, m.start("value"))
                out.append(_field_from_match(ctx, n, m, key_raw, style, cut.start() if cut else None))
                m = _INLINE_FIELD_RE.match(line, cut.end()) if cut else None
                key_raw = (m.group("k1") or m.group("k2") or "") if m else ""
            return out
    if allow_plain and ":" in line:
        m = PLAIN_FIELD_RE.match(line)
        if m and ctx.vocab.canonical_key(m.group("k3")) in KNOWN_FIELD_KEYS:
            return [_field_from_match(ctx, n, m, m.group("k3"), "plain")]
    return []


# "TODO-052 (independent, same wave)", "B-2 (optional)": named in the field, but said not to be one
_NOT_RELATED_RE = re.compile(r"\s*\([^()]*\b(?:independent|optional|not (?:a )?(?:dependency|blocking|required)|"
                             r"no dependency|nice to have)\b", re.IGNORECASE)


def related_ids(value: str) -> list[re.Match[str]]:
    """The IDs a Dependencies / Unlocks / Related value holds, without those it says it does not depend on."""
    return [m for m in FIELD_ID_RE.finditer(value) if not _NOT_RELATED_RE.match(value, m.end())]


def _add_field_refs(item: Item, f: Field, vocab: Vocabulary, lines: list[str]) -> None:
    if f.key not in vocab.reference_fields:
        return
    n = f.value_span.line
    col = f.value_span.col - 1
    for m in related_ids(f.value_raw):
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


def attach_field(item: Item, f: Field, vocab: Vocabulary, lines: list[str], interned: Interned) -> None:
    """Give ``item`` the field ``f`` (its references and status signal too). Its short spellings become the
    document's one string each (``interned``, the parse's: 200,000 fields held 600,000 copies of a dozen
    words; not ``sys.intern``, whose table grows for good with every ID a big table holds)."""
    text = interned.text
    f.key_raw, f.value, f.value_raw = text(f.key_raw), text(f.value), text(f.value_raw)
    item.fields.append(f)
    _add_field_refs(item, f, vocab, lines)
    _status_signal_from_field(item, f, vocab)


def direct_fields(ctx: Ctx, start: int, end: int, *, allow_plain: bool) -> list[Field]:
    """Field lines directly in a body (not in sub-sections, not nested in lists)."""
    fields: list[Field] = []
    for bi in range(start, end):
        b = ctx.blocks[bi]
        if b.kind == "heading":
            break
        if b.kind == "list_item" and b.depth == 0:
            fields.extend(fields_in_line(ctx, b.line, allow_plain=allow_plain))
        elif b.kind == "paragraph" and b.depth == 0:
            for n in range(b.line, b.end_line + 1):
                fields.extend(fields_in_line(ctx, n, allow_plain=allow_plain))
    return fields
