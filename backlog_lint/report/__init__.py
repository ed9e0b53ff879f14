"""Render findings in each ``--output-format``: one module per format, loaded on demand.

Importing this package is cheap: the format modules (and json, xml.etree, hashlib, ...)
are imported only by :func:`render`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from backlog_lint.diagnostics import Diagnostic
    from backlog_lint.report._common import ReportContext

__all__ = ["FORMATS", "STATISTICS_FORMATS", "RuleInfo", "render"]

FORMATS: tuple[str, ...] = (
    "concise",
    "full",
    "grouped",
    "json",
    "json-lines",
    "github",
    "sarif",
    "gitlab",
    "junit",
    "markdown",
)

# The formats that can show `--statistics` (counts per rule) instead of the findings.
STATISTICS_FORMATS: tuple[str, ...] = ("concise", "full", "grouped", "json", "json-lines")

# Format name -> module under backlog_lint.report ("json" is not a module name, to keep
# the standard library's json unshadowed for anyone running code from this folder).
_MODULES: dict[str, str] = {
    "concise": "concise",
    "full": "full",
    "grouped": "grouped",
    "json": "json_array",
    "json-lines": "json_lines",
    "github": "github",
    "sarif": "sarif",
    "gitlab": "gitlab",
    "junit": "junit",
    "markdown": "markdown",
}


@dataclass(frozen=True)
class RuleInfo:
    """What the reports say about a rule (SARIF's rule table, docs links)."""

    code: str
    name: str
    summary: str
    explanation: str
    fixable: bool


def render(
    fmt: str,
    diagnostics: list[Diagnostic],
    *,
    rules: Mapping[str, RuleInfo],
    sources: dict[str, list[str]],
    color: bool,
    show_fixes: bool = False,
    fixed: dict[str, int] | None = None,
    statistics: bool = False,
    tool_version: str = "0.1.0",
    checked_files: list[str] | None = None,
    link_base: str = "",
) -> str:
    """Render ``diagnostics`` (in the order given) as ``fmt``; the text ends with a newline unless empty.

    ``sources`` maps a path to its lines (no terminators): the ``full`` format's excerpts and
    the SARIF/GitLab fingerprints read them. ``fixed`` maps a path to the number of fixes
    applied there; the human formats' summary counts them, and ``show_fixes`` lists them per
    file. ``statistics`` replaces the human formats' listing by counts per rule. ``color``
    only affects the human formats (concise, full, grouped). ``checked_files`` lets the
    ``junit`` format report clean files as passing test cases. ``link_base`` prefixes the
    ``markdown`` format's links to files (an absolute URL ending in ``/``).
    """
    module_name = _MODULES.get(fmt)
    if module_name is None:
        raise ValueError(f"unknown output format {fmt!r}; expected one of: {', '.join(FORMATS)}")

    from importlib import import_module

    from backlog_lint.report._common import ReportContext

    ctx = ReportContext(
        rules=rules,
        sources=sources,
        color=color,
        show_fixes=show_fixes,
        fixed=dict(fixed or {}),
        statistics=statistics,
        tool_version=tool_version,
        checked_files=list(checked_files) if checked_files is not None else None,
        link_base=link_base,
    )
    renderer: Callable[[list[Diagnostic], ReportContext], str] = import_module(f"{__name__}.{module_name}").render
    return renderer(list(diagnostics), ctx)
