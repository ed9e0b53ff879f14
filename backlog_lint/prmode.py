"""Pull-request mode (`check --base REF`): judge a change, not the whole backlog.

The change is what differs between the work tree and the point where HEAD left REF (their merge
base), as `git diff` tells it. A run in this mode

- reports findings only where the change touched: on changed lines, or a cross-file finding
  whose other end is on a changed line;
- checks the change itself: a reference (anywhere) to an item the change deleted or renumbered
  (BL304), an item ID the branch added that REF now gives to a different item, two branches
  having picked the same next ID (BL301), and an open item removed instead of closed (BL310).

A missing or shallow base is an error that says how to fetch it (`fetch-depth: 0`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from backlog_lint.config import Config
from backlog_lint.diagnostics import Diagnostic
from backlog_lint.discovery import is_markdown, matches
from backlog_lint.gitrev import Change, changed_lines, changes, merge_base, resolve, run, show, toplevel
from backlog_lint.since import Gone, ids_at
from backlog_lint.source import Span
from backlog_lint.vocab import is_done


@dataclass(slots=True)
class ChangeSet:
    """What the change touched, by path as shown (relative to the working folder)."""

    ref: str
    top: Path
    base: str  # the merge base's commit
    tip: str  # REF's commit
    changes: list[Change]
    lines: dict[str, set[int] | None] = field(default_factory=dict)  # None: every line (a new file)
    removed_paths: set[str] = field(default_factory=set)  # files deleted or renamed away
    removed: dict[str, Gone] = field(default_factory=dict)  # IDs the changed files defined at the base

    def touches(self, path: str, span: Span) -> bool:
        if path not in self.lines:
            return False
        lines = self.lines[path]
        return lines is None or any(n in lines for n in range(span.line, max(span.line, span.end_line) + 1))


def collect(cfg: Config, ref: str, cwd: Path) -> ChangeSet:
    """Ask git what the change is; raises GitError (with the fix) when it cannot tell."""
    from backlog_lint.gitrev import GitError
    from backlog_lint.pipeline import display_path

    top = toplevel(cfg.root)
    if top is None:
        raise GitError(f"--base needs a git work tree, and {cfg.root} is not in one")
    base = merge_base(top, ref)
    found = ChangeSet(ref, top, base, resolve(top, ref), changes(top, base))
    for c in found.changes:
        if c.old is not None and c.new != c.old:
            found.removed_paths.add(display_path(top / c.old, cwd))
        if c.new is None or not is_markdown(c.new):
            continue
        shown = display_path(top / c.new, cwd)
        found.lines[shown] = None if c.status == "A" else changed_lines(top, base, c.new)
    found.removed = ids_at(cfg, top, base, ref, found.changes, cwd)
    return found


def _item_ids(cfg: Config, top: Path, rev: str, cwd: Path) -> dict[str, tuple[str, Span, str]]:
    """ID -> (path, span, title) of every item in the backlog files at ``rev``."""
    from backlog_lint.parser import parse_bytes
    from backlog_lint.pipeline import display_path

    rel_root = os.path.relpath(cfg.root, top).replace(os.sep, "/")
    names = [os.fsdecode(n) for n in run(top, "ls-tree", "-r", "-z", "--name-only", rev).split(b"\0") if n]
    out: dict[str, tuple[str, Span, str]] = {}
    for name in names:
        rel = name if rel_root == "." else name[len(rel_root) + 1:] if name.startswith(rel_root + "/") else None
        if rel is None or not is_markdown(name) or not matches(rel, cfg.include) or matches(rel, cfg.exclude):
            continue
        data = show(top, rev, name)
        if data is None:
            continue
        shown = display_path(top / name, cwd)
        try:
            doc = parse_bytes(data, shown, cfg.vocab)
        except Exception:  # an old file the parser cannot read does not fail today's check
            continue
        for item in doc.items:
            if item.id:
                out.setdefault(item.id, (shown, item.id_span or item.title_span, item.title))
    return out


def judge(cfg: Config, change: ChangeSet, diagnostics: list[Diagnostic], workspace: object, rules: list,
          cwd: Path) -> list[Diagnostic]:
    """The findings the change is responsible for, plus what only a comparison with REF can find."""
    gone_at = {(g.path, g.span) for g in change.removed.values()}
    kept = [d for d in diagnostics if change.touches(d.path, d.span)
            or any(change.touches(p, s) or (p, s) in gone_at for p, s in d.related)]
    from backlog_lint.rules.duplicate_item_id import duplicate_item_id
    from backlog_lint.rules.removed_open_item import removed_open_item

    chosen = {r.code for r in rules}  # the run's rules come as their metadata (RuleRef)
    if duplicate_item_id.code in chosen:
        kept.extend(_collisions(cfg, change, workspace, duplicate_item_id, cwd))
    if removed_open_item.code in chosen:
        kept.extend(_removed_open(cfg, change, workspace, removed_open_item, cwd))
    kept.sort(key=lambda d: d.sort_key)
    return kept


def _norm_title(title: str) -> str:
    return " ".join(title.casefold().split())


def _collisions(cfg: Config, change: ChangeSet, workspace: object, rule: object, cwd: Path) -> list[Diagnostic]:
    """IDs this branch added that REF gives to a different item: the merge would hold both."""
    at_base = set(_item_ids(cfg, change.top, change.base, cwd))
    at_tip = _item_ids(cfg, change.top, change.tip, cwd) if change.tip != change.base else {}
    out: list[Diagnostic] = []
    for doc, item in workspace.items():  # type: ignore[attr-defined]
        if not item.id or item.id in at_base or item.id not in at_tip or doc.path not in change.lines:
            continue
        path, span, title = at_tip[item.id]
        if _norm_title(title) == _norm_title(item.title):
            continue  # the same item reached REF another way
        out.append(Diagnostic(doc.path, item.id_span or item.title_span, rule.code, rule.name,  # type: ignore[attr-defined]
                              f"item ID {item.id_raw or item.id!r} is new on this branch, but {change.ref} has "
                              f"given it to {title!r} ({path}:{span.line}) since: renumber this item",
                              rule.severity, related=((path, span),)))  # type: ignore[attr-defined]
    return out


def _removed_open(cfg: Config, change: ChangeSet, workspace: object, rule: object, cwd: Path) -> list[Diagnostic]:
    """Open items the change deleted: closing them keeps the record of what was decided."""
    from backlog_lint.parser import parse_bytes
    from backlog_lint.pipeline import display_path

    defined = {item.id for _doc, item in workspace.items() if item.id}  # type: ignore[attr-defined]
    by_file: dict[str, set[str]] = {}
    for nid, g in change.removed.items():
        if nid not in defined:
            by_file.setdefault(g.path, set()).add(nid)
    out: list[Diagnostic] = []
    for c in change.changes:
        shown = display_path(change.top / c.old, cwd) if c.old is not None else ""
        if shown not in by_file:
            continue
        data = show(change.top, change.base, c.old or "")
        if data is None:
            continue
        doc = parse_bytes(data, shown, cfg.vocab)
        for item in doc.items:
            if item.id not in by_file[shown] or item.status is None or is_done(item.status, cfg.vocab):
                continue
            span = item.id_span or item.title_span
            where = (f"its file was deleted since {change.ref}" if c.new is None
                     else f"it was on line {span.line} at {change.ref}")
            out.append(Diagnostic(shown, span, rule.code, rule.name,  # type: ignore[attr-defined]
                                  f"open item {item.id_raw or item.id!r} ({item.status}) was removed, not closed "
                                  f"({where}): set its status to done or cancelled instead, "
                                  "so the backlog keeps the decision", rule.severity))  # type: ignore[attr-defined]
    return out
