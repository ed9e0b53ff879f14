"""Printing a check's findings: progress on a terminal, the report formats, the output file."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from backlog_lint import __version__

if TYPE_CHECKING:
    from backlog_lint.report import RuleInfo


def _progress() -> Any:
    """A one-line progress counter on stderr, only on a terminal and only for long parses."""
    import time

    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None
    started = time.monotonic()
    shown = False

    def report(done: int, total: int) -> None:
        nonlocal shown
        if done < 0:
            if shown:
                sys.stderr.write("\r\x1b[K")
                sys.stderr.flush()
            return
        if total < 200 or (not shown and time.monotonic() - started < 0.5):
            return
        if done == total or done % 25 == 0:
            width = 30
            filled = width * done // total
            sys.stderr.write(f"\rParsing [{'#' * filled}{'.' * (width - filled)}] {done}/{total} files")
            sys.stderr.flush()
            shown = True

    return report


_FORMATS_WITH_SOURCE = frozenset({"full", "github", "gitlab", "sarif"})  # excerpts, fingerprints


def _render(fmt: str, diagnostics: list, sources: dict[str, list[str]], *, color: bool, show_fixes: bool,
            fixed: dict[str, int], statistics: bool, checked: list[str], quiet: bool) -> str:
    from backlog_lint.github_env import blob_base
    from backlog_lint.report import render

    text = render(fmt, diagnostics, rules=_RuleInfos(), sources=sources, color=color, show_fixes=show_fixes,
                  fixed=fixed, statistics=statistics, tool_version=__version__, checked_files=checked,
                  link_base=blob_base(os.environ, Path.cwd()) if fmt == "markdown" else "")
    if quiet and fmt in ("concise", "full", "grouped"):
        lines = text.rstrip("\n").split("\n")
        while lines and (not lines[-1].strip() or lines[-1].startswith(("Found ", "All checks passed", "Checked "))):
            lines.pop()
        text = "\n".join(lines) + ("\n" if lines else "")
    return text


class _RuleInfos(Mapping[str, "RuleInfo"]):
    """The reports' table of rules by code; a rule's texts (its module imported) only when a report reads them."""

    def __init__(self) -> None:
        from backlog_lint.rules._registry import rule_refs

        self._refs = {r.code: r for r in rule_refs()}

    def __getitem__(self, code: str) -> RuleInfo:
        from backlog_lint.report import RuleInfo

        r = self._refs[code]
        return RuleInfo(r.code, r.name, r.summary, r.explanation, r.fixable)

    def __iter__(self) -> Iterator[str]:
        return iter(self._refs)

    def __len__(self) -> int:
        return len(self._refs)


def _emit(text: str, output_file: Path | None, *, color: bool = False) -> None:
    if output_file is not None:
        output_file.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False, color=color)  # click strips ANSI codes off a non-terminal unless told
