"""A pre-commit run (some files checked, the rest context) keeps what a full run would show for them.

``run_rules`` keeps a finding when its file is checked or a checked file is among its related
locations. The workspace rules only do the work that can give such a finding when few files are
checked; this checks, for every document D of several projects, that running the rules with only D
checked gives exactly the findings of a full run that ``run_rules`` would keep for D.

The one intended difference: when only the file with the first definition of a duplicated ID is
checked, duplicate-item-id (BL301) also reports that first definition ("... is used again by ...").
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from backlog_lint import pipeline
from backlog_lint.config import load_config
from backlog_lint.diagnostics import Diagnostic
from tests.conftest import SEEDS
from tests.helpers import config_for, seeds_twice, write_tree
from tests.test_workspace_rules import _cases, _read_case

similar_title = importlib.import_module("backlog_lint.rules.similar_title")  # the module, not the rule

# Titles, IDs, dependencies and index rows that the cross-file rules compare across files.
SYNTHETIC: dict[str, str] = {
    "BACKLOG.md": """# Backlog

## Index

| ID | Status | Priority | Unlocks |
|----|--------|----------|---------|
| TASK-1 | Done | P1 | TASK-2 |
| TASK-2 | To Do | P2 | |
| TASK-9 | To Do | P2 | |

### TASK-1: Add retry policy to the Redis map store
- **Status:** In Progress
- **Priority:** P1
- **Unlocks:** TASK-2, TASK-5

### TASK-2: Document the shard map store
- **Status:** done
- **Priority:** P3
- **Dependencies:** TASK-1, TASK-4

### TASK-3: Release version 0.5.0 of the template
- **Status:** To Do
- **Dependencies:** TASK-6
""",
    "team/a.md": """# Team A

### TASK-4: Add retry policies to the Redis map store
- **Status:** Done
- **Dependencies:** TASK-6

### TASK-5: Document the shard map store
- **Status:** To Do
- **Dependencies:** TASK-3

### TASK-1: Cache parser output between runs
- **Status:** To Do

- [ ] Add retry policy to the Redis map store
- [x] Add a timeout to the SQL map store client
""",
    "team/b.md": """# Team B

### TASK-6: Release version 0.6.0 of the template
- **Status:** In Progress
- **Dependencies:** TASK-4, TASK-3

### TASK-7: Add a timeout to the SQL map store clients
- **Status:** To Do

### TASK-8: Add a timeout to the SQL map-store client
- **Status:** To Do

- [ ] Document the shard map stores
""",
    "lists/later.md": """# Later

- [ ] Add retry policy to the Redis map store
- [ ] Document the shard map store
- [ ] Add a timeout to the SQL map store client
""",
    "done/old.md": """# Old

### TASK-10: Add retry policy to the Redis map stores
- **Status:** To Do
- **Dependencies:** TASK-2

- [ ] Add a timeout to the SQL map store client
""",
}


def _kept(diags: list[Diagnostic], paths: set[str]) -> list[Diagnostic]:
    """What run_rules keeps of a full run's findings when only ``paths`` are checked."""
    return [d for d in diags if d.path in paths or any(p in paths for p, _ in d.related)]


def _first_definition(d: Diagnostic) -> bool:
    return d.code == "BL301" and "is used again by" in d.message


def _assert_checked_runs_match(root: Path, *, pairs: bool = False) -> int:
    """Check every document alone (and every pair of documents) against the full run; the full run's size."""
    cfg = load_config(root)
    rules = pipeline.select_rules(cfg, ("ALL",))
    ws, _ = pipeline.build_workspace(cfg, [], root)
    paths = [doc.path for doc in ws.documents]
    assert paths, "no documents"
    full = pipeline.run_rules(ws, cfg, rules, paths)
    assert not [d for d in full if _first_definition(d)]
    subsets = [[p] for p in paths]
    if pairs:
        subsets += [[a, b] for i, a in enumerate(paths) for b in paths[i + 1:]]
    for subset in subsets:
        got = pipeline.run_rules(ws, cfg, rules, subset)
        want = _kept(full, set(subset))
        assert [d for d in got if not _first_definition(d)] == want, subset
    return len(full)


@pytest.mark.parametrize("share", [similar_title.EVERY_PAIR_SHARE, 0.0, 2.0], ids=["default", "pairs", "by-title"])
def test_synthetic_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, share: float) -> None:
    """Also with similar-title comparing every pair for any checked subset, and never."""
    monkeypatch.setattr(similar_title, "EVERY_PAIR_SHARE", share)
    write_tree(tmp_path, SYNTHETIC)
    config_for(tmp_path)
    found = _assert_checked_runs_match(tmp_path, pairs=True)
    assert found > 10


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.name)
def test_fixture_workspace(case: Path, tmp_path: Path) -> None:
    files, _expected, _select, _checked, toml = _read_case(case)
    write_tree(tmp_path, files)
    config_for(tmp_path, toml)
    _assert_checked_runs_match(tmp_path)


def test_seeds_as_one_project(tmp_path: Path) -> None:
    seeds = sorted(SEEDS.glob("*.md")) if SEEDS.is_dir() else []
    if not seeds:
        pytest.skip("shared corpus not available")
    seeds_twice(tmp_path, seeds)
    config_for(tmp_path)
    _assert_checked_runs_match(tmp_path)
