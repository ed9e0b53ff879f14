"""`check --watch`: which file changes call for another check. Needs the `watch` extra (watchfiles)."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Iterator
from pathlib import Path

from backlog_lint.config import CONFIG_FILE, Config

SUFFIXES = (".md", ".markdown")
CONFIGS = (CONFIG_FILE, "pyproject.toml")


def missing() -> str | None:
    """Why `--watch` cannot run, or None."""
    if importlib.util.find_spec("watchfiles") is None:
        return "--watch needs watchfiles, which is not installed: pip install 'backlog-lint[watch]'"
    return None


def relevant(path: Path, cfg: Config) -> bool:
    """A Markdown file, a config file or the item schema, outside the cache folder."""
    try:
        if (cfg.root / cfg.cache_dir) in path.parents:
            return False
    except RuntimeError:
        return False
    return path.suffix.lower() in SUFFIXES or path.name in CONFIGS or (cfg.schema is not None and path == cfg.schema)


def changes(roots: Iterable[Path], cfg: Config) -> Iterator[set[Path]]:
    """Sets of changed files worth another check, as they happen (a burst of changes is one set)."""
    from watchfiles import watch

    folders = sorted({(p if p.is_dir() else p.parent).resolve() for p in roots})
    for batch in watch(*folders, watch_filter=lambda _change, path: relevant(Path(path), cfg)):
        yield {Path(path) for _change, path in batch}
