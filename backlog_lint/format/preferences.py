"""Backlog preferences applied before the canonical render, when the config asks for them:
field names and value spellings, one field style per file, field order."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from backlog_lint.config import Config

if TYPE_CHECKING:
    from backlog_lint.model import Document


def canonicalise(text: str, display: str, cfg: Config, *, model: bool = True) -> tuple[str, Document | None]:
    """Apply the backlog preferences the config asks for, before mdformat.

    Field names and value spellings (BL204, BL207) and one field style per file are preferences:
    applied only when the config's selection turns those rules on (`preview = true`, or their
    codes in `select` / `extend-select`). Field order is applied when the config sets
    `field-order` (or turns those rules on). With none of this asked for, `format` writes
    canonical Markdown and leaves the project's own conventions as they are.

    Returns the text and its model (``parse_text(text, display, cfg.vocab)``), so that the
    formatter need not parse it again; no model (None) if none is asked for and nothing needed one
    (a big file is checked chunk by chunk, against the chunks' own models).
    """
    from backlog_lint import pipeline
    from backlog_lint.fix.edits import fix_text
    from backlog_lint.model import Workspace
    from backlog_lint.parser import parse_text
    from backlog_lint.rules.field_alias import field_alias
    from backlog_lint.rules.value_spelling import value_spelling

    preferences = (field_alias, value_spelling)  # field names and value spellings
    chosen = {r.code for r in pipeline.select_rules(cfg)}
    rules = sorted((r for r in preferences if r.code in chosen), key=lambda r: r.code)
    order = bool(rules) or cfg.origins.get("field-order", "default") != "default"
    if not rules:
        if not order and not model:
            return text, None
        doc = parse_text(text, display, cfg.vocab)
        return reorder_fields(text, display, cfg, doc) if order else (text, doc)
    last: dict[str, Document] = {}

    def lint(t: str) -> list:
        doc = parse_text(t, display, cfg.vocab)
        last.clear()
        last[t] = doc  # fix_text lints its final text last: that parse is the result's model
        return pipeline.run_rules(Workspace(str(cfg.root), [doc]), cfg, rules, [display])

    fixed = fix_text(text, lint).text
    doc = last[fixed] if fixed in last else parse_text(fixed, display, cfg.vocab)
    fixed, doc = unify_field_style(fixed, display, cfg, doc)
    return reorder_fields(fixed, display, cfg, doc)


_BULLET_FIELD_RE = re.compile(r"^(?P<indent>[ ]{0,3})[-*+][ \t]+(?P<rest>(?:\*\*|__).*)$")
_PARA_FIELD_RE = re.compile(r"^(?P<indent>[ ]{0,3})(?P<rest>(?:\*\*|__).*)$")


def unify_field_style(text: str, display: str, cfg: Config, doc: Document) -> tuple[str, Document]:
    """One field style per document: the minority style (`- **Key:** v` vs `**Key:** v`) becomes the majority's.

    Only blocks made entirely of one-line fields are rewritten, and only when re-reading the
    result gives every item the same fields and tasks; otherwise the text is returned unchanged.
    ``doc`` is the text's model; the model of the text returned comes back with it.
    """
    from backlog_lint.parser import parse_text

    if "**" not in text and "__" not in text:
        return text, doc
    fields = [f for item in doc.items for f in item.fields if f.style in ("bullet", "paragraph")]
    bullets = sum(1 for f in fields if f.style == "bullet")
    paragraphs = len(fields) - bullets
    if not bullets or not paragraphs or bullets == paragraphs:
        return text, doc
    target = "bullet" if bullets > paragraphs else "paragraph"
    lines = list(doc.source.lines)
    field_lines = {f.span.line: f for item in doc.items for f in item.fields
                   if f.style in ("bullet", "paragraph") and f.span.line == f.span.end_line}
    changed = False
    for block in _field_blocks(lines, field_lines, "paragraph" if target == "bullet" else "bullet"):
        for n in block:
            line = lines[n - 1]
            if target == "bullet":
                m = _PARA_FIELD_RE.match(line)
                if m:
                    lines[n - 1] = f"{m.group('indent')}- {m.group('rest')}"
                    changed = True
            else:
                m = _BULLET_FIELD_RE.match(line)
                if m:
                    lines[n - 1] = f"{m.group('indent')}{m.group('rest')}"
                    changed = True
    if not changed:
        return text, doc
    newline = doc.source.newline
    out = newline.join(lines) + (newline if doc.source.final_newline else "")
    after = parse_text(out, display, cfg.vocab)
    if _field_sets(doc) != _field_sets(after) or _task_sets(doc) != _task_sets(after):
        return text, doc
    return out, after


def _field_blocks(lines: list[str], field_lines: dict, style: str) -> list[list[int]]:
    """Runs of consecutive field lines of ``style`` with blank lines (or the file's edges) around them."""
    blocks: list[list[int]] = []
    run: list[int] = []
    for n in sorted(field_lines):
        if field_lines[n].style != style or not field_lines[n].value:
            if run:
                blocks.append(run)
            run = []
            continue
        if run and n != run[-1] + 1:
            blocks.append(run)
            run = []
        run.append(n)
    if run:
        blocks.append(run)

    def isolated(block: list[int]) -> bool:
        before = block[0] - 1
        after = block[-1] + 1
        return (before < 1 or not lines[before - 1].strip()) and (after > len(lines) or not lines[after - 1].strip())

    return [b for b in blocks if isolated(b)]


def _task_sets(doc: object) -> list[list[tuple[str, bool]]]:
    return [[(t.text, t.checked) for t in item.all_tasks()] for item in doc.items]  # type: ignore[attr-defined]


def reorder_fields(text: str, display: str, cfg: Config, doc: Document) -> tuple[str, Document]:
    """Put runs of one-line field bullets in the configured order (`field-order`).

    Only adjacent single-line `- **Key:** value` bullets of one item move; fields not in
    `field-order` keep their order after the ordered ones. If re-reading the result shows
    any field changed other than by position, the text is returned unchanged. ``doc`` is the
    text's model; the model of the text returned comes back with it.
    """
    from backlog_lint.parser import parse_text

    rank = {key: i for i, key in enumerate(cfg.field_order)}
    if not rank or "**" not in text:
        return text, doc
    lines = list(doc.source.lines)
    changed = False
    for item in doc.items:
        by_line = {f.span.line: f for f in item.fields if f.style == "bullet" and f.span.line == f.span.end_line}
        run: list[int] = []
        for n in sorted(by_line):
            if run and n == run[-1] + 1 and _indent(lines[n - 1]) == _indent(lines[run[0] - 1]):
                run.append(n)
                continue
            changed |= _sort_run(lines, run, by_line, rank)
            run = [n]
        changed |= _sort_run(lines, run, by_line, rank)
    if not changed:
        return text, doc
    newline = doc.source.newline
    out = newline.join(lines) + (newline if doc.source.final_newline else "")
    after = parse_text(out, display, cfg.vocab)
    if _field_sets(doc) != _field_sets(after):
        return text, doc
    return out, after


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _sort_run(lines: list[str], run: list[int], by_line: dict, rank: dict[str, int]) -> bool:
    if len(run) < 2:
        return False
    last = run[-1]
    if last < len(lines) and lines[last].strip() and _indent(lines[last]) > _indent(lines[run[0] - 1]):
        run = run[:-1]  # the last bullet has a continuation or children below: leave it in place
        if len(run) < 2:
            return False
    order = sorted(run, key=lambda n: (rank.get(by_line[n].key, len(rank)), n))
    if order == run:
        return False
    moved = [lines[n - 1] for n in order]
    for n, line in zip(run, moved, strict=True):
        lines[n - 1] = line
    return True


def _field_sets(doc: object) -> list[list[tuple[str, str]]]:
    return [sorted((f.key, f.value) for f in item.fields) for item in doc.items]  # type: ignore[attr-defined]
