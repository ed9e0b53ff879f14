"""What rules looked up on disk besides the backlog files, so a cached run can be re-validated.

A run's findings depend on the backlog files (their bytes are in the run's cache key), on the
config, and on a few things rules read from the file system: whether a linked file exists,
where a symlink leads, the headings of a linked Markdown file outside the workspace. Rules
record each path they look at with `record`; a cached result is reused only if `unchanged`
finds every recorded path as it was.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PROBES = "fs_probes"  # key in Context.cache

Signature = tuple[object, ...]


def signature(path: str | Path) -> Signature:
    """Existence, kind, size, modification time and real path of ``path`` (links followed)."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return ("missing",)
    kind = "file" if stat.S_ISREG(st.st_mode) else "dir" if stat.S_ISDIR(st.st_mode) else "other"
    return (kind, st.st_size, st.st_mtime_ns, os.path.realpath(path))


def record(cache: dict[str, object], path: str | Path) -> None:
    """Note that a rule's finding depends on ``path`` as it is now."""
    probes = cache.setdefault(PROBES, {})
    assert isinstance(probes, dict)
    key = os.fspath(path)
    if key not in probes:
        probes[key] = signature(key)


def unchanged(probes: dict[str, Signature]) -> bool:
    """Whether every recorded path still looks the way it did."""
    return all(signature(p) == sig for p, sig in probes.items())
