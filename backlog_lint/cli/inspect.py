"""Commands that show what backlog-lint understands: graph, show, rule, and the language server."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from backlog_lint import __version__
from backlog_lint.cli.base import EXIT_FINDINGS, EXIT_OK, _load_config, _run, _Usage, main


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["mermaid", "dot", "json"]), default="mermaid",
              help="Output format.")
@click.option("--config", "config", type=click.Path(dir_okay=False), help="Use this config file.")
def graph(paths: tuple[Path, ...], fmt: str, config: str | None) -> None:
    """Print the dependency graph of the workspace (nodes styled by status)."""
    sys.exit(_run(_graph, paths, fmt, config, what="building the graph"))


def _graph(paths: tuple[Path, ...], fmt: str, config: str | None) -> int:
    from backlog_lint import pipeline
    from backlog_lint.graph import render_graph

    cfg = _load_config(config, paths)
    cwd = Path.cwd()
    files = pipeline.resolve_paths(cfg, list(paths), cwd)
    ws, _ = pipeline.build_workspace(cfg, files, cwd, whole=not paths)
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
    from backlog_lint import pipeline
    from backlog_lint.dump import document_dict, render_tree

    cfg = _load_config(config, paths)
    cwd = Path.cwd()
    files = pipeline.resolve_paths(cfg, list(paths), cwd)
    docs = [pipeline.load_document(p, pipeline.display_path(p, cwd), cfg) for p in files]
    if as_json:
        import json

        click.echo(json.dumps({"version": __version__, "documents": [document_dict(d, cfg.vocab) for d in docs]},
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
    chosen = BY_CODE.get(code.upper())
    if chosen is None:
        raise _Usage(f"unknown rule {code!r}; `backlog-lint rule --all` lists the rules")
    r = chosen
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
