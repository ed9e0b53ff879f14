"""Which files are backlogs: include/exclude globs under the project root, minus git-ignored files."""

from __future__ import annotations

import os
import re
import subprocess
from functools import lru_cache
from pathlib import Path, PurePosixPath

from backlog_lint.config import Config


def glob_regex(pattern: str) -> re.Pattern[str]:
    """The compiled regex of a glob (raises re.error for a malformed one, e.g. '[z-a]')."""
    return _glob_re(pattern)


@lru_cache(maxsize=256)
def _glob_re(pattern: str) -> re.Pattern[str]:
    """Translate a glob with ** to a regex over POSIX relative paths."""
    out = []
    i = 0
    p = pattern
    while i < len(p):
        c = p[i]
        if p.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if p.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = p.find("]", i)
            if j < 0:
                out.append(re.escape(c))
            else:
                out.append("[" + p[i + 1 : j].replace("!", "^", 1) + "]")
                i = j
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z")


def matches(rel: str, patterns: tuple[str, ...] | list[str]) -> bool:
    rel = rel.replace(os.sep, "/")
    name = PurePosixPath(rel).name
    for pat in patterns:
        rx = _glob_re(pat)
        if rx.match(rel) or ("/" not in pat and rx.match(name)):
            return True
    return False


def _git_files(root: Path) -> list[str] | None:
    if not (root / ".git").exists():
        return None
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "*.md", "*.markdown"],
            cwd=root, capture_output=True, timeout=30, check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return [p for p in out.decode("utf-8", "surrogateescape").split("\0") if p]


def _walk(root: Path, exclude: tuple[str, ...]) -> list[str]:
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        rel_dir = os.path.relpath(dirpath, root)
        rel_dir = "" if rel_dir == "." else rel_dir.replace(os.sep, "/") + "/"
        dirnames[:] = sorted(d for d in dirnames if not matches(rel_dir + d + "/x", exclude) and d != ".git")
        for f in sorted(filenames):
            if f.lower().endswith((".md", ".markdown")):
                found.append(rel_dir + f)
    return found


def backlog_files(cfg: Config, under: Path | None = None) -> list[Path]:
    """Every file under the root (or ``under``) that include matches and exclude does not."""
    root = cfg.root
    candidates = _git_files(root)
    if candidates is None:
        candidates = _walk(root, cfg.exclude)
    out: list[Path] = []
    under_rel = None
    if under is not None:
        try:
            under_rel = under.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            rels = _walk(under, cfg.exclude)
            return [under / r for r in rels if matches(r, cfg.include) and not matches(r, cfg.exclude)]
    for rel in candidates:
        if under_rel and under_rel != "." and not (rel == under_rel or rel.startswith(under_rel + "/")):
            continue
        if matches(rel, cfg.include) and not matches(rel, cfg.exclude):
            path = root / rel
            if path.is_file():
                out.append(path)
    return sorted(out)
