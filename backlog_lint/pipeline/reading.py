"""Read: every file's bytes once (or why they cannot be read), with its cache key."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backlog_lint.pipeline.paths import _key
from backlog_lint.source import read_regular


@dataclass(slots=True)
class SourceFile:
    """One file of the run as read from disk: its bytes (or why not) and its cache key."""

    path: Path
    display: str
    data: bytes | None = None
    error: OSError | None = None
    key: str | None = None  # content key (cache.entry_key); None without a cache
    unread: bool = False  # its key comes from its unchanged stat (statcache.py): data not read yet


def read_files(files: list[tuple[Path, str]], cache: Any = None) -> list[SourceFile]:
    """Read every file once (pipes and devices refused); keys come from the bytes read, or with a
    cache from the stat cache for files whose stat did not change (not read then: ``unread``)."""
    if cache is not None:
        from backlog_lint import statcache

        return statcache.read_files(files, cache)
    out: list[SourceFile] = []
    for path, display in files:
        src = SourceFile(path, display)
        try:
            src.data = read_regular(path)
        except OSError as exc:
            src.error = exc
        else:
            if cache is not None:
                src.key = cache.entry_key(src.data, display)
        out.append(src)
    return out


def _use_texts(srcs: list[SourceFile], texts: dict[Path, bytes], cache: Any) -> None:
    wanted = {_key(p): data for p, data in texts.items()}
    for src in srcs:
        data = wanted.get(_key(src.path))
        if data is not None:
            src.data, src.error, src.unread = data, None, False
            src.key = cache.entry_key(data, src.display) if cache is not None else None
