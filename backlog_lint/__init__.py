"""backlog-lint: a linter and formatter for Markdown backlogs kept in git."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
