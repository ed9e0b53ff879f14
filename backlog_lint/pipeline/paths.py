"""Discover: which files a run reads, and how each is shown to the user."""

from __future__ import annotations

import os
from pathlib import Path

from backlog_lint.config import Config
from backlog_lint.errors import UsageError


def display_path(path: Path, cwd: Path) -> str:
    """The path as the user sees it: relative to cwd, links not followed, printable as UTF-8."""
    here = os.path.normpath(os.fspath(cwd))
    absolute = os.path.normpath(os.path.join(here, os.fspath(path)))
    below = here if here.endswith(os.sep) else here + os.sep
    if os.path.isabs(here) and absolute.startswith(below) and len(absolute) > len(below):
        shown = absolute[len(below):]  # what relpath gives for a normalised path under cwd, without its work
    else:
        try:
            shown = os.path.relpath(absolute, here)
        except ValueError:
            shown = absolute
    shown = shown.replace(os.sep, "/")
    # a file name that is not valid UTF-8 carries surrogates: show them replaced, never crash printing
    return shown.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _key(path: Path) -> Path:
    """A stable identity for a path; a symlink loop or broken link keeps its absolute spelling."""
    try:
        return path.resolve(strict=False)
    except (OSError, RuntimeError):
        return path.absolute()


def _distinct_files(paths: list[Path]) -> list[Path]:
    """The paths without a second name for the same file (a symlink, a hard link): one stat each."""
    seen: set[tuple[int, int]] = set()
    out: list[Path] = []
    for p in paths:
        try:
            st = os.stat(p)
        except OSError:
            out.append(p)
            continue
        ident = (st.st_dev, st.st_ino)
        if ident not in seen:
            seen.add(ident)
            out.append(p)
    return out


def resolve_paths(cfg: Config, paths: list[Path], cwd: Path, *, respect_include: bool = False) -> list[Path]:
    """Files to check: explicit files as given, folders expanded to the Markdown files in them
    (minus exclude and git-ignored files), no paths: the project's backlog files (include)."""
    from backlog_lint.discovery import backlog_files, markdown_files, matches

    if not paths:
        return backlog_files(cfg)
    out: list[Path] = []
    for p in paths:
        try:
            exists = p.exists() or p.is_symlink()
            is_dir = p.is_dir()
        except OSError:  # a symlink loop: read it as a file, which reports the loop
            exists, is_dir = True, False
        if not exists:
            raise UsageError(f"{p}: no such file or directory")
        if is_dir:
            out.extend(markdown_files(cfg, p))
            continue
        if respect_include:
            rel = display_path(p, cfg.root)
            if not matches(rel, cfg.include) or matches(rel, cfg.exclude):
                continue
        out.append(p)
    seen: set[Path] = set()
    unique = []
    for p in out:
        key = _key(p)
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def workspace_files(cfg: Config, requested: list[Path], cwd: Path, *, whole: bool = True,
                    project: list[Path] | None = None) -> tuple[list[tuple[Path, str]], list[str]]:
    """(path, display) of the requested files then (for cross-file rules) every other backlog file.

    ``project`` is the project's backlog files when the caller has them already (`resolve_paths`
    without paths); when it is ``requested`` itself, nothing needs merging.
    """
    from backlog_lint.discovery import backlog_files

    if whole and project is not None and project is requested:
        pairs = [(p, display_path(p, cwd)) for p in _distinct_files(requested)]
        return pairs, [d for _, d in pairs]
    files: dict[Path, str] = {}
    checked: list[str] = []
    for p in requested:
        display = display_path(p, cwd)
        files[_key(p)] = display
        checked.append(display)
    if whole:
        # the project's files come from discovery's walk (or git's list) under the root, which follows no
        # folder links: under a root that is its own real path, a file's path is its real path unless the
        # file itself is a link (one lstat instead of resolving every component of a thousand paths)
        real_root = os.path.realpath(cfg.root) == os.fspath(cfg.root)
        for p in project if project is not None else backlog_files(cfg):
            key = p if real_root and not os.path.islink(p) else _key(p)
            if key not in files:
                files[key] = display_path(p, cwd)
    return list(files.items()), checked
