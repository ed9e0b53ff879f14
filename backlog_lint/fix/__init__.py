"""Fixes: ``edits`` applies the edits of findings to one text until nothing is left to fix
(non-overlapping, last to first, re-linted each round); ``workspace`` runs that over the files of a
check (`--fix`, `--diff`), each in the context of the whole project, and writes them atomically."""

from __future__ import annotations

from backlog_lint.fix.edits import FixLoopError, FixResult, apply_edits, fix_text
from backlog_lint.fix.workspace import FixOutcome, fix_workspace

__all__ = ["FixLoopError", "FixOutcome", "FixResult", "apply_edits", "fix_text", "fix_workspace"]
