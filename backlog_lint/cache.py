"""Content-addressed cache of parsed documents.

Key: sha256 of (file bytes, tool version, effective config, display path). Entries live in
`<root>/.backlog-lint-cache/` (git-ignored by a `.gitignore` inside it), one file each,
written atomically, so concurrent runs never see a half-written entry. Every entry is signed
with HMAC-SHA256 under a per-user secret, so a cache file that someone else wrote (for
instance committed to the repository) is never unpickled: it is ignored like a corrupt one.

An entry is ``magic | summary length | summary signature | summary | signature | value``:
a document's entry carries its workspace summary (summary.py) in front of the model, signed
apart, so a run that needs only the summary reads and unpickles only that part.

Every edit of a file adds an entry, so the cache would only grow: an entry's time says when
it was last used (a hit refreshes it, at most once a day), and at most once a day a run
removes the entries nobody used for ``MAX_AGE`` (and temporary files a killed run left).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import pickle
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from backlog_lint import __version__

_MAGIC = b"BLC3"  # bumped when the pickled model or the entry layout changes shape
_SIG_LEN = 32
_LEN = 8  # bytes of the summary length (little-endian)
_HEAD = len(_MAGIC) + _LEN + _SIG_LEN  # what precedes the summary
DAY = 24 * 3600
MAX_AGE = 30 * DAY  # an entry not used for this long is removed
_TMP_AGE = 3600  # a temporary file this old is a killed run's leftover
_PRUNED = ".last-pruned"  # its time: when the cache was last pruned


def _user_key() -> bytes:
    """A per-user random secret (created once, mode 0600) for signing cache entries."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "backlog-lint" / "cache-key"
    try:
        data = path.read_bytes()
        if len(data) >= 32:
            return data
    except OSError:
        pass
    key = os.urandom(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        import tempfile  # only when writing (its import, with random's, costs every run)

        fd, tmp = tempfile.mkstemp(dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(key)
            os.chmod(tmp, 0o600)
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)  # never replaces: when two runs race, the first key wins
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return path.read_bytes()
    except OSError:
        return key  # an unwritable home: cache entries are only valid for this process


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> bytes:
    """Which code made an entry: the package's modules' names, sizes and modification times.

    The version alone is not enough where the code changes under one version (an editable
    install, a checkout being worked on): a model pickled by other code would load wrongly.
    Stat calls only, about a hundred of them, once per process.
    """
    root = Path(__file__).parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        try:
            st = path.stat()
        except OSError:
            continue
        h.update(f"{path.relative_to(root).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return h.digest()


class Cache:
    def __init__(self, directory: Path, salt: str) -> None:
        self.directory = directory
        self.salt = salt.encode()
        self._key: bytes | None = None
        self._ready = False
        self.hits = 0
        self.misses = 0
        self.refreshed = False  # whether the last get() found an entry last used over a day ago
        self.own_refreshed = False  # the same for the last get_own()
        self.summary_hits = 0  # summaries read instead of a whole entry (summary.py)
        self.stat_index: Any = None  # the run's statcache.StatIndex, once files were read
        self.summary_pack: Any = None  # summarypack.SummaryPack, once a summary was wanted

    @property
    def key(self) -> bytes:
        if self._key is None:
            self._key = _user_key()
        return self._key

    def entry_key(self, data: bytes, display: str) -> str:
        h = hashlib.sha256()
        h.update(__version__.encode())
        h.update(b"\0")
        h.update(code_fingerprint())
        h.update(b"\0")
        h.update(self.salt)
        h.update(b"\0")
        h.update(display.encode("utf-8", "surrogateescape"))
        h.update(b"\0")
        h.update(data)
        return h.hexdigest()

    def get_summary(self, key: str) -> Any | None:
        """The summary stored in front of an entry's value (only that part is read), or None."""
        return self.summary_from(self.get_summary_bytes(key))

    def summary_from(self, body: bytes | None) -> Any | None:
        """A stored summary's bytes unpickled (counted as a hit), or None when absent or unreadable."""
        if body is None:
            return None
        try:
            value = pickle.loads(body)
        except Exception:
            return None
        self.summary_hits += 1
        return value

    def get_summary_bytes(self, key: str) -> bytes | None:
        """The pickled summary stored in front of an entry's value, its signature checked, or None."""
        try:
            with open(self._path(key), "rb") as fh:
                head = fh.read(_HEAD)
                size = int.from_bytes(head[len(_MAGIC) : len(_MAGIC) + _LEN], "little")
                body = fh.read(size) if size and head.startswith(_MAGIC) and len(head) == _HEAD else b""
        except OSError:
            return None
        if len(body) != size or not body:
            return None
        if not hmac.compare_digest(head[len(_MAGIC) + _LEN :], self._sign(body)):
            return None
        return body

    def _sign(self, body: bytes) -> bytes:
        return hmac.new(self.key, body, hashlib.sha256).digest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.pickle"

    def get(self, key: str) -> Any | None:
        self.refreshed = False
        found, value, used = self._read(key)
        if not found:
            self.misses += 1
            return None
        self.hits += 1
        if used < time.time() - DAY:
            self.refreshed = True
            self.touch((key,))
        return value

    def get_own(self, key: str) -> Any | None:
        """An entry of the cache's own bookkeeping (the stat index): not counted as a hit or miss."""
        found, value, used = self._read(key)
        self.own_refreshed = found and used < time.time() - DAY  # as ``refreshed`` for get()
        if self.own_refreshed:
            self.touch((key,))
        return value if found else None

    def _read(self, key: str) -> tuple[bool, Any, float]:
        """(found, value, when last used) of an entry; a corrupt or forged one is not found."""
        try:
            with open(self._path(key), "rb") as fh:
                used = os.fstat(fh.fileno()).st_mtime  # when last used (see touch)
                blob = fh.read()
        except OSError:
            return False, None, 0.0
        start = _HEAD + int.from_bytes(blob[len(_MAGIC) : len(_MAGIC) + _LEN], "little")
        if not blob.startswith(_MAGIC) or len(blob) < start + _SIG_LEN:
            return False, None, 0.0
        sig = blob[start : start + _SIG_LEN]
        body = blob[start + _SIG_LEN :]
        if not hmac.compare_digest(sig, self._sign(body)):
            return False, None, 0.0
        try:
            return True, pickle.loads(body), used
        except Exception:
            return False, None, 0.0

    def touch(self, keys: Iterable[str]) -> None:
        """Mark entries used now (so pruning keeps them); a hit does it at most once a day."""
        for key in keys:
            with contextlib.suppress(OSError):
                os.utime(self._path(key))

    def prune(self, max_age: float = MAX_AGE, *, force: bool = False) -> int:
        """Remove entries not used for ``max_age`` seconds and stale temporary files, at most once
        a day (``force``: now). Returns how many files were removed. Never raises."""
        now = time.time()
        stamp = self.directory / _PRUNED
        try:
            if not force and stamp.stat().st_mtime > now - DAY:
                return 0
        except FileNotFoundError:
            pass
        except OSError:
            return 0
        if not self.directory.is_dir():
            return 0
        removed = 0
        try:
            stamp.touch()  # first: a run that starts meanwhile does not prune too
            with os.scandir(self.directory) as top:
                shards = [e.path for e in top if len(e.name) == 2 and e.is_dir(follow_symlinks=False)]
            for shard in shards:
                with os.scandir(shard) as entries:
                    for e in entries:
                        if e.name.endswith(".pickle"):
                            limit = max_age
                        elif e.name.startswith(".tmp-"):
                            limit = _TMP_AGE
                        else:
                            continue
                        with contextlib.suppress(OSError):
                            if e.stat(follow_symlinks=False).st_mtime < now - limit:
                                os.unlink(e.path)
                                removed += 1
        except OSError:
            pass
        return removed

    def put(self, key: str, value: Any, summary: bytes = b"") -> None:
        try:
            body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:
            return
        self.put_bytes(key, body, summary)

    def put_bytes(self, key: str, body: bytes, summary: bytes = b"") -> None:
        """Store an already pickled value (a worker process pickled it), with the pickled summary
        that ``get_summary`` reads without the value."""
        head = _MAGIC + len(summary).to_bytes(_LEN, "little") + (self._sign(summary) if summary else bytes(_SIG_LEN))
        blob = head + summary + self._sign(body) + body
        target = self._path(key)
        try:
            self._prepare()
            target.parent.mkdir(parents=True, exist_ok=True)
            import tempfile  # only when writing (its import, with random's, costs every run)

            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(blob)
                os.replace(tmp, target)
            except OSError:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
        except OSError:
            pass  # a read-only project: run without caching

    def _prepare(self) -> None:
        if self._ready:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        ignore = self.directory / ".gitignore"
        if not ignore.exists():
            with contextlib.suppress(OSError):
                ignore.write_text("# created by backlog-lint: never commit the cache\n*\n", encoding="utf-8")
        self._ready = True
