"""`backlog-lint check`: check, fix, baseline, pull-request mode, watch."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from backlog_lint.cli.base import (
    _LAST_RUN,
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    _codes,
    _color,
    _load_config,
    _run,
    _Usage,
    main,
)
from backlog_lint.cli.output import _FORMATS_WITH_SOURCE, _emit, _progress, _render


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
    run: Any = None  # the pipeline's CheckRun: its report kept from an identical earlier run, or where to keep one


# report formats that depend on the findings, the checked files' text and the options alone (no environment,
# time or paths outside the run): their rendered text is kept in the cache with the run's findings
_REPORTS_KEPT = frozenset({"concise", "full", "grouped", "json", "json-lines"})


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
    color = _color(no_color) and output_file is None
    view = None
    if (len(groups) == 1 and not (fix or diff or texts or base_ref or baseline_file or write_baseline)
            and groups[0][0].baseline is None and output_format in _REPORTS_KEPT):
        # the report depends on the findings and on these alone: kept in the cache with the run's findings
        view = repr((output_format, color, show_fixes, statistics, quiet))
    for cfg, group in groups:
        part = _check_project(cfg, group, cwd, texts=texts, fix=fix, unsafe_fixes=unsafe_fixes, diff=diff,
                              select=select, extend_select=extend_select, ignore=ignore, preview=preview,
                              respect_include=respect_include, no_cache=no_cache, jobs=jobs, base_ref=base_ref,
                              quiet=quiet, output_format=output_format, diffs=diffs,
                              need_sources=bool(baseline_file or write_baseline or cfg.baseline), view=view)
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
    kept = parts[0].run.report if view is not None and len(parts) == 1 and parts[0].run is not None else None
    if kept is not None:  # an identical earlier run's report (pipeline.Pipeline.check)
        text, failing = kept
        _emit(text, output_file, color=color)
        return EXIT_OK if exit_zero else EXIT_FINDINGS if failing else EXIT_OK
    diagnostics = sorted((d for p in parts for d in p.diagnostics), key=lambda d: d.sort_key)
    checked = [c for p in parts for c in p.checked]
    sources = {k: v for p in parts for k, v in p.sources.items()}
    fixed = {k: v for p in parts for k, v in p.fixed.items()}
    text = _render(output_format, diagnostics, sources if output_format in _FORMATS_WITH_SOURCE else {},
                   color=color, show_fixes=show_fixes, fixed=fixed, statistics=statistics, checked=checked,
                   quiet=quiet)
    _emit(text, output_file, color=color)
    if any(p.write_error for p in parts):
        return EXIT_USAGE
    failing = bool([d for d in diagnostics if d.severity.value != "info"])
    if view is not None and len(parts) == 1 and parts[0].run is not None:
        parts[0].run.remember_report(text, failing)
    if exit_zero:
        return EXIT_OK
    return EXIT_FINDINGS if failing else EXIT_OK


def _config_groups(config: str | None, paths: tuple[Path, ...]) -> list[tuple[Any, tuple[Path, ...]]]:
    """The configs of a run and the paths each one gets: every path its nearest config (as ruff
    does), so that the order of the paths changes nothing; one config for --config or no paths."""
    if config is not None or len(paths) <= 1:
        return [(_load_config(config, paths), paths)]
    from backlog_lint.config import find_config
    from backlog_lint.errors import ConfigError

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
                   need_sources: bool = False, view: str | None = None) -> _Checked | int | None:
    """Check the paths that one config governs (with its whole project for the cross-file rules)."""
    from backlog_lint import pipeline

    files = [paths[0]] if texts else pipeline.resolve_paths(cfg, list(paths), cwd, respect_include=respect_include)
    if not files:
        return None
    rules = pipeline.select_rules(cfg, _codes(select) or None, _codes(ignore, "--ignore"),
                             _codes(extend_select, "--extend-select"), preview=preview)
    cache = pipeline.make_cache(cfg, enabled=not no_cache)
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
    elif paths and not texts and any(r.code == _rule_object("dangling_reference").code for r in rules):
        from backlog_lint.since import REMOVED_IDS, since_head

        # some files only (pre-commit): references elsewhere to items these changes removed are found too
        removed = since_head(cfg, cwd)
        hints = {REMOVED_IDS: removed} if removed else None
    stages = pipeline.Pipeline(cfg, rules, cwd, cache, jobs, progress)
    run = stages.check(
        files, reuse=not (fix or diff or change), project=None if paths else files, texts=texts, hints=hints,
        view=None if (fix or diff or change or texts) else view)
    _LAST_RUN.append(run)  # not freed when this returns: `entry` ends the process without freeing it
    diagnostics, checked = run.diagnostics, run.checked
    if change is not None:
        from backlog_lint import prmode

        diagnostics = prmode.judge(cfg, change, diagnostics, run.workspace, rules, cwd)
    fixed: dict[str, int] = {}
    write_error = False
    if fix or diff:
        from backlog_lint.fix.workspace import fix_workspace

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
        # the fixed files' per-file findings are found again; the others' are as parsed
        unchanged = {path: found for path, found in run.file_findings.items() if path not in fixed}
        diagnostics = stages.findings(ws, checked, file_findings_of=unchanged)
    needed = output_format in _FORMATS_WITH_SOURCE or need_sources  # decoding every file costs on a warm run
    shown = run.report is not None  # the report is kept: neither findings nor sources are needed
    part = _Checked(diagnostics, checked, run.sources() if needed and not shown else {}, fixed, write_error,
                    run=run if view is not None else None)
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
