"""Command line: options -> config -> api -> report -> exit code. The only module that prints."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from backlog_lint import __version__

if TYPE_CHECKING:
    from backlog_lint.formatting import FormatOutcome

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
_COMMANDS = ("check", "format", "show", "rule", "config", "graph", "server")


class DefaultGroup(click.Group):
    """`backlog-lint [PATH...]` and `backlog-lint --fix` mean `backlog-lint check ...`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = ["check", *args]
        return super().parse_args(ctx, args)


def _codes(value: str | None, option: str = "--select") -> tuple[str, ...]:
    """Rule codes or prefixes from an option; one that matches no rule is a usage error."""
    if not value:
        return ()
    codes = tuple(c.strip().upper() for c in value.split(",") if c.strip())
    from backlog_lint.rules import ALL_RULES

    for c in codes:
        if c != "ALL" and not any(r.code.startswith(c) for r in ALL_RULES):
            raise _Usage(f"{option}: {c!r} matches no rule; `backlog-lint rule --all` lists the codes")
    return codes


def _color(no_color: bool) -> bool:
    if no_color or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


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


def _check(paths: tuple[Path, ...], *, fix: bool, unsafe_fixes: bool, diff: bool, show_fixes: bool,
           select: str | None, extend_select: str | None, ignore: str | None, preview: bool, config: str | None,
           exit_zero: bool, statistics: bool, quiet: bool, no_color: bool, output_format: str,
           output_file: Path | None, respect_include: bool, no_cache: bool, jobs: int) -> int:
    from backlog_lint import api
    from backlog_lint.report import FORMATS

    if output_format not in FORMATS:
        raise _Usage(f"unknown --output-format {output_format!r}; choose one of {', '.join(FORMATS)}")
    cfg = _load_config(config, paths)
    cwd = Path.cwd()
    files = api.resolve_paths(cfg, list(paths), cwd, respect_include=respect_include)
    rules = api.select_rules(cfg, _codes(select) or None, _codes(ignore, "--ignore"),
                             _codes(extend_select, "--extend-select"), preview=preview)
    cache = api.make_cache(cfg, enabled=not no_cache)
    progress = _progress() if output_format in ("concise", "full", "grouped") and not quiet else None
    run = api.check(cfg, files, cwd, rules, cache=cache, jobs=jobs, progress=progress, reuse=not (fix or diff),
                    project=None if paths else files)
    _LAST_RUN[:] = [run]  # not freed when this returns: `entry` ends the process without freeing it
    diagnostics, checked = run.diagnostics, run.checked
    fixed: dict[str, int] = {}
    exit_write_error = False
    if fix or diff:
        from backlog_lint.fixing import fix_workspace

        ws = run.workspace
        assert ws is not None
        outcome = fix_workspace(ws, cfg, rules, checked, diagnostics, unsafe=unsafe_fixes, write=fix and not diff)
        fixed = outcome.fixed
        if diff:
            click.echo(outcome.diff, nl=False)
            return EXIT_FINDINGS if outcome.diff else EXIT_OK
        for err in outcome.errors:
            click.echo(f"error: {err}", err=True)
        exit_write_error = bool(outcome.errors)
        diagnostics = api.run_rules(ws, cfg, rules, checked)
    color = _color(no_color) and output_file is None
    sources = run.sources() if output_format in _FORMATS_WITH_SOURCE else {}
    text = _render(output_format, diagnostics, sources, color=color, show_fixes=show_fixes, fixed=fixed,
                   statistics=statistics, checked=checked, quiet=quiet)
    _emit(text, output_file, color=color)
    if cache is not None:
        cache.prune()  # at most once a day, after the report: entries unused for 30 days go
    if exit_write_error:
        return EXIT_USAGE
    if exit_zero:
        return EXIT_OK
    failing = [d for d in diagnostics if d.severity.value != "info"]
    return EXIT_FINDINGS if failing else EXIT_OK


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
    from backlog_lint.report import RuleInfo, render
    from backlog_lint.rules import BY_CODE

    rules = {c: RuleInfo(r.code, r.name, r.summary, r.explanation, r.fixable) for c, r in BY_CODE.items()}
    text = render(fmt, diagnostics, rules=rules, sources=sources, color=color, show_fixes=show_fixes,
                  fixed=fixed, statistics=statistics, tool_version=__version__, checked_files=checked)
    if quiet and fmt in ("concise", "full", "grouped"):
        lines = text.rstrip("\n").split("\n")
        while lines and (not lines[-1].strip() or lines[-1].startswith(("Found ", "All checks passed"))):
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
def format_cmd(paths: tuple[Path, ...], check_only: bool, diff: bool, config: str | None, respect_include: bool,
               quiet: bool, no_cache: bool, jobs: int) -> None:
    """Rewrite backlog files canonically; never writes a change to the backlog's meaning."""
    sys.exit(_run(_format, paths, check_only, diff, config, respect_include, quiet, no_cache=no_cache, jobs=jobs,
                  what="formatting files"))


def _format(paths: tuple[Path, ...], check_only: bool, diff: bool, config: str | None, respect_include: bool,
            quiet: bool, *, no_cache: bool = False, jobs: int = 0) -> int:
    from backlog_lint import api
    from backlog_lint.formatting import format_files

    cfg = _load_config(config, paths)
    cwd = Path.cwd()
    files = api.resolve_paths(cfg, list(paths), cwd, respect_include=respect_include)
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
    if (check_only or diff) and outcome.changed:
        return EXIT_FINDINGS
    return EXIT_OK


def _report_format(outcome: FormatOutcome, *, check_only: bool, diff: bool, quiet: bool) -> None:
    if diff:
        click.echo(outcome.diff, nl=False)
    for msg in outcome.refused:
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
        if outcome.refused:
            summary += f", {len(outcome.refused)} refused"
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
    unreadable = [d for d in docs if any(p.code in ("BL000", "BL001") for p in d.problems)]
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
@click.option("--config", "config", type=click.Path(dir_okay=False), help="Use this config file.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def config_cmd(config: str | None, as_json: bool) -> None:
    """Print the effective configuration and where each value came from."""
    cfg = _load_config(config)
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
