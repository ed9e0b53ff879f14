"""Safe file writes: only when bytes change, atomically, keeping mode, BOM and newlines."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from backlog_lint.source import BOM

TMP_PREFIX = ".backlog-lint-"
TMP_SUFFIX = ".tmp"


class WriteError(Exception):
    """The file could not be written; the original is intact."""


def encode(text: str, bom: bool) -> bytes:
    return ((BOM if bom else "") + text).encode("utf-8")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def cleanup_stale(directory: Path) -> None:
    """Remove temporary files that a killed run left in this folder (never a live run's)."""
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if not (name.startswith(TMP_PREFIX) and name.endswith(TMP_SUFFIX)):
            continue
        pid_text = name[len(TMP_PREFIX):].split("-", 1)[0]
        if pid_text.isdigit() and _pid_alive(int(pid_text)):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK)


def write_atomic(path: Path, data: bytes, root: Path | None = None, expected: bytes | None = None) -> bool:
    """Replace ``path`` with ``data`` if different. Returns True when the file changed.

    With ``expected`` (the bytes the run read), a file edited meanwhile is not overwritten.
    """
    target = path
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            raise WriteError(f"{path}: a symbolic link that leads nowhere (or in a loop): not writing") from None
        if root is not None:
            try:
                target.relative_to(root.resolve())
            except ValueError:
                raise WriteError(f"{path}: is a symbolic link to {target}, outside the project: not writing") from None
    try:
        old = target.read_bytes()
    except OSError as exc:
        raise WriteError(f"{path}: cannot read before writing: {exc.strerror or exc}") from None
    if old == data:
        return False
    if expected is not None and old != expected:
        raise WriteError(f"{path}: changed on disk while backlog-lint was running: not overwritten; run it again")
    try:
        st = target.stat()
    except OSError as exc:
        raise WriteError(f"{path}: {exc.strerror or exc}") from None
    if not _writable(target):
        raise WriteError(f"{path}: file is read-only (permission denied): not changed")
    directory = target.parent
    cleanup_stale(directory)
    fd = -1
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f"{TMP_PREFIX}{os.getpid()}-", suffix=TMP_SUFFIX, dir=directory)
        with os.fdopen(fd, "wb") as fh:
            fd = -1
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, st.st_mode & 0o7777)
        os.replace(tmp, target)
        tmp = ""
    except OSError as exc:
        raise WriteError(f"{path}: cannot write ({exc.strerror or exc}); the original is unchanged") from None
    finally:
        if fd >= 0:
            os.close(fd)
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return True
