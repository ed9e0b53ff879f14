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
            formatted = format_text(st.text, path=display, config=cfg)
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
