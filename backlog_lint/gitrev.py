"""What git says about a revision: changed files, changed lines, old file contents.

Only git itself is asked (subprocess), so a repository is read exactly as its owner's git reads
it. Paths from git are relative to the work tree's top; callers turn them into their own.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

_HUNK_RE = re.compile(rb"^@@ -\d+(?:,\d+)? \+(?P<start>\d+)(?:,(?P<count>\d+))? @@", re.MULTILINE)
FETCH_HINT = ("fetch the history the comparison needs: in GitHub Actions `actions/checkout` with "
              "`fetch-depth: 0`, elsewhere `git fetch --unshallow` or `git fetch origin <branch>`")


class GitError(Exception):
    """git could not answer; the message says what to do."""


@dataclass(frozen=True, slots=True)
class Change:
    """One file changed between a revision and the work tree."""

    status: str  # A added, M modified, D deleted, R renamed, C copied, T type changed
    old: str | None  # path at the revision (None when added)
    new: str | None  # path in the work tree (None when deleted)


def _env() -> dict[str, str]:
    # a hook or another git command may have set these for its own repository
    env = {k: v for k, v in os.environ.items() if k not in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")}
    env["GIT_OPTIONAL_LOCKS"] = "0"
    return env


def run(top: Path, *args: str) -> bytes:
    try:
        proc = subprocess.run(["git", *args], cwd=top, env=_env(), capture_output=True, timeout=120, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH)") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"`git {' '.join(args)}` took more than two minutes") from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"`git {' '.join(args)}` failed: {message[-1] if message else proc.returncode}")
    return proc.stdout


def toplevel(start: Path) -> Path | None:
    """The work tree's top folder, or None outside a git work tree."""
    try:
        out = run(start, "rev-parse", "--show-toplevel")
    except GitError:
        return None
    return Path(os.fsdecode(out.strip()))


def has_head(top: Path) -> bool:
    try:
        run(top, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    except GitError:
        return False
    return True


def is_shallow(top: Path) -> bool:
    return run(top, "rev-parse", "--is-shallow-repository").strip() == b"true"


def resolve(top: Path, ref: str) -> str:
    """The commit ``ref`` names; a clear error (with the fix) when this clone does not have it."""
    try:
        return run(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}").decode().strip()
    except GitError:
        shallow = " (this clone is shallow)" if is_shallow(top) else ""
        raise GitError(f"the base revision {ref!r} is not in this clone{shallow}: {FETCH_HINT}") from None


def merge_base(top: Path, ref: str) -> str:
    """Where the current branch left ``ref``: what a pull request's changes are measured from."""
    base = resolve(top, ref)
    try:
        return run(top, "merge-base", base, "HEAD").decode().strip()
    except GitError:
        shallow = is_shallow(top)
        why = "the clone is shallow, so their common history is missing" if shallow else "they share no history"
        raise GitError(f"cannot find where HEAD branched from {ref!r}: {why}; {FETCH_HINT}") from None


def changes(top: Path, base: str) -> list[Change]:
    """Files that differ between ``base`` and the work tree (staged or not), renames detected."""
    out = run(top, "diff", "--name-status", "-z", "-M", "--no-ext-diff", base, "--")
    words = [os.fsdecode(w) for w in out.split(b"\0")]
    found: list[Change] = []
    i = 0
    while i < len(words) and words[i]:
        status = words[i][0]
        if status in "RC":
            found.append(Change(status, words[i + 1], words[i + 2]))
            i += 3
        elif status == "D":
            found.append(Change(status, words[i + 1], None))
            i += 2
        elif status == "A":
            found.append(Change(status, None, words[i + 1]))
            i += 2
        else:
            found.append(Change(status, words[i + 1], words[i + 1]))
            i += 2
    for path in untracked(top):
        found.append(Change("A", None, path))
    return found


def untracked(top: Path) -> list[str]:
    out = run(top, "ls-files", "-z", "--others", "--exclude-standard")
    return [os.fsdecode(w) for w in out.split(b"\0") if w]


def changed_lines(top: Path, base: str, path: str) -> set[int]:
    """Line numbers (1-based, in the work tree's file) added or changed since ``base``."""
    out = run(top, "diff", "-U0", "--no-ext-diff", "--no-color", base, "--", path)
    lines: set[int] = set()
    for m in _HUNK_RE.finditer(out):
        start, count = int(m.group("start")), int(m.group("count") or 1)
        lines.update(range(start, start + count))
    return lines


def show(top: Path, rev: str, path: str) -> bytes | None:
    """The file's bytes at ``rev``, or None when it did not exist there."""
    try:
        return run(top, "show", f"{rev}:{path}")
    except GitError:
        return None
