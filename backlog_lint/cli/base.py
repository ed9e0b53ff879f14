"""The command group, its exit statuses, and what every command shares: config loading, rule
selections, and turning exceptions into messages and exit codes."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from backlog_lint import __version__

if TYPE_CHECKING:
    pass

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_TOO_COMPLEX = 4  # format: a file too deep or too big to format safely (not a bug)


class DefaultGroup(click.Group):
    """`backlog-lint [PATH...]` and `backlog-lint --fix` mean `backlog-lint check ...`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args and ctx.resilient_parsing:  # shell completion of the first word: offer the commands
            return super().parse_args(ctx, args)
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = ["check", *args]
        return super().parse_args(ctx, args)


def _codes(value: str | None, option: str = "--select") -> tuple[str, ...]:
    """Rule codes or prefixes from an option; one that matches no rule is a usage error."""
    if not value:
        return ()
    codes = tuple(c.strip().upper() for c in value.split(",") if c.strip())
    from backlog_lint.selection import HINT, unknown_selectors

    for c in unknown_selectors(codes):
        raise _Usage(f"{option}: {c!r} matches no rule; {HINT}")
    return codes


def _color(no_color: bool) -> bool:
    """Colour on a terminal that can show it; NO_COLOR and --no-color turn it off, FORCE_COLOR on."""
    if no_color or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


def _load_config(config: str | None, paths: tuple[Path, ...] = ()) -> Any:
    """Config nearest to the first path given (like ruff), else to the working directory."""
    from backlog_lint.config import load_config
    from backlog_lint.errors import ConfigError

    start = Path.cwd()
    if paths:
        first = paths[0]
        start = first if first.is_dir() else first.parent
        if not start.exists():
            start = Path.cwd()
    try:
        return load_config(start, Path(config) if config else None)
    except ConfigError as exc:
        raise _Usage(f"configuration error: {exc}") from None


class _Usage(click.ClickException):
    exit_code = EXIT_USAGE


def _internal_error(exc: BaseException, what: str) -> int:
    import traceback

    click.echo(f"error: backlog-lint crashed while {what}: {type(exc).__name__}: {exc}", err=True)
    click.echo("This is a bug in backlog-lint, not in your files. Please report it with the file that "
               "triggered it and this trace:", err=True)
    click.echo("".join(traceback.format_exception(exc)), err=True)
    return EXIT_INTERNAL


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="backlog-lint")
def main() -> None:
    """Lint and format Markdown backlogs kept in git.

    Run `backlog-lint [PATH...]` to check, `backlog-lint --fix` to apply safe fixes.
    """


_LAST_RUN: list[Any] = []  # the last check's results: left for the process's end to drop (see `entry`)


def entry() -> None:
    """The `backlog-lint` command: `main`, then an exit that does not free the models one by one.

    A run over a thousand files holds millions of small objects; freeing them on the way out
    takes a tenth of a second nobody waits for gladly, so once the output is flushed the
    process ends with ``os._exit`` (nothing else is left to clean up: files are written and
    closed, worker processes joined). Under a profiler or a coverage tool it exits normally.
    """
    try:
        main()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        print(code, file=sys.stderr)
        status = 1
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(status)  # a profiler or coverage tool writes its results on the way out: let it
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe or stream: nothing more can be said
            stream.flush()
    os._exit(status)


def _run(fn: Any, *args: Any, what: str, **kwargs: Any) -> int:
    from backlog_lint.errors import FixLoopError, InternalError, UsageError

    try:
        return fn(*args, **kwargs)
    except UsageError as exc:
        click.echo(f"error: {exc}", err=True)
        return EXIT_USAGE
    except click.ClickException:
        raise
    except InternalError as exc:
        return _internal_error(exc.cause, exc.where)
    except FixLoopError as exc:
        return _internal_error(exc, what)
    except (KeyboardInterrupt, BrokenPipeError):
        return 130
    except Exception as exc:
        return _internal_error(exc, what)
