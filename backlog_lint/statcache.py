"""The stat cache: a file whose stat is unchanged since a run hashed it is neither read nor hashed.

As git's index does: one signed entry in the cache folder maps each file (its display path) to its
stat (size, mtime_ns, ctime_ns, inode, device) and the content key (``Cache.entry_key``) its bytes
had. A warm run stats every file and reuses the key of each file whose stat is the same; only the
others are read and hashed. The bytes of a file taken on its stat are read later only when they
are needed (a cache miss, excerpts in a report): ``SourceFile.unread``.

Racy files: a file can change again within the timestamp granularity of its filesystem without its
stat changing (same size, same mtime). So an entry is only stored for a file whose mtime is at
least ``RACY_NS`` older than the moment its stat was taken; a file modified more recently is hashed
again on every run until it has been quiet for that long.
"""

from __future__ import annotations

import hashlib
import os
import stat as stat_mode
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backlog_lint.source import read_regular

if TYPE_CHECKING:
    from backlog_lint.cache import Cache
    from backlog_lint.pipeline.reading import SourceFile

RACY_NS = 2_000_000_000  # covers timestamp granularities up to 2 s (FAT); ext4, APFS, NTFS are far finer
_NAME = "stat-index"
_VERSION = 1

Stat = tuple[int, int, int, int, int]  # size, mtime_ns, ctime_ns, inode, device


def _stat_of(st: os.stat_result) -> Stat:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


class StatIndex:
    """Display path -> (stat, content key) for the files of one project, for one cache salt."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache
        self.stamp = hashlib.sha256(cache.entry_key(b"", _NAME).encode()).hexdigest()  # version, code, config
        self.entries: dict[str, tuple[Stat, str]] = {}
        self.changed = False
        self.reused = 0  # files whose key came from their stat this run
        self.hashed = 0  # files read and hashed this run
        self._seen: set[str] = set()
        self._load()

    def _load(self) -> None:
        value = self.cache.get_own(self._key())
        if isinstance(value, tuple) and len(value) == 3 and value[0] == _VERSION and value[1] == self.stamp:
            self.entries = value[2]

    def _key(self) -> str:
        return hashlib.sha256(f"{_NAME}\0{self.stamp}".encode()).hexdigest()

    def lookup(self, display: str, st: Stat) -> str | None:
        self._seen.add(display)
        hit = self.entries.get(display)
        if hit is not None and hit[0] == st:
            return hit[1]
        return None

    def remember(self, display: str, st: Stat, key: str, taken_ns: int) -> None:
        if st[1] + RACY_NS > taken_ns:  # racy: it may change again without its stat changing
            if self.entries.pop(display, None) is not None:
                self.changed = True
            return
        if self.entries.get(display) != (st, key):
            self.entries[display] = (st, key)
            self.changed = True

    def save(self, seen: int) -> None:
        """Store the index if it changed; entries of files no run has seen lately go when they
        outnumber the files of this run (``seen``) by far."""
        if len(self.entries) > 4 * seen + 100:
            self.entries = {d: e for d, e in self.entries.items() if d in self._seen}
            self.changed = True
        if self.changed:
            self.cache.put(self._key(), (_VERSION, self.stamp, self.entries))
            self.changed = False


def read_files(files: list[tuple[Path, str]], cache: Cache) -> list[SourceFile]:
    """The files as ``pipeline.read_files`` gives them, reading only those whose stat changed."""
    from backlog_lint.pipeline.reading import SourceFile

    index = StatIndex(cache)
    out: list[SourceFile] = []
    taken_ns = time.time_ns()
    for path, display in files:
        src = SourceFile(path, display)
        out.append(src)
        try:
            st = os.stat(path)
        except OSError:
            st = None
        stat = _stat_of(st) if st is not None and stat_mode.S_ISREG(st.st_mode) else None
        key = index.lookup(display, stat) if stat is not None else None
        if key is not None:
            src.key = key
            src.unread = True
            index.reused += 1
            continue
        try:
            src.data = read_regular(path)
        except OSError as exc:
            src.error = exc
            continue
        src.key = cache.entry_key(src.data, display)
        index.hashed += 1
        if stat is not None:
            index.remember(display, stat, src.key, taken_ns)
    index.save(len(files))
    cache.stat_index = index
    return out


def load(src: SourceFile, cache: Any) -> None:
    """Read the bytes of a file that was taken on its stat (a cache miss needs them); its key is
    made again from what is read now."""
    if not src.unread:
        return
    src.unread = False
    try:
        src.data = read_regular(src.path)
    except OSError as exc:
        src.data, src.error, src.key = None, exc, None
        return
    if cache is not None:
        src.key = cache.entry_key(src.data, src.display)
