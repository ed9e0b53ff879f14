"""The summary pack: the workspace summaries of a project's files in one cache entry.

A run over a few files reads the summaries of all the others (summary.py); from a thousand
entries that is a thousand opens, reads and signature checks. The pack holds the pickled
summaries of the files a run used, by content key, in one signed entry: the next such run reads
it once and takes what is still current, reading the rest from their own entries. The pack is
written again only when too many summaries came from their own entries (a file edited here and
there costs one read each, not a new pack).
"""

from __future__ import annotations

import hashlib
from typing import Any

_NAME = "summary-pack"
_VERSION = 1
STALE_SHARE = 0.1  # a pack is written again when more of the summaries than this missed it
STALE_MIN = 8  # ... and at least this many


class SummaryPack:
    def __init__(self, cache: Any) -> None:
        self.cache = cache
        self.key = hashlib.sha256(f"{_NAME}\0{cache.entry_key(b'', _NAME)}".encode()).hexdigest()
        value = cache.get_own(self.key)
        ok = isinstance(value, tuple) and len(value) == 2 and value[0] == _VERSION and isinstance(value[1], dict)
        self.packed: dict[str, bytes] = value[1] if ok else {}
        self.used: dict[str, bytes] = {}
        self.missed = 0

    def get(self, key: str) -> bytes | None:
        """The pickled summary of the file with content key ``key``: from the pack, else its entry."""
        body = self.packed.get(key)
        if body is None:
            body = self.cache.get_summary_bytes(key)
            if body is None:
                return None
            self.missed += 1
        self.used[key] = body
        return body

    def finish(self) -> None:
        """Write the pack again if it has gone stale: what this run used."""
        if self.missed >= max(STALE_MIN, STALE_SHARE * len(self.used)):
            self.cache.put(self.key, (_VERSION, self.used))
        self.missed = 0


def pack_of(cache: Any) -> SummaryPack:
    """The pack of this cache, read on first use."""
    pack = getattr(cache, "summary_pack", None)
    if pack is None:
        pack = cache.summary_pack = SummaryPack(cache)
    return pack
