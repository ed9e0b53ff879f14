"""Text from standard input (`check -`, `format -`), checked as if it were a file of the project.

Editors and pipes send a buffer that is not saved yet: `--stdin-filename PATH` says which file it
stands for, so the nearest config applies, findings are reported against PATH, and the cross-file
rules see the rest of the project (with this text in place of what is on disk).
"""

from __future__ import annotations

import sys
from pathlib import Path

STDIN = Path("-")
DEFAULT_NAME = "stdin.md"  # how findings name the text when no --stdin-filename is given


def wants_stdin(paths: tuple[Path, ...]) -> bool:
    return STDIN in paths


def read() -> bytes:
    return sys.stdin.buffer.read()


def stand_in(stdin_filename: Path | None, cwd: Path) -> Path:
    """The path the text is checked as: --stdin-filename (relative to cwd), else stdin.md in cwd."""
    path = stdin_filename if stdin_filename is not None else Path(DEFAULT_NAME)
    return path if path.is_absolute() else cwd / path
