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


def guard(path: Path, root: Path | None, shown: str | None = None) -> Path:
    """The file that writing ``path`` would change (symbolic links followed), refusing one outside ``root``.

    Every writer of a backlog file (``check --fix``, ``format``) passes the project root: a cloned
    repository must never make backlog-lint write outside its work tree, through a symbolic link or
    a path given on the command line. ``root=None`` is for an output file the user named (a baseline).
    """
    name = shown or str(path)
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        if path.is_symlink():
            raise WriteError(f"{name}: a symbolic link that leads nowhere (or in a loop): not writing") from None
        target = Path(os.path.realpath(path))  # missing: reading it below says so
    if root is None:
        return target
    try:
        real_root = root.resolve()
        target.relative_to(real_root)
    except (OSError, RuntimeError, ValueError):
        raise WriteError(f"{name}: leads to {target}, outside the project ({root}): not writing; run "
                         "backlog-lint in the project that holds the file, or replace the link by a copy") from None
    return target


def write_atomic(path: Path, data: bytes, root: Path | None, expected: bytes | None = None,
                 shown: str | None = None) -> bool:
    """Replace ``path`` with ``data`` if different. Returns True when the file changed.

    The one way backlog-lint writes a file: ``guard`` refuses a file outside ``root``. With
    ``expected`` (the bytes the run read), a file edited meanwhile is not overwritten. ``shown`` is
    the file's name in messages (default: ``path``).
    """
    target = guard(path, root, shown)
    path = Path(shown) if shown else path
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
