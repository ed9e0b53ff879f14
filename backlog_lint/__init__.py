"""backlog-lint: a linter and formatter for Markdown backlogs kept in git.

The public API is small; everything not named here is private and may change::

    import backlog_lint

    report = backlog_lint.check(["BACKLOG.md"])       # -> Report (findings of the files asked for)
    for finding in report.findings:                    # -> Finding: path, line, col, code, message, ...
        print(finding.path, finding.line, finding.code, finding.message)

    doc = backlog_lint.parse(text, "BACKLOG.md")       # -> Document: items, fields, tasks, references
    canonical = backlog_lint.format_text(text)          # raises UnsafeFormat rather than change meaning

``Config`` is what ``load_config(folder)`` returns (the nearest ``.backlog-lint.toml``,
``backlog-lint.toml`` or ``pyproject.toml [tool.backlog-lint]``); the errors are those of
:mod:`backlog_lint.errors`. The names are imported on first use, so ``import backlog_lint``
stays cheap for the command line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from backlog_lint.config import Config
    from backlog_lint.diagnostics import Diagnostic as Finding
    from backlog_lint.model import Document

__all__ = [
    "Config", "ConfigError", "Document", "Finding", "InternalError", "Report", "UnsafeFormat", "UsageError",
    "__version__", "check", "format_text", "load_config", "parse",
]

_LAZY = {
    "Config": ("backlog_lint.config", "Config"),
    "load_config": ("backlog_lint.config", "load_config"),
    "Finding": ("backlog_lint.diagnostics", "Diagnostic"),
    "Document": ("backlog_lint.model", "Document"),
    "ConfigError": ("backlog_lint.errors", "ConfigError"),
    "InternalError": ("backlog_lint.errors", "InternalError"),
    "UnsafeFormat": ("backlog_lint.errors", "UnsafeFormat"),
    "UsageError": ("backlog_lint.errors", "UsageError"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'backlog_lint' has no attribute {name!r}")


@dataclass(slots=True)
class Report:
    """The findings of a check on the files asked for (after suppressions), and which files those were."""

    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


def check(paths: Iterable[str | Path] = (), *, config: Config | None = None, cwd: str | Path | None = None,
          select: Iterable[str] | None = None, ignore: Iterable[str] = (), preview: bool = False) -> Report:
    """Check files as ``backlog-lint check PATHS`` does, against their whole project.

    Without paths, the project's backlog files (``include``) are checked. ``config`` defaults to the
    one found from ``cwd`` (the current folder by default). Raises :class:`UsageError` for a path
    that does not exist and :class:`ConfigError` for a bad config.
    """
    from backlog_lint.config import load_config as _load
    from backlog_lint.pipeline import Pipeline

    where = Path(cwd) if cwd is not None else Path.cwd()
    cfg = config if config is not None else _load(where)
    stages = Pipeline.create(cfg, select=tuple(select) if select is not None else None, ignore=tuple(ignore),
                             preview=preview, cwd=where)
    run = stages.check(stages.files([Path(p) for p in paths]), reuse=False)
    return Report(run.diagnostics, run.checked)


def parse(text: str, path: str = "<text>", *, config: Config | None = None) -> Document:
    """The backlog model of one Markdown text: items with fields, tasks and references, with positions."""
    from backlog_lint.parser import parse_text

    return parse_text(text, path, config.vocab if config is not None else None)


def format_text(text: str, *, path: str = "<text>", config: Config | None = None) -> str:
    """The canonical form of one backlog text (as ``backlog-lint format`` writes it).

    Raises :class:`UnsafeFormat` instead of returning a text whose backlog means something else.
    """
    from backlog_lint.config import Config as _Config
    from backlog_lint.format.canonical import format_text as _format
    from backlog_lint.format.files import canonicalise

    cfg = config if config is not None else _Config(root=Path.cwd())
    body, model = canonicalise(text, path, cfg)
    return _format(body, path=path, config=cfg, model=model)
