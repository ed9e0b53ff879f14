"""Commands about the project's configuration: config (and what is learnt), init."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from backlog_lint.cli.base import EXIT_OK, EXIT_USAGE, _load_config, _run, _Usage, main


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
    from backlog_lint import pipeline
    from backlog_lint.inferred import infer, report_lines

    cfg = _load_config(config, (path,) if path is not None else ())
    cwd = Path.cwd()
    files = pipeline.resolve_paths(cfg, [], cwd)
    if not files:
        click.echo(f"backlog-lint: no backlog files under {pipeline.display_path(cfg.root, cwd)}: "
                   "`include` matches none "
                   f"({', '.join(cfg.include)}), so nothing is learnt from files; `backlog-lint init` finds them",
                   err=True)
    ws = pipeline.load_documents(cfg, [(p, pipeline.display_path(p, cwd)) for p in files]).workspace(str(cfg.root))
    inferred = infer(ws, cfg)
    if as_json:
        import json

        click.echo(json.dumps({"root": str(cfg.root), "file": str(cfg.path) if cfg.path else None,
                               **inferred.as_dict()}, indent=2, ensure_ascii=False))
        return EXIT_OK
    where = pipeline.display_path(cfg.path, cwd) if cfg.path else "none: built-in defaults"
    click.echo(f"# learnt from the {len(files)} backlog file{'s' if len(files) != 1 else ''} of the project at "
               f"{pipeline.display_path(cfg.root, cwd)} (config: {where})")
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
    from backlog_lint import init as setup
    from backlog_lint import pipeline
    from backlog_lint.config import CONFIG_FILE, Config
    from backlog_lint.inferred import infer
    from backlog_lint.model import Workspace

    cwd = Path.cwd()
    root = setup.project_root(path if path is not None else cwd)
    found = setup.existing_config(root)
    if found is not None:
        what = "[tool.backlog-lint] in " if found.name == "pyproject.toml" else ""
        raise _Usage(f"the project already has a configuration: {what}{pipeline.display_path(found, cwd)}; init never "
                     "overwrites one (`backlog-lint config --show-inferred` shows what it would learn)")
    result = setup.scan(root)
    if not result.backlog:
        click.echo(f"error: none of the {len(result.files)} Markdown files under {pipeline.display_path(root, cwd)} "
                   "holds backlog items (checklists, items with a status or priority, front-matter tasks, index "
                   "tables); nothing written. Name your backlog files in `include` of a .backlog-lint.toml by "
                   "hand, or check them by name: `backlog-lint check FILE`", err=True)
        return EXIT_USAGE
    patterns = setup.include_patterns(result)
    # the scan's display paths are relative to the root
    where = {doc.path: str(root / doc.path) for doc in result.documents}
    inferred = infer(Workspace(str(root), result.documents, where), Config(root=root))
    text = setup.render(result, patterns, inferred)
    setup.verify(text, result)
    target = root / CONFIG_FILE
    shown = pipeline.display_path(target, cwd)
    report = setup.summary_lines(result, patterns, inferred)
    above = setup.inherited_config(root)
    if above is not None:
        report.append(f"Note: {pipeline.display_path(above, cwd)} has applied to this project until now; {shown} takes "
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
