"""The errors backlog-lint raises.

- :class:`UsageError`: what the user asked for is wrong (the command line exits 2);
- :class:`ConfigError`: a configuration problem, naming the file and key (exit 2);
- :class:`UnsafeFormat`: formatting would change the backlog, so nothing is written (exit 3);
- :class:`TooComplex`: a file too deep or too big to format safely, left as it is (exit 4);
- :class:`InternalError`: a bug in backlog-lint, naming the file and rule that triggered it (exit 3).
"""

from __future__ import annotations

from typing import Any


class UsageError(Exception):
    """A problem with what the user asked for (exit 2)."""


class ConfigError(Exception):
    """A configuration problem; the message names the file and key."""


class UnsafeFormat(Exception):
    """Formatting would change the backlog (or is not stable); nothing should be written."""

    def __init__(self, path: str, changes: list[str]) -> None:
        self.path = path
        self.changes = list(changes)
        head = self.changes[0] if self.changes else "unknown change"
        more = f" (and {len(self.changes) - 1} more)" if len(self.changes) > 1 else ""
        super().__init__(f"{path}: not formatted, it would change the backlog: {head}{more}")

    def __reduce__(self) -> tuple[Any, ...]:  # raised in a worker process, re-raised here
        return (type(self), (self.path, self.changes))


class TooComplex(UnsafeFormat):
    """The file nests too deeply or is too big to format safely (``format`` exits 4, not 3: no bug)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(path, [reason])
        self.reason = reason
        Exception.__init__(self, f"{path}: too deep or too big to format safely: {reason}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.reason))


class InternalError(Exception):
    """A bug in backlog-lint, with the file (and rule) that triggered it (exit 3)."""

    def __init__(self, where: str, cause: BaseException) -> None:
        super().__init__(f"{where}: {type(cause).__name__}: {cause}")
        self.where = where
        self.cause = cause

    def __reduce__(self) -> tuple[Any, ...]:  # raised in a worker process, re-raised here
        return (type(self), (self.where, self.cause))


class FixLoopError(Exception):
    """Fixes did not converge: a bug in the named rule(s)."""
