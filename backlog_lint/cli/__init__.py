"""Command line: options -> config -> pipeline -> report -> exit code. The only package that prints.

``base`` holds the command group and what every command shares; each command lives in a module
of its own (``check``, ``format``, ``inspect``: graph/show/rule/server, ``project``: config/init),
imported here so that it registers with the group.
"""

from __future__ import annotations

from backlog_lint.cli import check, format, inspect, output, project  # noqa: F401  (registers the commands)
from backlog_lint.cli.base import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, _color, entry, main

__all__ = ["EXIT_FINDINGS", "EXIT_INTERNAL", "EXIT_OK", "EXIT_USAGE", "_color", "entry", "main"]
