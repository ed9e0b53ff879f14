"""Which files are backlogs: include/exclude globs under the project root, minus git-ignored files."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from wcmatch import glob as wglob

from backlog_lint.config import Config

# Globs as in gitignore and ruff: `**` crosses folders, `{a,b}` alternates, a pattern without
# a `/` matches the name in any folder, a leading `/` anchors it to the project root, and names
# match in any case (`todo.MD` is a TODO file).
_FLAGS = wglob.GLOBSTAR | wglob.BRACE | wglob.IGNORECASE | wglob.DOTGLOB
MARKDOWN_SUFFIXES = (".md", ".markdown")


class GlobError(ValueError):
    """A glob that cannot match what it was meant to (an unclosed `[`, a reversed range)."""


def check_glob(pattern: str) -> None:
    """Raise GlobError for a malformed glob; wcmatch would silently read it as matching nothing."""
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            j = i + 1
            if j < len(pattern) and pattern[j] in "!^":
                j += 1
            if j < len(pattern) and pattern[j] == "]":
                j += 1  # a leading ']' is a member of the class
            close = pattern.find("]", j)
            if close < 0:
                raise GlobError("'[' is never closed (write '[[]' for a literal bracket)")
            i = close + 1
            continue
        i += 1
    try:
        regexes, _ = wglob.translate([_anchored(pattern)], flags=_FLAGS)
    except Exception as exc:  # wcmatch's own complaint, whatever its type
        raise GlobError(str(exc)) from None
    if any("(?!)" in rx for rx in regexes):
        raise GlobError("a character range is reversed (like '[z-a]') and matches nothing")


def _anchored(pattern: str) -> str:
    """The pattern as matched against root-relative paths: as in gitignore, a leading `/` anchors it
    to the project root (`/TODO.md` is only the root's), and one without a `/` matches in any folder."""
    if pattern.startswith("/"):
        return pattern[1:]
    return pattern if "/" in pattern else "**/" + pattern


@lru_cache(maxsize=256)
def _matcher(patterns: tuple[str, ...]) -> wglob.WcMatcher | None:
    return wglob.compile([_anchored(p) for p in patterns], flags=_FLAGS) if patterns else None


@lru_cache(maxsize=256)
def _combined(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regular expression for all the globs: what wcmatch matches them with, one after the other
    (without its REALPATH flag, a match is just that), in one pass instead of one per glob."""
    include, exclude = wglob.translate([_anchored(p) for p in patterns], flags=_FLAGS)
    if exclude or not include:
        return None
    return re.compile("|".join(f"(?:{rx})" for rx in include))


def matches(rel: str, patterns: tuple[str, ...] | list[str]) -> bool:
    """Whether a path relative to the project root matches one of the globs."""
    key = tuple(patterns)
    if not key:
        return False
    combined = _combined(key)
    if combined is not None:
        return combined.fullmatch(rel.replace(os.sep, "/")) is not None
    matcher = _matcher(key)
    return matcher is not None and bool(matcher.match(rel.replace(os.sep, "/")))


def is_markdown(name: str) -> bool:
    return name.lower().endswith(MARKDOWN_SUFFIXES)


def _git_files(root: Path) -> list[str] | None:
    if not (root / ".git").exists():
        return None
    import subprocess  # only in a git checkout: its import costs a run without one

    try:
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--",
             ":(icase)*.md", ":(icase)*.markdown"],
            cwd=root, capture_output=True, timeout=30, check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return [p for p in out.decode("utf-8", "surrogateescape").split("\0") if p]


def _walk(root: Path, exclude: tuple[str, ...]) -> list[str]:
    found: list[str] = []
    top = os.fspath(root)
    for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
        # os.walk joins the names below ``top`` onto it: the relative folder is what follows
        rel_dir = dirpath[len(top):].lstrip(os.sep) if dirpath.startswith(top) else os.path.relpath(dirpath, top)
        rel_dir = "" if rel_dir in ("", ".") else rel_dir.replace(os.sep, "/") + "/"
        dirnames[:] = sorted(d for d in dirnames if not matches(rel_dir + d + "/x", exclude) and d != ".git")
        for f in sorted(filenames):
            if is_markdown(f):
                found.append(rel_dir + f)
    return found


def backlog_files(cfg: Config, under: Path | None = None) -> list[Path]:
    """Every file under the root (or ``under``) that include matches and exclude does not."""
    return _files(cfg, under, cfg.include)


def markdown_files(cfg: Config, under: Path) -> list[Path]:
    """Every Markdown file in a folder given on the command line (any `*.md` / `*.markdown`, in
    any case), minus `exclude` and what git ignores: naming a folder means "check what is in it",
    as in markdownlint-cli2 and rumdl; `include` only picks the files of a run without paths."""
    return _files(cfg, under, None)


def _files(cfg: Config, under: Path | None, include: tuple[str, ...] | None) -> list[Path]:
    def wanted(rel: str) -> bool:
        return (include is None or matches(rel, include)) and not matches(rel, cfg.exclude)

    root = cfg.root
    under_rel = None
    if under is not None:
        try:
            under_rel = under.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:  # a folder outside the project: walk it on its own
            return [under / r for r in _walk(under, cfg.exclude) if wanted(r)]
    top = os.fspath(root)
    candidates = _git_files(root)
    if candidates is None:
        candidates = _walk(root, cfg.exclude)
    out: list[Path] = []
    for rel in candidates:
        if under_rel and under_rel != "." and not (rel == under_rel or rel.startswith(under_rel + "/")):
            continue
        # a plain path check first: a Path is built only for a file that is kept
        if wanted(rel) and os.path.isfile(os.path.join(top, rel)):
            out.append(root / rel)
    return sorted(out)
