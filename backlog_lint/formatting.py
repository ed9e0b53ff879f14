"""`backlog-lint format`: canonical rewrite of files, written only when safe and changed."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from backlog_lint.config import Config
from backlog_lint.source import DecodeError, SourceText, decode, read_regular
from backlog_lint.writer import WriteError, encode, write_atomic


@dataclass(slots=True)
class FormatOutcome:
    changed: list[str] = field(default_factory=list)  # files reformatted (or that would be)
    unchanged: int = 0
    refused: list[str] = field(default_factory=list)  # messages: the model would have changed
    errors: list[str] = field(default_factory=list)  # unreadable / undecodable / unwritable
    diff: str = ""


CANONICAL_FIXES = ("BL204", "BL207")  # field names and value spellings


def canonicalise(text: str, display: str, cfg: Config) -> str:
    """Apply the canonicalising safe fixes (field aliases, value spellings) before mdformat."""
    from backlog_lint import api
    from backlog_lint.fixes import fix_text
    from backlog_lint.model import Workspace
    from backlog_lint.parser import parse_text

    rules = api.select_rules(cfg, CANONICAL_FIXES)

    def lint(t: str) -> list:
        ws = Workspace(str(cfg.root), [parse_text(t, display, cfg.vocab)])
        return api.run_rules(ws, cfg, rules, [display])

    return reorder_fields(unify_field_style(fix_text(text, lint).text, display, cfg), display, cfg)


_BULLET_FIELD_RE = re.compile(r"^(?P<indent>[ ]{0,3})[-*+][ \t]+(?P<rest>(?:\*\*|__).*)$")
_PARA_FIELD_RE = re.compile(r"^(?P<indent>[ ]{0,3})(?P<rest>(?:\*\*|__).*)$")


def unify_field_style(text: str, display: str, cfg: Config) -> str:
    """One field style per document: the minority style (`- **Key:** v` vs `**Key:** v`) becomes the majority's.

    Only blocks made entirely of one-line fields are rewritten, and only when re-reading the
    result gives every item the same fields and tasks; otherwise the text is returned unchanged.
    """
    from backlog_lint.parser import parse_text

    if "**" not in text and "__" not in text:
        return text
    doc = parse_text(text, display, cfg.vocab)
    fields = [f for item in doc.items for f in item.fields if f.style in ("bullet", "paragraph")]
    bullets = sum(1 for f in fields if f.style == "bullet")
    paragraphs = len(fields) - bullets
    if not bullets or not paragraphs or bullets == paragraphs:
        return text
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
        return text
    newline = doc.source.newline
    out = newline.join(lines) + (newline if doc.source.final_newline else "")
    after = parse_text(out, display, cfg.vocab)
    if _field_sets(doc) != _field_sets(after) or _task_sets(doc) != _task_sets(after):
        return text
    return out


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


def reorder_fields(text: str, display: str, cfg: Config) -> str:
    """Put runs of one-line field bullets in the configured order (`field-order`).

    Only adjacent single-line `- **Key:** value` bullets of one item move; fields not in
    `field-order` keep their order after the ordered ones. If re-reading the result shows
    any field changed other than by position, the text is returned unchanged.
    """
    from backlog_lint.parser import parse_text

    rank = {key: i for i, key in enumerate(cfg.field_order)}
    if not rank or "**" not in text:
        return text
    doc = parse_text(text, display, cfg.vocab)
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
        return text
    newline = doc.source.newline
    out = newline.join(lines) + (newline if doc.source.final_newline else "")
    after = parse_text(out, display, cfg.vocab)
    if _field_sets(doc) != _field_sets(after):
        return text
    return out


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


def _pathological_line(st: SourceText) -> int:
    """1-based number of a line the Markdown parser would take minutes on, else 0."""
    from backlog_lint.parser import LONG_LINE, MAX_BRACKETS

    if len(st.text) <= LONG_LINE:
        return 0
    for n, line in enumerate(st.lines, 1):
        if len(line) > LONG_LINE and line.count("[") > MAX_BRACKETS:
            return n
    return 0


def format_files(cfg: Config, files: list[tuple[Path, str]], *, write: bool, diff: bool) -> FormatOutcome:
    from backlog_lint.formatter import UnsafeFormat, format_text

    out = FormatOutcome()
    for path, display in files:
        try:
            data = read_regular(path)
            text, bom, _ = decode(data)
        except OSError as exc:
            out.errors.append(f"{display}: cannot read: {exc.strerror or exc}")
            continue
        except DecodeError as exc:
            out.errors.append(f"{display}:{exc.line}:{exc.col}: {exc.message}; not formatted")
            continue
        st = SourceText.from_text(text, bom=bom)
        wild = _pathological_line(st)
        if wild:
            out.errors.append(f"{display}:{wild}: line too long and full of '[' for the Markdown formatter; "
                              "not formatted (split or repair the line)")
            continue
        try:
            formatted = format_text(canonicalise(st.text, display, cfg), path=display, config=cfg)
        except UnsafeFormat as exc:
            details = "\n".join(f"    {c}" for c in exc.changes[:10])
            out.refused.append(f"{display}: not formatted: the rewrite would change the backlog:\n{details}")
            continue
        except RecursionError:
            out.errors.append(f"{display}: nests too deeply to format; not formatted")
            continue
        if formatted == st.text:
            out.unchanged += 1
            continue
        out.changed.append(display)
        if diff:
            out.diff += "".join(difflib.unified_diff(
                st.text.splitlines(keepends=True), formatted.splitlines(keepends=True),
                fromfile=f"a/{display}", tofile=f"b/{display}"))
        if write:
            try:
                write_atomic(path, encode(formatted, bom), cfg.root, expected=data)
            except WriteError as exc:
                out.changed.remove(display)
                out.errors.append(str(exc))
    return out
