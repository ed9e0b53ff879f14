"""`backlog-lint format`: canonical rewrite of files, written only when safe and changed."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from backlog_lint.config import Config
from backlog_lint.source import DecodeError, SourceText, decode
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

    return fix_text(text, lint).text


def format_files(cfg: Config, files: list[tuple[Path, str]], *, write: bool, diff: bool) -> FormatOutcome:
    from backlog_lint.formatter import UnsafeFormat, format_text

    out = FormatOutcome()
    for path, display in files:
        try:
            data = path.read_bytes()
            text, bom, _ = decode(data)
        except OSError as exc:
            out.errors.append(f"{display}: cannot read: {exc.strerror or exc}")
            continue
        except DecodeError as exc:
            out.errors.append(f"{display}:{exc.line}:{exc.col}: {exc.message}; not formatted")
            continue
        st = SourceText.from_text(text, bom=bom)
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
                write_atomic(path, encode(formatted, bom), cfg.root)
            except WriteError as exc:
                out.changed.remove(display)
                out.errors.append(str(exc))
    return out
