"""Where a document lives on disk."""

from __future__ import annotations

from pathlib import Path

from backlog_lint import fslookup
from backlog_lint.model import Document


def locate(doc: Document, root: Path, where: str = "") -> Path | None:
    """The file a document was read from: ``where`` (its entry in ``Workspace.locations``) when known,
    else its display path under the root or the working folder (text from an editor or stdin)."""
    if where:
        return Path(where)
    p = Path(doc.path)
    if p.is_absolute():
        return p if fslookup.lookup(p) is fslookup.Lookup.FILE else None
    candidates = []
    for base in (root, Path.cwd()):
        c = base / p
        if c not in candidates:
            candidates.append(c)
    existing = [c for c in candidates if fslookup.lookup(c) is fslookup.Lookup.FILE]
    if len(existing) > 1:
        size = len(doc.source.text.encode("utf-8", "surrogatepass")) + (3 if doc.source.bom else 0)
        for c in existing:
            try:
                if c.stat().st_size == size:
                    return c
            except OSError:
                continue
    return existing[0] if existing else None


def inside(path: Path, root: Path) -> bool:
    """Whether ``path`` (which need not exist) lies under ``root``, symlinks resolved on both sides."""
    return fslookup.inside(path, root)
