"""The errors backlog-lint raises: what the user asked for is wrong (exit 2), or a bug (exit 3)."""

from __future__ import annotations

from typing import Any


class UsageError(Exception):
    """A problem with what the user asked for (exit 2)."""


class InternalError(Exception):
    """A bug in backlog-lint, with the file (and rule) that triggered it (exit 3)."""

    def __init__(self, where: str, cause: BaseException) -> None:
        super().__init__(f"{where}: {type(cause).__name__}: {cause}")
        self.where = where
        self.cause = cause

    def __reduce__(self) -> tuple[Any, ...]:  # raised in a worker process, re-raised here
        return (type(self), (self.where, self.cause))
