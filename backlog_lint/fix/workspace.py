"""`--fix` over a workspace: fix each file in context, then write or diff."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from backlog_lint.config import Config
from backlog_lint.diagnostics import Diagnostic
from backlog_lint.fix.edits import fix_text
from backlog_lint.model import Workspace
from backlog_lint.parser import parse_source
from backlog_lint.source import SourceText
from backlog_lint.writer import WriteError, encode, write_atomic


@dataclass(slots=True)
class FixOutcome:
    fixed: dict[str, int] = field(default_factory=dict)  # path -> number of fixes
    diff: str = ""
    errors: list[str] = field(default_factory=list)


def fix_workspace(ws: Workspace, cfg: Config, rules: list, checked: list[str], diagnostics: list[Diagnostic], *,
                  unsafe: bool, write: bool, cwd: Path | None = None) -> FixOutcome:
    from backlog_lint.pipeline import run_rules

    out = FixOutcome()
    fixable_paths = {d.path for d in diagnostics if d.fix is not None and (d.fix.safe or unsafe)}
    cwd = cwd or Path.cwd()
    for idx, doc in enumerate(ws.documents):
        if doc.path not in fixable_paths:
            continue
        st0 = doc.source

        def lint_text(text: str, idx: int = idx, st0: SourceText = st0) -> list[Diagnostic]:
            st = SourceText.from_text(text, bom=st0.bom)
            ws.documents[idx] = parse_source(st, ws.documents[idx].path, cfg.vocab)
            return [d for d in run_rules(ws, cfg, rules, [ws.documents[idx].path]) if d.path == ws.documents[idx].path]

        result = fix_text(st0.text, lint_text, unsafe=unsafe)
        if result.text == st0.text:
            ws.documents[idx] = doc
            continue
        ws.documents[idx] = parse_source(SourceText.from_text(result.text, bom=st0.bom), doc.path, cfg.vocab)
        out.fixed[doc.path] = result.count
        if write:
            where = ws.locations.get(doc.path)
            try:
                write_atomic(Path(where) if where else cwd / doc.path, encode(result.text, st0.bom),
                             cfg.root, expected=encode(st0.text, st0.bom), shown=doc.path)
            except WriteError as exc:
                out.errors.append(str(exc))
                ws.documents[idx] = doc
                out.fixed.pop(doc.path, None)
        else:
            out.diff += "".join(difflib.unified_diff(
                st0.text.splitlines(keepends=True), result.text.splitlines(keepends=True),
                fromfile=f"a/{doc.path}", tofile=f"b/{doc.path}"))
    return out
