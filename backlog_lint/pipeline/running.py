"""Rules: which rules a run uses, and their findings on a workspace (per-file, cross-file,
per-file-ignores, suppression comments, then the rules that judge the suppressions)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backlog_lint.config import Config
from backlog_lint.diagnostics import Diagnostic
from backlog_lint.errors import InternalError, UsageError
from backlog_lint.model import Document, Workspace


def file_findings(doc: Document, cfg: Config, codes: set[str] | None = None,
                  marks: Mapping[str, Any] | None = None) -> list[Diagnostic]:
    """Findings of the per-file rules on one document (all of them, or those in ``codes``),
    before suppressions. ``marks``: what the parse made of the document's tokens for the markup
    rules (``parse_source``), when it kept them."""
    from backlog_lint.rules import PER_FILE_RULES
    from backlog_lint.rules._rule import Context

    ctx = Context(Workspace(str(cfg.root), [doc]), cfg, checked={doc.path})
    if marks and "marks" in marks:
        from backlog_lint.rules import _markup

        _markup.share(ctx, doc, marks["marks"], marks["env"])
    out: list[Diagnostic] = []
    for r in PER_FILE_RULES:
        if codes is not None and r.code not in codes:
            continue
        ctx.rule = r
        try:
            out.extend(r.check(ctx))
        except UsageError:
            raise
        except Exception as exc:  # a rule bug: name the rule and the file
            raise InternalError(f"running rule {r.code} ({r.name}) on {doc.path}", exc) from exc
    return out


def select_rules(cfg: Config, select: tuple[str, ...] | None = None, ignore: tuple[str, ...] = (),
                 extend_select: tuple[str, ...] = (), *, preview: bool = False):
    """The rules a run uses. A preview rule is on only in preview mode (``--preview`` or
    ``preview = true``) or when selected by its exact code; prefixes and ``ALL`` leave it off.
    The rules come as their metadata (``RuleRef``): a rule module is imported when its rule runs."""
    from backlog_lint.rules._registry import rule_refs

    # as in ruff: a selection on the command line replaces the config's select and extend-select
    chosen = select if select else cfg.select
    extend = (*(() if select else cfg.extend_select), *extend_select)
    ignored = (*cfg.ignore, *ignore)
    preview = preview or cfg.preview

    def hit(code: str, prefixes: tuple[str, ...], exact: bool) -> bool:
        if exact:
            return code in prefixes
        return any(p == "ALL" or code.startswith(p) for p in prefixes)

    out = []
    for r in rule_refs():
        exact = r.preview and not preview
        if (hit(r.code, chosen, exact) or hit(r.code, extend, exact)) and not hit(r.code, ignored, False):
            out.append(r)
    return out


def run_rules(ws: Workspace, cfg: Config, rules: list, checked: list[str], *,
              file_findings_of: Mapping[str, list[Diagnostic]] | None = None,
              probes: dict | None = None, hints: Mapping[str, object] | None = None) -> list[Diagnostic]:
    """Findings for the checked files: per-file rules' (``file_findings_of`` a checked document's
    path, computed where it was parsed, else now), then the cross-file rules', with per-file-ignores
    and suppression comments applied.

    ``probes``, when given, collects what the rules looked up on disk besides the backlog files
    (see fsprobe.py), so a cached result can be checked for staleness.
    """
    from backlog_lint import suppress
    from backlog_lint.discovery import matches
    from backlog_lint.rules._rule import Context

    requested = set(checked)
    ctx = Context(ws, cfg, checked=requested)
    if probes is not None:
        ctx.cache["fs_probes"] = probes
    ctx.cache.update(hints or {})
    found: list[Diagnostic] = []
    codes = {r.code for r in rules}
    per_file = any(r.per_file for r in rules)
    known = file_findings_of or {}
    for doc in ws.documents:
        if doc.path in requested and per_file:  # computed where the file was parsed, else now (those asked for)
            mine = known.get(doc.path)
            if mine is None:
                mine = file_findings(doc, cfg, codes)
            found.extend(d for d in mine if d.code in codes)
    for r in rules:
        if r.per_file or r.after_suppressions:
            continue
        found.extend(_run_rule(ctx, r, requested))
    kept = [d for d in found if d.path in requested or any(p in requested for p, _ in d.related)]
    result: list[Diagnostic] = []
    for path, diags in _by_path(kept).items():
        if cfg.per_file_ignores:
            for pattern, ignored in cfg.per_file_ignores.items():
                if matches(path, (pattern,)):
                    diags = [d for d in diags if not any(d.code.startswith(c) for c in ignored)]
        result.extend(diags)
    # suppression comments: applied to the findings of the checked files, then judged by their own rules
    for doc in ws.documents:
        if doc.path in requested and doc.html_comments:
            ctx.suppressions[doc.path] = suppress.parse(doc)
    if ctx.suppressions:
        shown: list[Diagnostic] = []
        for path, group in _by_path(result).items():
            sup = ctx.suppressions.get(path)
            shown.extend(sup.filter(group) if sup is not None else group)
        result = shown
    for r in rules:
        if r.after_suppressions:
            result.extend(_run_rule(ctx, r, requested))
    result.sort(key=lambda d: d.sort_key)
    return result


def _by_path(diagnostics: list[Diagnostic]) -> dict[str, list[Diagnostic]]:
    out: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        out.setdefault(d.path, []).append(d)
    return out


def _run_rule(ctx: Any, r: Any, requested: set[str]) -> list[Diagnostic]:
    ctx.rule = r
    try:
        return list(r.check(ctx))
    except UsageError:
        raise
    except Exception as exc:  # a rule bug: name the rule and the files it was looking at
        files = ", ".join(sorted(requested)[:3]) + (" ..." if len(requested) > 3 else "")
        raise InternalError(f"running rule {r.code} ({r.name}) on {files}", exc) from exc
