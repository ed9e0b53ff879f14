"""`backlog-lint format`: canonical rewrite, --check and --diff, stdin."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from backlog_lint.cli.base import (
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_TOO_COMPLEX,
    EXIT_USAGE,
    _load_config,
    _run,
    _Usage,
    main,
)
from backlog_lint.cli.check import _nothing_to_check

if TYPE_CHECKING:
    from backlog_lint.format.files import FormatOutcome


@main.command("format")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--check", "check_only", is_flag=True, help="Write nothing; exit 1 if a file would change.")
@click.option("--diff", is_flag=True, help="Print a unified diff of the changes; write nothing.")
@click.option("--config", "config", type=click.Path(dir_okay=False), help="Use this config file.")
@click.option("--respect-include", is_flag=True, help="Skip given files that `include` does not match.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the cache of already formatted files.")
@click.option("--jobs", "-j", type=int, default=0, help="Parallel format processes (0 = all cores).")
@click.option("--stdin-filename", type=click.Path(dir_okay=False, path_type=Path),
              help="With `-` as the path: the file the text from stdin stands for.")
def format_cmd(paths: tuple[Path, ...], check_only: bool, diff: bool, config: str | None, respect_include: bool,
               quiet: bool, no_cache: bool, jobs: int, stdin_filename: Path | None) -> None:
    """Rewrite backlog files canonically; never writes a change to the backlog's meaning.

    \b
    Exit status: 0 done (or nothing to change), 1 a file would change (--check, --diff),
    2 usage error or unreadable/unwritable file, 3 a bug (or a rewrite refused because it
    would change the backlog), 4 a file too deep or too big to format safely (left as it is;
    the message names the file and what to split).
    """
    from backlog_lint import stdin

    if stdin.wants_stdin(paths):
        sys.exit(_run(_format_stdin, paths, check_only, diff, config, stdin_filename, what="formatting stdin"))
    sys.exit(_run(_format, paths, check_only, diff, config, respect_include, quiet, no_cache=no_cache, jobs=jobs,
                  what="formatting files"))


def _format_stdin(paths: tuple[Path, ...], check_only: bool, diff: bool, config: str | None,
                  stdin_filename: Path | None) -> int:
    """`format -`: the formatted text on stdout (`--check`: only the exit code; `--diff`: a diff)."""
    from backlog_lint import pipeline, stdin
    from backlog_lint.format.files import format_data

    if len(paths) > 1:
        raise _Usage("`-` (read stdin) is the only path of its run")
    cwd = Path.cwd()
    stand_in = stdin.stand_in(stdin_filename, cwd)
    cfg = _load_config(config, (stand_in,))
    data = stdin.read()
    result = format_data(data, pipeline.display_path(stand_in, cwd), cfg, keep=not (check_only or diff), diff=diff)
    if result.status in ("refused", "too complex", "error"):
        click.echo(f"error: {result.message}", err=True)
        if not (check_only or diff):
            sys.stdout.buffer.write(data)  # an editor replacing its buffer with the output loses nothing
            sys.stdout.flush()
        return {"refused": EXIT_INTERNAL, "too complex": EXIT_TOO_COMPLEX}.get(result.status, EXIT_USAGE)
    if diff:
        click.echo(result.diff, nl=False)
    elif not check_only:
        sys.stdout.buffer.write(result.data if result.status == "changed" else data)
        sys.stdout.flush()
    return EXIT_FINDINGS if (check_only or diff) and result.status == "changed" else EXIT_OK


def _format(paths: tuple[Path, ...], check_only: bool, diff: bool, config: str | None, respect_include: bool,
            quiet: bool, *, no_cache: bool = False, jobs: int = 0) -> int:
    from backlog_lint import pipeline
    from backlog_lint.format.files import format_files

    cfg = _load_config(config, paths)
    cwd = Path.cwd()
    files = pipeline.resolve_paths(cfg, list(paths), cwd, respect_include=respect_include)
    if not files:
        return _nothing_to_check(cfg, paths, respect_include)
    cache = pipeline.make_cache(cfg, enabled=not no_cache)
    outcome = format_files(cfg, [(p, pipeline.display_path(p, cwd)) for p in files],
                           write=not (check_only or diff), diff=diff, jobs=jobs, cache=cache)
    _report_format(outcome, check_only=check_only, diff=diff, quiet=quiet)
    if cache is not None:
        cache.prune()  # at most once a day, after the report: entries unused for 30 days go
    if outcome.refused:
        return EXIT_INTERNAL
    if outcome.errors:
        return EXIT_USAGE
    if outcome.too_complex:
        return EXIT_TOO_COMPLEX
    if (check_only or diff) and outcome.changed:
        return EXIT_FINDINGS
    return EXIT_OK


def _report_format(outcome: FormatOutcome, *, check_only: bool, diff: bool, quiet: bool) -> None:
    if diff:
        click.echo(outcome.diff, nl=False)
    for msg in (*outcome.refused, *outcome.too_complex):
        click.echo(f"error: {msg}", err=True)
    for msg in outcome.errors:
        click.echo(f"error: {msg}", err=True)
    if not quiet and not diff:
        verb = "Would reformat" if check_only else "Reformatted"
        for name in outcome.changed:
            click.echo(f"{verb}: {name}")
        n = len(outcome.changed)
        summary = f"{n} file{'s' if n != 1 else ''} {'would be ' if check_only else ''}reformatted, " \
                  f"{outcome.unchanged} already formatted"
        if outcome.refused or outcome.too_complex:
            summary += f", {len(outcome.refused) + len(outcome.too_complex)} refused"
        click.echo(summary)
