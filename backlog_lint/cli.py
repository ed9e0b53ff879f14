"""Command line: options -> config -> api -> report -> exit code. The only module that prints."""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from backlog_lint import __version__

if TYPE_CHECKING:
    from backlog_lint.formatting import FormatOutcome

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_TOO_COMPLEX = 4  # format: a file too deep or too big to format safely (not a bug)
_COMMANDS = ("check", "format", "show", "rule", "config", "graph", "init", "server")


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
    from backlog_lint.config import ConfigError, load_config

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
    from backlog_lint.api import InternalError, UsageError
    from backlog_lint.fixes import FixLoopError

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


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--fix", is_flag=True, help="Apply safe fixes.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply unsafe fixes (with --fix or --diff).")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff instead of writing them.")
@click.option("--show-fixes", is_flag=True, help="List the fixes that were applied.")
@click.option("--select", help="Comma-separated rule codes or prefixes to enable (replaces the config).")
@click.option("--extend-select", help="Rule codes or prefixes to enable in addition.")
@click.option("--ignore", help="Rule codes or prefixes to disable.")
@click.option("--preview", is_flag=True, help="Also run the preview rules (off by default; see `rule --all`).")
@click.option("--config", "config", type=click.Path(dir_okay=False), help="Use this config file.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when problems are found.")
@click.option("--statistics", is_flag=True, help="Show the number of findings per rule.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only, no summary.")
@click.option("--no-color", is_flag=True, help="Disable colour (also NO_COLOR=1).")
@click.option("--output-format", default="concise", help="concise, full, grouped, json, json-lines, github, "
              "sarif, gitlab, junit or markdown.")
@click.option("--output-file", type=click.Path(dir_okay=False, path_type=Path), help="Write the report here.")
@click.option("--respect-include", is_flag=True, help="Skip given files that `include` does not match "
              "(used by the pre-commit hooks).")
@click.option("--no-cache", is_flag=True, help="Do not read or write the result cache.")
@click.option("--jobs", "-j", type=int, default=0, help="Parallel parse processes (0 = all cores).")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Report only findings not recorded in this baseline file (also `baseline` in the config).")
@click.option("--write-baseline", type=click.Path(dir_okay=False, path_type=Path),
              help="Record the current findings in this file and exit 0.")
@click.option("--stdin-filename", type=click.Path(dir_okay=False, path_type=Path),
              help="With `-` as the path: the file the text from stdin stands for.")
@click.option("--base", "base_ref", metavar="REF", help="Pull-request mode: report what the change since "
              "REF (from where HEAD left it) is responsible for, and check the change itself.")
@click.option("--watch", is_flag=True, help="Check again whenever a backlog or config file changes "
              "(needs `pip install 'backlog-lint[watch]'`).")
def check(paths: tuple[Path, ...], watch: bool, **opts: Any) -> None:
    """Check backlog files (default: every backlog file of the project)."""
    if watch:
        sys.exit(_watch(paths, opts))
    sys.exit(_run(_check, paths, what="checking files", **opts))


def _watch(paths: tuple[Path, ...], opts: dict[str, Any]) -> int:
    """Run `check` now and after every change of a file it reads, the screen cleared on a terminal."""
    from backlog_lint import watch

    problem = watch.missing()
    if problem:
        raise _Usage(problem)
    cfg = _load_config(opts.get("config"), paths)
    outside = [p for p in paths if p.exists() and cfg.root.resolve() not in (p.resolve(), *p.resolve().parents)]
    terminal = sys.stdout.isatty() and opts.get("output_file") is None

    def run() -> None:
        if terminal:
            click.clear()
        if _run(_check, paths, what="checking files", **opts) == 130:
            raise KeyboardInterrupt  # Ctrl-C during a check stops the watch too
        sys.stdout.flush()  # each run's report whole, also into a pipe
        if opts.get("output_file") is None:
            click.echo("Watching for changes (Ctrl-C stops) ...", err=True)

    try:
        run()
        for _changed in watch.changes([cfg.root, *outside], cfg):
            run()
    except KeyboardInterrupt:
        pass
    return EXIT_OK


@dataclass
class _Checked:
    """One config's share of a `check` run."""

    diagnostics: list
    checked: list[str]
    sources: dict[str, list[str]]
    fixed: dict[str, int]
    write_error: bool = False


def _check(paths: tuple[Path, ...], *, fix: bool, unsafe_fixes: bool, diff: bool, show_fixes: bool,
           select: str | None, extend_select: str | None, ignore: str | None, preview: bool, config: str | None,
           exit_zero: bool, statistics: bool, quiet: bool, no_color: bool, output_format: str,
           output_file: Path | None, respect_include: bool, no_cache: bool, jobs: int,
           baseline_file: Path | None = None, write_baseline: Path | None = None,
           stdin_filename: Path | None = None, base_ref: str | None = None) -> int:
    from backlog_lint import stdin
    from backlog_lint.report import FORMATS, STATISTICS_FORMATS

    if output_format not in FORMATS:
        raise _Usage(f"unknown --output-format {output_format!r}; choose one of {', '.join(FORMATS)}")
    if statistics and output_format not in STATISTICS_FORMATS:
        raise _Usage(f"--statistics cannot be shown as --output-format {output_format}; use one of "
                     f"{', '.join(STATISTICS_FORMATS)}")
    cwd = Path.cwd()
    texts = None
    if stdin.wants_stdin(paths):
        if len(paths) > 1 or fix or diff:
            raise _Usage("`-` (read stdin) is the only path of its run, and cannot be fixed in place: "
                         "use `backlog-lint format -` for a rewritten copy")
        stand_in = stdin.stand_in(stdin_filename, cwd)
        paths, texts = (stand_in,), {stand_in: stdin.read()}
    groups = _config_groups(config, paths)
    if len(groups) > 1 and (base_ref or baseline_file or write_baseline):
        raise _Usage("the paths given fall under different configs (" + ", ".join(
            str(c.path or c.root) for c, _ in groups) + "); --base and baselines judge one project: give "
            "paths under one config, or --config")
    parts: list[_Checked] = []
    diffs: list[str] = []
    for cfg, group in groups:
        part = _check_project(cfg, group, cwd, texts=texts, fix=fix, unsafe_fixes=unsafe_fixes, diff=diff,
                              select=select, extend_select=extend_select, ignore=ignore, preview=preview,
                              respect_include=respect_include, no_cache=no_cache, jobs=jobs, base_ref=base_ref,
                              quiet=quiet, output_format=output_format, diffs=diffs,
                              need_sources=bool(baseline_file or write_baseline or cfg.baseline))
        if part is None:
            continue
        if isinstance(part, int):
            return part
        parts.append(part)
    if diff:
        text = "".join(diffs)
        click.echo(text, nl=False)
        return EXIT_FINDINGS if text else EXIT_OK
    if not parts:
        return _nothing_to_check(groups[0][0], paths, respect_include)
    if len(parts) == 1:
        cfg = groups[0][0] if len(groups) == 1 else next(c for c, _ in groups)
        baseline_file = baseline_file or cfg.baseline
        part = parts[0]
        if write_baseline is not None or baseline_file is not None:
            found = _baseline_entries(part, cfg, cwd)
            if write_baseline is not None:
                from backlog_lint.baseline import write

                write(write_baseline, found)
                click.echo(f"Wrote {len(found)} finding{'s' if len(found) != 1 else ''} to the baseline "
                           f"{write_baseline}.", err=True)
                return EXIT_OK
            part.diagnostics = _apply_baseline(baseline_file, part.diagnostics, found, part.checked, cfg, cwd)
    diagnostics = sorted((d for p in parts for d in p.diagnostics), key=lambda d: d.sort_key)
    checked = [c for p in parts for c in p.checked]
    sources = {k: v for p in parts for k, v in p.sources.items()}
    fixed = {k: v for p in parts for k, v in p.fixed.items()}
    color = _color(no_color) and output_file is None
    text = _render(output_format, diagnostics, sources if output_format in _FORMATS_WITH_SOURCE else {},
                   color=color, show_fixes=show_fixes, fixed=fixed, statistics=statistics, checked=checked,
                   quiet=quiet)
    _emit(text, output_file, color=color)
    if any(p.write_error for p in parts):
        return EXIT_USAGE
    if exit_zero:
        return EXIT_OK
    failing = [d for d in diagnostics if d.severity.value != "info"]
    return EXIT_FINDINGS if failing else EXIT_OK


def _config_groups(config: str | None, paths: tuple[Path, ...]) -> list[tuple[Any, tuple[Path, ...]]]:
    """The configs of a run and the paths each one gets: every path its nearest config (as ruff
    does), so that the order of the paths changes nothing; one config for --config or no paths."""
    if config is not None or len(paths) <= 1:
        return [(_load_config(config, paths), paths)]
    from backlog_lint.config import ConfigError, find_config

    by_file: dict[Path | None, list[Path]] = {}
    for p in paths:
        start = p if p.is_dir() else p.parent
        try:
            found, _ = find_config((start if start.exists() else Path.cwd()).resolve())
        except ConfigError as exc:
            raise _Usage(f"configuration error: {exc}") from None
        by_file.setdefault(found, []).append(p)
    # paths under no config file share the one their first path finds (the built-in defaults)
    return [(_load_config(str(found) if found else None, tuple(group)), tuple(group))
            for found, group in by_file.items()]


def _rule_object(name: str) -> Any:
    """A rule by its function name, imported when needed (the rule modules are not on the start-up path)."""
    import importlib

    return getattr(importlib.import_module(f"backlog_lint.rules.{name}"), name)


def _check_project(cfg: Any, paths: tuple[Path, ...], cwd: Path, *, texts: dict[Path, bytes] | None, fix: bool,
                   unsafe_fixes: bool, diff: bool, select: str | None, extend_select: str | None,
                   ignore: str | None, preview: bool, respect_include: bool, no_cache: bool, jobs: int,
                   base_ref: str | None, quiet: bool, output_format: str, diffs: list[str],
                   need_sources: bool = False) -> _Checked | int | None:
    """Check the paths that one config governs (with its whole project for the cross-file rules)."""
    from backlog_lint import api

    files = [paths[0]] if texts else api.resolve_paths(cfg, list(paths), cwd, respect_include=respect_include)
    if not files:
        return None
    rules = api.select_rules(cfg, _codes(select) or None, _codes(ignore, "--ignore"),
                             _codes(extend_select, "--extend-select"), preview=preview)
    cache = api.make_cache(cfg, enabled=not no_cache)
    progress = _progress() if output_format in ("concise", "full", "grouped") and not quiet else None
    hints = None
    change = None
    if base_ref is not None:
        if fix or diff or texts:
            raise _Usage("--base judges a change as it is: it cannot be combined with --fix, --diff or `-`")
        from backlog_lint import prmode
        from backlog_lint.gitrev import GitError
        from backlog_lint.since import REMOVED_IDS

        try:
            change = prmode.collect(cfg, base_ref, cwd)
        except GitError as exc:
            raise _Usage(f"--base {base_ref}: {exc}") from None
        hints = {REMOVED_IDS: change.removed}
    elif paths and not texts and any(r is _rule_object("dangling_reference") for r in rules):
        from backlog_lint.since import REMOVED_IDS, since_head

        # some files only (pre-commit): references elsewhere to items these changes removed are found too
        removed = since_head(cfg, cwd)
        hints = {REMOVED_IDS: removed} if removed else None
    run = api.check(cfg, files, cwd, rules, cache=cache, jobs=jobs, progress=progress,
                    reuse=not (fix or diff or change), project=None if paths else files, texts=texts, hints=hints)
    _LAST_RUN.append(run)  # not freed when this returns: `entry` ends the process without freeing it
    diagnostics, checked = run.diagnostics, run.checked
    if change is not None:
        from backlog_lint import prmode

        diagnostics = prmode.judge(cfg, change, diagnostics, run.workspace, rules, cwd)
    fixed: dict[str, int] = {}
    write_error = False
    if fix or diff:
        from backlog_lint.fixing import fix_workspace

        ws = run.workspace
        assert ws is not None
        outcome = fix_workspace(ws, cfg, rules, checked, diagnostics, unsafe=unsafe_fixes, write=fix and not diff)
        fixed = outcome.fixed
        if diff:
            diffs.append(outcome.diff)
            return None if not outcome.diff else _Checked([], checked, {}, {})
        for err in outcome.errors:
            click.echo(f"error: {err}", err=True)
        write_error = bool(outcome.errors)
        diagnostics = api.run_rules(ws, cfg, rules, checked)
    needed = output_format in _FORMATS_WITH_SOURCE or need_sources  # decoding every file costs on a warm run
    part = _Checked(diagnostics, checked, run.sources() if needed else {}, fixed, write_error)
    if cache is not None:
        cache.prune()  # at most once a day: entries unused for 30 days go
    return part


def _baseline_entries(part: _Checked, cfg: Any, cwd: Path) -> list:
    from backlog_lint.baseline import entries

    # a finding in a file that was not checked (the other end of a cross-file one) has no lines here
    return entries(part.diagnostics, part.sources, cwd, cfg.root)


def _apply_baseline(file: Path, diagnostics: list, found: list, checked: list[str], cfg: Any, cwd: Path) -> list:
    """The findings not in the baseline; stale entries (fixed since) are said on stderr."""
    from backlog_lint.baseline import BaselineError, apply, project_paths, read

    try:
        known = read(file)
    except BaselineError as exc:
        raise _Usage(str(exc)) from None
    outcome = apply(diagnostics, found, known, project_paths(checked, cwd, cfg.root))
    if outcome.stale:
        n = len(outcome.stale)
        click.echo(f"backlog-lint: {n} entr{'ies' if n != 1 else 'y'} of the baseline {file} no longer match a "
                   f"finding (fixed?): run `backlog-lint check --write-baseline {file}` to shrink it", err=True)
        for e in outcome.stale[:10]:
            click.echo(f"  stale: {e.path}: {e.code} {e.message}", err=True)
        if n > 10:
            click.echo(f"  ... and {n - 10} more", err=True)
    return outcome.new


def _nothing_to_check(cfg: Any, paths: tuple[Path, ...], respect_include: bool) -> int:
    """A run that found no file says so, naming the patterns; it never passes as if all were well.

    Only the pre-commit hooks' `--respect-include` runs, handed files that are not backlogs (a
    README.md), end quietly with 0: pre-commit chose the files, the project's `include` declined them.
    """
    include = ", ".join(cfg.include)
    exclude = ", ".join(cfg.exclude)
    where = f"in {cfg.path}" if cfg.path else "in a .backlog-lint.toml (none found)"
    if respect_include and paths:
        click.echo(f"backlog-lint: none of the {len(paths)} files given is a backlog file (include: {include}); "
                   "nothing to check", err=True)
        return EXIT_OK
    if not paths:
        click.echo(f"error: no backlog files found under {cfg.root}: `include` matches none ({include}; minus "
                   f"exclude: {exclude}); set `include` {where}, or name the files or folders to check", err=True)
    else:
        names = ", ".join(str(p) for p in paths)
        click.echo(f"error: no Markdown files to check in {names} (looked for *.md and *.markdown in any case, "
                   f"minus git-ignored files and exclude: {exclude})", err=True)
    return EXIT_USAGE


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
    from backlog_lint.report import RuleInfo, render
    from backlog_lint.rules import BY_CODE

    rules = {c: RuleInfo(r.code, r.name, r.summary, r.explanation, r.fixable) for c, r in BY_CODE.items()}
    text = render(fmt, diagnostics, rules=rules, sources=sources, color=color, show_fixes=show_fixes,
                  fixed=fixed, statistics=statistics, tool_version=__version__, checked_files=checked,
                  link_base=blob_base(os.environ, Path.cwd()) if fmt == "markdown" else "")
    if quiet and fmt in ("concise", "full", "grouped"):
        lines = text.rstrip("\n").split("\n")
        while lines and (not lines[-1].strip() or lines[-1].startswith(("Found ", "All checks passed", "Checked "))):
            lines.pop()
        text = "\n".join(lines) + ("\n" if lines else "")
    return text


def _emit(text: str, output_file: Path | None, *, color: bool = False) -> None:
    if output_file is not None:
        output_file.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False, color=color)  # click strips ANSI codes off a non-terminal unless told


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
    from backlog_lint import api, stdin
    from backlog_lint.formatting import format_data

    if len(paths) > 1:
        raise _Usage("`-` (read stdin) is the only path of its run")
    cwd = Path.cwd()
    stand_in = stdin.stand_in(stdin_filename, cwd)
    cfg = _load_config(config, (stand_in,))
    data = stdin.read()
    result = format_data(data, api.display_path(stand_in, cwd), cfg, keep=not (check_only or diff), diff=diff)
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
    from backlog_lint import api
    from backlog_lint.formatting import format_files

    cfg = _load_config(config, paths)
    cwd = Path.cwd()
    files = api.resolve_paths(cfg, list(paths), cwd, respect_include=respect_include)
    if not files:
        return _nothing_to_check(cfg, paths, respect_include)
    cache = api.make_cache(cfg, enabled=not no_cache)
    outcome = format_files(cfg, [(p, api.display_path(p, cwd)) for p in files],
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


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["mermaid", "dot", "json"]), default="mermaid",
              help="Output format.")
@click.option("--config", "config", type=click.Path(dir_okay=False), help="Use this config file.")
def graph(paths: tuple[Path, ...], fmt: str, config: str | None) -> None:
    """Print the dependency graph of the workspace (nodes styled by status)."""
    sys.exit(_run(_graph, paths, fmt, config, what="building the graph"))


def _graph(paths: tuple[Path, ...], fmt: str, config: str | None) -> int:
    from backlog_lint import api
    from backlog_lint.graph import render_graph

    cfg = _load_config(config, paths)
    cwd = Path.cwd()
    files = api.resolve_paths(cfg, list(paths), cwd)
    ws, _ = api.build_workspace(cfg, files, cwd, whole=not paths)
    click.echo(render_graph(ws, fmt), nl=False)
    return EXIT_OK


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the model as JSON (schemas/model.schema.json).")
@click.option("--config", "config", type=click.Path(dir_okay=False), help="Use this config file.")
def show(paths: tuple[Path, ...], as_json: bool, config: str | None) -> None:
    """Show what the parser understood: items, fields, tasks and references with line:col."""
    sys.exit(_run(_show, paths, as_json, config, what="parsing files"))


def _show(paths: tuple[Path, ...], as_json: bool, config: str | None) -> int:
    from backlog_lint import api
    from backlog_lint.dump import document_dict, render_tree

    cfg = _load_config(config, paths)
    cwd = Path.cwd()
    files = api.resolve_paths(cfg, list(paths), cwd)
    docs = [api.load_document(p, api.display_path(p, cwd), cfg) for p in files]
    if as_json:
        import json

        click.echo(json.dumps({"version": __version__, "documents": [document_dict(d) for d in docs]},
                              ensure_ascii=False, indent=2))
    else:
        click.echo("\n\n".join(render_tree(d) for d in docs))
    unreadable = [d for d in docs if d.unreadable is not None]
    return EXIT_FINDINGS if unreadable else EXIT_OK


@main.command()
@click.argument("code", required=False)
@click.option("--all", "show_all", is_flag=True, help="List every rule.")
def rule(code: str | None, show_all: bool) -> None:
    """Explain a rule (`backlog-lint rule BL201`) or list them all (`--all`)."""
    from backlog_lint.rules import ALL_RULES, BY_CODE

    if show_all or not code:
        for r in ALL_RULES:
            mark = "[*]" if r.fixable else "   "
            tier = " (preview)" if r.preview else ""
            click.echo(f"{r.code} {mark} {r.name:<30} {r.summary}{tier}")
        click.echo("\n[*] has a fix; (preview): off unless --preview, `preview = true` or selected by its code")
        return
    r = BY_CODE.get(code.upper())
    if r is None:
        raise _Usage(f"unknown rule {code!r}; `backlog-lint rule --all` lists the rules")
    fix = "Fix is available (with --fix)." if r.fixable else "Fix is not available."
    tier = (" Preview rule: off unless --preview, `preview = true`, or selected by its code."
            if r.preview else "")
    click.echo(f"# {r.name} ({r.code})\n\nSeverity: {r.severity.value}. {fix}{tier}\n\n{r.explanation}")


@main.command()
def server() -> None:
    """Run the language server (LSP over stdin/stdout) for editors; needs `pip install 'backlog-lint[lsp]'`."""
    from backlog_lint.lsp import missing

    problem = missing()
    if problem:
        raise _Usage(problem)
    from backlog_lint.lsp.server import serve

    serve()


@main.command("config")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--config", "config", type=click.Path(dir_okay=False), help="Use this config file.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.option("--show-inferred", is_flag=True, help="Print what is learnt from the project's files (statuses, "
              "priorities, estimates, labels, ID families) and where from.")
def config_cmd(path: Path | None, config: str | None, as_json: bool, show_inferred: bool) -> None:
    """Print the effective configuration (the one PATH gets, if given) and where each value came from."""
    if show_inferred:
        sys.exit(_run(_show_inferred, path, config, as_json, what="learning from the project"))
    cfg = _load_config(config, (path,) if path is not None else ())
    data = cfg.as_dict()
    if as_json:
        import json

        click.echo(json.dumps({"root": str(cfg.root), "file": str(cfg.path) if cfg.path else None,
                               "settings": data, "origins": cfg.origins}, indent=2, ensure_ascii=False))
        return
    click.echo(f"# project root: {cfg.root}")
    click.echo(f"# config file: {cfg.path if cfg.path else '(none: built-in defaults)'}")
    for key, value in data.items():
        origin = cfg.origins.get(key, "default")
        click.echo(f"{key} = {_toml_value(value)}  # {origin}")


def _show_inferred(path: Path | None, config: str | None, as_json: bool) -> int:
    """`config --show-inferred`: what the rules learn from the project's backlog files, and from where."""
    from backlog_lint import api
    from backlog_lint.inferred import infer, report_lines
    from backlog_lint.model import Workspace

    cfg = _load_config(config, (path,) if path is not None else ())
    cwd = Path.cwd()
    files = api.resolve_paths(cfg, [], cwd)
    if not files:
        click.echo(f"backlog-lint: no backlog files under {api.display_path(cfg.root, cwd)}: `include` matches none "
                   f"({', '.join(cfg.include)}), so nothing is learnt from files; `backlog-lint init` finds them",
                   err=True)
    ws = Workspace(str(cfg.root), api.load_documents(cfg, [(p, api.display_path(p, cwd)) for p in files]))
    inferred = infer(ws, cfg)
    if as_json:
        import json

        click.echo(json.dumps({"root": str(cfg.root), "file": str(cfg.path) if cfg.path else None,
                               **inferred.as_dict()}, indent=2, ensure_ascii=False))
        return EXIT_OK
    where = api.display_path(cfg.path, cwd) if cfg.path else "none: built-in defaults"
    click.echo(f"# learnt from the {len(files)} backlog file{'s' if len(files) != 1 else ''} of the project at "
               f"{api.display_path(cfg.root, cwd)} (config: {where})")
    click.echo("\n".join(report_lines(inferred)))
    return EXIT_OK


@main.command()
@click.argument("path", required=False, type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--dry-run", is_flag=True, help="Print the config that would be written; write nothing.")
def init(path: Path | None, dry_run: bool) -> None:
    """Find the project's backlog files and write a commented .backlog-lint.toml for them.

    PATH is a folder of the project (default: the current one); the config goes to the project
    root, the top of its git work tree (else PATH). An existing config is never overwritten.
    """
    sys.exit(_run(_init, path, dry_run, what="setting up the project"))


def _init(path: Path | None, dry_run: bool) -> int:
    from backlog_lint import api
    from backlog_lint import init as setup
    from backlog_lint.config import CONFIG_FILE, Config
    from backlog_lint.inferred import infer
    from backlog_lint.model import Workspace

    cwd = Path.cwd()
    root = setup.project_root(path if path is not None else cwd)
    found = setup.existing_config(root)
    if found is not None:
        what = "[tool.backlog-lint] in " if found.name == "pyproject.toml" else ""
        raise _Usage(f"the project already has a configuration: {what}{api.display_path(found, cwd)}; init never "
                     "overwrites one (`backlog-lint config --show-inferred` shows what it would learn)")
    result = setup.scan(root)
    if not result.backlog:
        click.echo(f"error: none of the {len(result.files)} Markdown files under {api.display_path(root, cwd)} "
                   "holds backlog items (checklists, items with a status or priority, front-matter tasks, index "
                   "tables); nothing written. Name your backlog files in `include` of a .backlog-lint.toml by "
                   "hand, or check them by name: `backlog-lint check FILE`", err=True)
        return EXIT_USAGE
    patterns = setup.include_patterns(result)
    inferred = infer(Workspace(str(root), result.documents), Config(root=root))
    text = setup.render(result, patterns, inferred)
    setup.verify(text, result)
    target = root / CONFIG_FILE
    shown = api.display_path(target, cwd)
    report = setup.summary_lines(result, patterns, inferred)
    above = setup.inherited_config(root)
    if above is not None:
        report.append(f"Note: {api.display_path(above, cwd)} has applied to this project until now; {shown} takes "
                      "its place here.")
    if dry_run:
        click.echo("\n".join(report), err=True)
        click.echo(f"Would write {shown} (--dry-run: nothing written):", err=True)
        click.echo(text, nl=False)
        return EXIT_OK
    try:
        with target.open("x", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except FileExistsError:
        raise _Usage(f"{shown} appeared meanwhile; init never overwrites a config") from None
    except OSError as exc:
        raise _Usage(f"cannot write {shown}: {exc.strerror or exc}") from None
    click.echo("\n".join(report))
    n = len(result.backlog)
    click.echo(f"Wrote {shown}: {len(patterns)} include pattern{'s' if len(patterns) != 1 else ''} for "
               f"{n} backlog file{'s' if n != 1 else ''}, the learnt vocabularies as commented settings.")
    click.echo("Next: `backlog-lint check` checks these files; `backlog-lint config --show-inferred` shows what is "
               "learnt from them.")
    return EXIT_OK


def _toml_value(value: Any) -> str:
    import json

    if value is None:
        return '""'
    if isinstance(value, dict):
        inner = ", ".join(f"{json.dumps(k, ensure_ascii=False)} = {_toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    return json.dumps(value, ensure_ascii=False)


if __name__ == "__main__":  # pragma: no cover
    main()
