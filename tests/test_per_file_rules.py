"""Per-file rules run where a file is parsed and are cached with it: they must not look at other files."""

from __future__ import annotations

from pathlib import Path

import pytest

from backlog_lint import pipeline
from backlog_lint.config import load_config
from backlog_lint.rules import ALL_RULES, PER_FILE_RULES
from backlog_lint.rules._rule import Context
from tests.conftest import REPO, SEEDS
from tests.helpers import config_for, write_tree

WORKSPACES = sorted(p for p in (REPO / "tests" / "fixtures" / "workspaces").iterdir() if p.is_dir())


def _projects() -> list[Path]:
    return [*WORKSPACES, *([SEEDS] if SEEDS.is_dir() else [])]


@pytest.mark.parametrize("root", _projects(), ids=lambda p: p.name)
def test_per_file_rules__same_findings_alone_as_in_the_workspace(root: Path) -> None:
    cfg = load_config(root)
    ws, _ = pipeline.build_workspace(cfg, sorted(root.rglob("*.md")), root)
    assert ws.documents, root
    ctx = Context(ws, cfg, checked={d.path for d in ws.documents})
    in_workspace = []
    for r in PER_FILE_RULES:
        ctx.rule = r
        in_workspace.extend(r.check(ctx))
    alone = [d for doc in ws.documents for d in pipeline.file_findings(doc, cfg)]
    assert sorted(alone, key=lambda d: d.sort_key) == sorted(in_workspace, key=lambda d: d.sort_key)


PER_FILE_CODES = frozenset(r.code for r in PER_FILE_RULES)


def test_per_file_rules__are_those_declared_so() -> None:
    # the declaration lives in @rule(per_file=True) alone: the registry derives the list from it
    assert tuple(r for r in ALL_RULES if r.per_file) == PER_FILE_RULES
    assert 10 < len(PER_FILE_RULES) < len(ALL_RULES)


def _many_files(root: Path) -> None:
    files = {}
    for n in range(60):
        files[f"pkg{n}/BACKLOG.md"] = (
            f"# Backlog {n}\n\n## T-{n}: Task number {n}\n\n- **Status:** Dnoe\n- **Priority:** P9\n"
            f"- **Depends on:** T-{(n + 1) % 60}\n\n- [ ] open box\n\n#### skipped level\n"
        )
    files["pkg0/BACKLOG.md"] += "\n## T-1: Task number 1\n\n- **Status:** Done\n\n- [ ] still open\n"
    write_tree(root, files)


def test_check__parallel_workers_give_the_serial_findings(tmp_path: Path) -> None:
    _many_files(tmp_path)
    cfg = config_for(tmp_path)
    rules = pipeline.select_rules(cfg)
    files = pipeline.resolve_paths(cfg, [], tmp_path)
    assert len(files) >= pipeline.PARALLEL_MIN_FILES
    serial = pipeline.Pipeline(cfg, rules, tmp_path, jobs=1).check(files).diagnostics
    parallel = pipeline.Pipeline(cfg, rules, tmp_path, jobs=2).check(files).diagnostics
    ws, checked = pipeline.build_workspace(cfg, files, tmp_path)  # per-file findings computed by run_rules
    direct = pipeline.run_rules(ws, cfg, rules, checked)
    assert serial == parallel == direct
    assert {d.code for d in serial} & PER_FILE_CODES and {d.code for d in serial} - PER_FILE_CODES
