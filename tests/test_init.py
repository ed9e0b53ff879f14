"""`backlog-lint init` and `config --show-inferred` (issue 15, issue 13), in real git repositories."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from backlog_lint import pipeline
from backlog_lint.cli import main
from backlog_lint.config import load_config
from backlog_lint.init import Candidate, Evidence, Scan, include_patterns
from tests.helpers import lint_tree, write_tree

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

BACKLOG = """# Backlog

Each item has a priority (P0 / P1 / P2).

## Labels

- `core`: parser and model
- `dx`: developer experience

### T-1: Cache parsed models
- **Status:** Done
- **Priority:** P1
- **Labels:** `core`

### T-2: Parallel parsing
- **Status:** In Progress
- **Priority:** P0
- **Labels:** `core`, `dx`
- **Dependencies:** T-1

### T-3: Watch mode
- **Status:** To Do
- **Priority:** P2

- [ ] design the watcher
- [x] pick a library
"""

BACKLOG_MD_CONFIG = """project_name: "demo"
default_status: "To Do"
statuses: ["To Do", "In Progress", "Done"]
labels: []
date_format: yyyy-mm-dd
"""

TASK_1 = """---
id: task-1
title: Write the user guide
status: To Do
labels: [docs]
priority: high
---

## Description

<!-- SECTION:DESCRIPTION:BEGIN -->
Explain `init` and `check`.
<!-- SECTION:DESCRIPTION:END -->
"""

TASK_2 = """---
id: task-2
title: Publish the package
status: Done
priority: medium
---

## Acceptance Criteria
<!-- AC:BEGIN -->
- [x] #1 Uploaded to the index
<!-- AC:END -->
"""

# a README whose rule table the parser reads as items with IDs: still not a backlog
README = """# demo

A demo project.

## Rules

| Code | Name | What |
|------|------|------|
| BL001 | io-error | the file cannot be read |
| BL002 | decode | the file is not text |

## Usage

Run it.
"""

CHANGELOG = "# Changelog\n\n## 0.1.0\n\n- [x] First release\n- Fixed the cache\n"
ROADMAP = "# Roadmap\n\n## Next\n\n- [ ] Plugin API\n- [ ] Editor integration\n"
GUIDE = "# Guide\n\nHow to use the demo.\n\n## Install\n\nWith pip.\n"
NOT_A_BACKLOG = "# Backlog\n\nNothing planned here yet; see the root BACKLOG.md.\n"

FILES = {
    "BACKLOG.md": BACKLOG,
    "backlog/config.yml": BACKLOG_MD_CONFIG,
    "backlog/tasks/task-1 - Write-the-user-guide.md": TASK_1,
    "backlog/tasks/task-2 - Publish-the-package.md": TASK_2,
    "README.md": README,
    "CHANGELOG.md": CHANGELOG,
    "docs/roadmap.md": ROADMAP,
    "docs/guide.md": GUIDE,
    "notes/BACKLOG.md": NOT_A_BACKLOG,  # named like a backlog, holds no item: `/BACKLOG.md` must not take it
    ".github/ISSUE_TEMPLATE/bug.md": "# Bug\n\n- [ ] I searched the issues\n",
    ".gitignore": "scratch/\n",
    "scratch/TODO.md": "# Todo\n\n- [ ] an ignored list\n",
}
BACKLOG_FILES = ["BACKLOG.md", "backlog/tasks/task-1 - Write-the-user-guide.md",
                 "backlog/tasks/task-2 - Publish-the-package.md", "docs/roadmap.md"]


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=cwd,
                          check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "demo"
    root.mkdir()
    git(root, "init", "-q")
    write_tree(root, FILES)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "a project with a backlog")
    monkeypatch.chdir(root)
    return root


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def checked_files(root: Path) -> list[str]:
    """The files a `check` without paths picks up, relative to the root."""
    cfg = load_config(root)
    return sorted(p.relative_to(root).as_posix() for p in pipeline.resolve_paths(cfg, [], root))


def uncommented(text: str) -> str:
    """The config with every suggested setting enabled."""
    return re.sub(r"^# (?=[a-z-]+ = )", "", text, flags=re.MULTILINE)


def test_init__include_names_exactly_the_backlog_files(repo: Path) -> None:
    code, out, err = run("init")
    assert code == 0, err
    cfg = load_config(repo)  # valid: validated against the schema as any config
    assert cfg.path == repo / ".backlog-lint.toml"
    assert cfg.include == ("/BACKLOG.md", "backlog/**/*.md", "docs/roadmap.md")
    assert checked_files(repo) == BACKLOG_FILES
    # what it found, for people
    assert "4 hold backlog items" in out
    assert "  /BACKLOG.md: 3 items, 2 checklist entries" in out
    assert "  backlog/**/*.md: 2 files: 2 items, 1 checklist entry" in out
    assert "  README.md: no backlog items" in out
    assert "  CHANGELOG.md: excluded by default (`exclude`)" in out
    assert "  notes/BACKLOG.md: no backlog items" in out
    assert "  .github/ISSUE_TEMPLATE/bug.md: a template" in out
    assert "scratch/TODO.md" not in out  # git-ignored
    assert "Wrote .backlog-lint.toml: 3 include patterns for 4 backlog files" in out


def test_init__learnt_vocabularies_are_commented_suggestions(repo: Path) -> None:
    assert run("init")[0] == 0
    text = (repo / ".backlog-lint.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert set(data) == {"include"}  # everything learnt stays a comment until enabled
    lines = text.splitlines()
    assert lines[0].startswith("#:schema https://")
    assert '# status-values = ["To Do", "In Progress", "Done"]' in lines
    assert "declared in backlog/config.yml (To Do, In Progress, Done)" in " ".join(lines)
    assert '# labels = ["core", "dx", "docs"]' in lines
    assert '# id-families = ["T", "TASK"]' in lines
    assert "declared at BACKLOG.md:3 (P0, P1, P2)" in " ".join(lines)

    # every suggestion, once enabled, is a valid setting, and `check` runs with it
    (repo / ".backlog-lint.toml").write_text(uncommented(text), encoding="utf-8")
    cfg = load_config(repo)
    assert cfg.status_values == ("To Do", "In Progress", "Done")
    assert cfg.labels == ("core", "dx", "docs")
    assert cfg.id_families == ("T", "TASK")
    code, out, _ = run("check", "--no-cache", "--no-color")
    assert code == 0 and "Checked 4 files." in out


def test_init__refuses_to_overwrite_a_config(repo: Path) -> None:
    assert run("init")[0] == 0
    before = (repo / ".backlog-lint.toml").read_bytes()
    code, _, err = run("init")
    assert code == 2
    assert "already has a configuration: .backlog-lint.toml" in err and "never overwrites" in err
    assert (repo / ".backlog-lint.toml").read_bytes() == before
    assert run("init", "--dry-run")[0] == 2


def test_init__refuses_when_pyproject_has_a_table(repo: Path) -> None:
    (repo / "pyproject.toml").write_text('[project]\nname = "demo"\n\n[tool.backlog-lint]\nignore = ["BL104"]\n',
                                         encoding="utf-8")
    code, _, err = run("init")
    assert code == 2 and "[tool.backlog-lint] in pyproject.toml" in err
    assert not (repo / ".backlog-lint.toml").exists()


def test_init__pyproject_without_a_table_is_no_config(repo: Path) -> None:
    (repo / "pyproject.toml").write_text('[project]\nname = "demo"\n', encoding="utf-8")
    assert run("init")[0] == 0


def test_init__dry_run_prints_the_file_and_writes_nothing(repo: Path) -> None:
    code, out, err = run("init", "--dry-run")
    assert code == 0
    assert not (repo / ".backlog-lint.toml").exists()
    assert git(repo, "status", "--porcelain") == ""
    assert tomllib.loads(out)["include"] == ["/BACKLOG.md", "backlog/**/*.md", "docs/roadmap.md"]
    assert "Would write .backlog-lint.toml" in err and "README.md: no backlog items" in err
    # what --dry-run shows is what init writes
    assert run("init")[0] == 0
    assert (repo / ".backlog-lint.toml").read_text(encoding="utf-8") == out


def test_init__check_afterwards_checks_the_files_init_recognised(repo: Path) -> None:
    assert run("init")[0] == 0
    code, out, err = run("check", "--no-cache", "--no-color")
    assert code == 0 and "All checks passed!" in out and "Checked 4 files." in out, out + err
    # a new task file in the Backlog.md folder is checked too; a new README in docs/ is not
    write_tree(repo, {"backlog/tasks/task-3 - Next.md": "---\nid: task-3\ntitle: Next\nstatus: To Do\n---\n",
                      "docs/README.md": "# Docs\n"})
    assert checked_files(repo) == sorted([*BACKLOG_FILES, "backlog/tasks/task-3 - Next.md"])


def test_init__from_a_subfolder_writes_at_the_top_of_the_work_tree(repo: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "docs")
    code, out, _ = run("init")
    assert code == 0 and (repo / ".backlog-lint.toml").is_file()
    assert "Wrote ../.backlog-lint.toml" in out


def test_init__project_without_backlog_items_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git(tmp_path, "init", "-q")
    write_tree(tmp_path, {"README.md": README, "CHANGELOG.md": CHANGELOG})
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "docs only")
    monkeypatch.chdir(tmp_path)
    code, _, err = run("init")
    assert code == 2 and "none of the 2 Markdown files" in err and "nothing written" in err
    assert not (tmp_path / ".backlog-lint.toml").exists()


def test_init__outside_git_walks_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, {"TODO.md": ROADMAP, "plans/q3.md": BACKLOG, "plans/notes.md": GUIDE})
    monkeypatch.chdir(tmp_path)
    assert run("init")[0] == 0
    assert load_config(tmp_path).include == ("/TODO.md", "plans/q3.md")
    assert checked_files(tmp_path) == ["TODO.md", "plans/q3.md"]


def test_init__statuses_from_values_used_leave_slips_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    items = "".join(f"### T-{n}: Item {n}\n- **Status:** {s}\n\n"
                    for n, s in enumerate(["Done"] * 4 + ["Groomed"] * 3 + ["Doen"], 1))
    git(tmp_path, "init", "-q")
    write_tree(tmp_path, {"BACKLOG.md": "# Backlog\n\n" + items})
    monkeypatch.chdir(tmp_path)
    code, out, err = run("init", "--dry-run")
    assert code == 0
    assert '# status-values = ["Done", "Groomed"]' in out.splitlines()
    assert "Left out: 'Doen' (1), which reads as a slip for 'Done' (4)." in " ".join(
        line.removeprefix("# ") for line in out.splitlines())
    assert "slip: Doen (1) reads as a slip for Done (4)" in err


def test_init__include_patterns_escape_and_anchor() -> None:
    ev = Evidence(1, 0, 0, False)
    files = [Candidate("TODO.md", ev, ""), Candidate("docs/TODO.md", None, "no backlog items"),
             Candidate("docs/plan [v2] {draft}.md", ev, ""), Candidate("tasks/one.markdown", ev, ""),
             Candidate("specs/a/tasks.md", ev, ""), Candidate("specs/b/tasks.md", ev, ""),
             Candidate("specs/README.md", None, "no backlog items"),
             Candidate("CHANGELOG.md", None, "excluded by default (`exclude`)")]
    globs = [p.glob for p in include_patterns(Scan(Path("."), files))]
    assert globs == ["/TODO.md", "docs/plan \\[v2\\] \\{draft\\}.md", "specs/a/tasks.md", "specs/b/tasks.md",
                     "tasks/**/*.markdown"]


def test_config_show_inferred__names_each_source(repo: Path) -> None:
    assert run("init")[0] == 0
    code, out, _ = run("config", "--show-inferred")
    assert code == 0
    assert "learnt from the 4 backlog files of the project at . (config: .backlog-lint.toml)" in out
    assert "  declared in backlog/config.yml: To Do, In Progress, Done  (applies to the files under backlog/)" in out
    assert "  declared at BACKLOG.md:3: P0, P1, P2  (applies to BACKLOG.md only)" in out
    assert "  legend at BACKLOG.md:7: core, dx  (applies to BACKLOG.md only)" in out
    assert "  values used: Done (2), To Do (2), In Progress (1)" in out
    assert "  T: 3 items (e.g. T-1) in BACKLOG.md" in out

    code, out, _ = run("config", "--show-inferred", "--json")
    data = json.loads(out)
    status = data["fields"]["status"]
    assert status["declared"] == [{"kind": "tool-config", "where": "backlog/config.yml", "path": "backlog/config.yml",
                                   "line": None, "values": ["To Do", "In Progress", "Done"]}]
    assert {"value": "To Do", "count": 2} in status["used"]
    priority = data["fields"]["priority"]
    assert priority["declared"][0]["kind"] == "declaration" and priority["declared"][0]["path"] == "BACKLOG.md"
    assert priority["setting"] is None
    assert data["labels"]["legends"][0]["values"] == ["core", "dx"]
    assert [f["family"] for f in data["id-families"]] == ["T", "TASK"]


def test_config_show_inferred__the_setting_wins_and_says_so(repo: Path) -> None:
    (repo / ".backlog-lint.toml").write_text('include = ["/BACKLOG.md"]\nstatus-values = ["To Do", "Done"]\n',
                                             encoding="utf-8")
    code, out, _ = run("config", "--show-inferred")
    assert code == 0
    assert "  set in the `status-values` setting (.backlog-lint.toml): To Do, Done  (applies to every file)" in out
    assert "backlog/config.yml" not in out
    assert "learnt from the 1 backlog file of" in out


def test_config__status_values_as_the_project_writes_them_keep_open_statuses_open(tmp_path: Path) -> None:
    """`status-values` as `init` suggests them (`In Progress`, not `in-progress`) must not turn the rules
    that ask "is this item still open?" off."""
    files = {"BACKLOG.md": "# Backlog\n\n### T-1: Parser\n- **Status:** To Do\n\n"
                           "### T-2: Cache\n- **Status:** Done\n- **Dependencies:** T-1\n"}
    toml = 'include = ["**/*.md"]\nstatus-values = ["To Do", "In Progress", "Done"]\n'
    found = lint_tree(tmp_path, files, toml=toml, select=("BL404",))
    assert [d.code for d in found] == ["BL404"]


def test_init__a_file_named_like_a_backlog_needs_only_an_item(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git(tmp_path, "init", "-q")
    write_tree(tmp_path, {
        "tasks/TASK-001.md": "# TASK-001: Set up CI\n\nRun the tests on every push.\n",
        # headings with IDs, nothing else of a backlog, and not named like one: decision records
        "docs/decisions.md": "# Decisions\n\n## ADR-1: Use TOML\n\nBecause.\n\n## ADR-2: Use click\n\nBecause.\n",
    })
    monkeypatch.chdir(tmp_path)
    code, out, err = run("init", "--dry-run")
    assert code == 0
    assert tomllib.loads(out)["include"] == ["tasks/**/*.md"]  # a folder named `tasks`: its next file too
    assert "docs/decisions.md: no backlog items" in err
