"""Look up a path that came from a document (a link target) without ever raising.

A link target is text a user typed: it can hold a NUL character, a name longer than the file
system allows (``OSError: [Errno 36] File name too long``) or bytes no file name can have.
``Path.exists()``, ``Path.is_file()``, ``Path.resolve()`` and ``os.path.realpath`` raise on
some of these; the functions here answer instead.
"""

from __future__ import annotations

import enum
import errno
import os
import stat
from pathlib import Path

NAME_MAX = 255  # bytes in one path component (Linux, macOS, Windows)
PATH_MAX = 4096  # bytes in a whole path (Linux)


class Lookup(enum.Enum):
    FILE = "file"
    DIR = "dir"
    OTHER = "other"  # exists, neither a regular file nor a folder
    MISSING = "missing"
    TOO_LONG = "too long"  # no file can have this name
    INVALID = "invalid"  # a NUL character, or a name the file system rejects

    @property
    def exists(self) -> bool:
        return self in (Lookup.FILE, Lookup.DIR, Lookup.OTHER)


def impossible(path: str | Path) -> Lookup | None:
    """``TOO_LONG`` or ``INVALID`` when no file can have this path, without asking the file system."""
    text = os.fspath(path)
    if "\0" in text:
        return Lookup.INVALID
    try:
        raw = os.fsencode(text)
    except (UnicodeError, ValueError):
        return Lookup.INVALID
    if len(raw) > PATH_MAX or any(len(part) > NAME_MAX for part in raw.split(b"/")):
        return Lookup.TOO_LONG
    return None


def lookup(path: str | Path) -> Lookup:
    """What is at ``path`` (symbolic links followed); never raises."""
    bad = impossible(path)
    if bad is not None:
        return bad
    try:
        st = os.stat(path)
    except ValueError:
        return Lookup.INVALID
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            return Lookup.TOO_LONG
        if exc.errno == errno.EILSEQ or exc.errno == errno.EINVAL:
            return Lookup.INVALID
        return Lookup.MISSING
    if stat.S_ISREG(st.st_mode):
        return Lookup.FILE
    if stat.S_ISDIR(st.st_mode):
        return Lookup.DIR
    return Lookup.OTHER


def realpath(path: str | Path) -> str:
    """``os.path.realpath(path)``, or the normalised absolute path when the lookup fails."""
    try:
        return os.path.realpath(path)
    except (OSError, ValueError):
        return os.path.normpath(os.path.abspath(os.fspath(path).replace("\0", "")))


def inside(path: str | Path, root: str | Path) -> bool:
    """Whether ``path`` (which need not exist) lies under ``root``, symbolic links resolved on both sides."""
    try:
        Path(realpath(path)).relative_to(realpath(root))
    except ValueError:
        return False
    return True


def shown(text: str, limit: int = 500) -> str:
    """``repr(text)``, shortened in the middle when longer than ``limit`` characters."""
    if len(text) <= limit:
        return repr(text)
    half = limit // 2
    return f"{text[:half]!r}…{text[-half:]!r} ({len(text):,} characters)"
