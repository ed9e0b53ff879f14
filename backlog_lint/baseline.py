"""A baseline: findings recorded once, so that only new ones are reported.

This is how a team adopts the linter on a backlog that already has 300 findings: record them
(`check --write-baseline FILE`), commit the file, and from then on `check --baseline FILE` (or
`baseline = "FILE"` in the config) fails only on findings that are not in it.

A finding matches an entry by rule code, file (relative to the project root) and fingerprint:
the same fingerprint the SARIF and GitLab reports use (report/_common.py), a hash of the
finding's source line with whitespace collapsed and its occurrence among equal lines, so it
survives lines moving up or down. Entries are counted: two equal findings need two entries.
An entry of a checked file that matches no finding any more is *stale* (the problem was
fixed); the CLI says so, and `--write-baseline` again shrinks the file.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from backlog_lint.diagnostics import Diagnostic
from backlog_lint.report._common import fingerprints
from backlog_lint.writer import write_atomic

FORMAT_VERSION = 1


class BaselineError(Exception):
    """The baseline file cannot be read or is not one; the message names the file."""


@dataclass(frozen=True, slots=True)
class Entry:
    code: str
    path: str  # relative to the project root, forward slashes
    fingerprint: str
    message: str = ""  # for people reading the file; not used to match

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.code, self.path, self.fingerprint)


@dataclass(frozen=True, slots=True)
class Outcome:
    new: list[Diagnostic]  # findings not in the baseline, in the order given
    known: int  # findings the baseline holds
    stale: list[Entry]  # entries of the checked files that matched nothing


def _project_path(path: str, cwd: Path, root: Path) -> str:
    return os.path.relpath(os.path.normpath(os.path.join(cwd, path)), root).replace(os.sep, "/")


def entries(diagnostics: Sequence[Diagnostic], sources: Mapping[str, Sequence[str]], cwd: Path,
            root: Path) -> list[Entry]:
    """The baseline entries of findings (paths as shown, relative to ``cwd``; ``sources`` by the same paths)."""
    moved = [replace(d, path=_project_path(d.path, cwd, root)) for d in diagnostics]
    lines = {_project_path(p, cwd, root): v for p, v in sources.items()}
    prints = fingerprints(moved, lines)
    return [Entry(d.code, d.path, fp, d.message) for d, fp in zip(moved, prints, strict=True)]


def write(file: Path, found: Sequence[Entry]) -> None:
    """Write a baseline (sorted, one entry per line: diffs stay readable), atomically."""
    rows = sorted(found, key=lambda e: (e.path, e.code, e.fingerprint, e.message))
    body = ",\n".join("    " + json.dumps({"code": e.code, "path": e.path, "fingerprint": e.fingerprint,
                                            "message": e.message}, ensure_ascii=False) for e in rows)
    text = (f'{{\n  "tool": "backlog-lint",\n  "version": {FORMAT_VERSION},\n  "findings": [\n'
            + (body + "\n" if rows else "") + "  ]\n}\n")
    data = text.encode("utf-8")
    if file.exists():
        write_atomic(file, data, None)  # the baseline file the user named
        return
    file.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".backlog-lint-", suffix=".tmp", dir=file.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, file)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def read(file: Path) -> list[Entry]:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{file}: baseline file not found; create it with `backlog-lint check "
                            f"--write-baseline {file}`") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{file}: cannot read the baseline: {exc}") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{file}:{exc.lineno}:{exc.colno}: the baseline is not valid JSON: {exc.msg}") from None
    rows = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(rows, list) or data.get("version") != FORMAT_VERSION:
        raise BaselineError(f"{file}: not a backlog-lint baseline (version {FORMAT_VERSION}); write it again "
                            "with --write-baseline")
    out: list[Entry] = []
    for n, row in enumerate(rows, 1):
        if not isinstance(row, dict) or not all(isinstance(row.get(k), str) for k in ("code", "path", "fingerprint")):
            raise BaselineError(f"{file}: entry {n} needs the strings 'code', 'path' and 'fingerprint'")
        out.append(Entry(row["code"], row["path"], row["fingerprint"], str(row.get("message", ""))))
    return out


def apply(diagnostics: Sequence[Diagnostic], found: Sequence[Entry], baseline: Sequence[Entry],
          checked: set[str]) -> Outcome:
    """Split findings into new ones and known ones; ``found`` are their entries (same order);
    ``checked`` the checked files relative to the project root (only their entries can be stale)."""
    left = Counter(e.key for e in baseline)
    new: list[Diagnostic] = []
    for d, e in zip(diagnostics, found, strict=True):
        if left[e.key] > 0:
            left[e.key] -= 1
        else:
            new.append(d)
    stale: list[Entry] = []
    spare = Counter({k: n for k, n in left.items() if n > 0})
    for e in baseline:
        if spare[e.key] > 0 and e.path in checked:
            spare[e.key] -= 1
            stale.append(e)
    return Outcome(new, len(diagnostics) - len(new), stale)


def project_paths(paths: Sequence[str], cwd: Path, root: Path) -> set[str]:
    return {_project_path(p, cwd, root) for p in paths}
