"""Which files a run checks: folders named on the command line, include globs, and never a silent
pass on nothing (issue 15, items 1 and 8)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from backlog_lint.cli import main
from backlog_lint.config import load_config
from backlog_lint.discovery import backlog_files, matches
from tests.helpers import write_tree

WARN = "# Notes\n\n---\n\n---\n"  # BL102 on line 5


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    return tmp_path


def check(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check", "--no-cache", "--no-color", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_discovery__folder_means_its_markdown_files(project: Path) -> None:
    """`check notes/` used to print "All checks passed!" because no name in notes/ is in `include`."""
    write_tree(project, {"notes/ideas.md": WARN, "notes/deep/Plan.MARKDOWN": WARN, "notes/data.txt": WARN})
    code, out, _ = check("notes")
    assert code == 1
    assert "notes/ideas.md:5:1: BL102" in out and "notes/deep/Plan.MARKDOWN:5:1: BL102" in out
    assert "data.txt" not in out
    assert out.endswith("Checked 2 files.\n")


def test_discovery__format_check_on_a_folder_sees_its_files(project: Path) -> None:
    write_tree(project, {"notes/ideas.md": "# Notes\n* one\n"})
    result = CliRunner().invoke(main, ["format", "--check", "--no-cache", "notes"], catch_exceptions=False)
    assert result.exit_code == 1 and "Would reformat: notes/ideas.md" in result.stdout


def test_discovery__empty_folder_is_an_error_not_a_pass(project: Path) -> None:
    (project / "notes").mkdir()
    code, out, err = check("notes")
    assert code == 2 and "All checks passed" not in out
    assert "no Markdown files to check in notes (looked for *.md and *.markdown in any case" in err
    result = CliRunner().invoke(main, ["format", "--check", "--no-cache", "notes"], catch_exceptions=False)
    assert result.exit_code == 2 and "no Markdown files to check in notes" in result.stderr


def test_discovery__project_without_backlog_files_is_an_error_naming_the_patterns(project: Path) -> None:
    write_tree(project, {"PLANNING.md": WARN, ".backlog-lint.toml": 'include = ["docs/*.md"]\n'})
    code, out, err = check()
    assert code == 2 and out == ""
    assert "no backlog files found under" in err and "`include` matches none (docs/*.md;" in err
    assert ".backlog-lint.toml" in err


def test_discovery__hook_given_only_non_backlog_files_passes_quietly(project: Path) -> None:
    write_tree(project, {"README.md": WARN, "BACKLOG.md": "# Backlog\n"})
    code, out, err = check("--respect-include", "README.md")
    assert code == 0 and out == ""
    assert "none of the 1 files given is a backlog file" in err


def test_discovery__summary_counts_the_files(project: Path) -> None:
    write_tree(project, {"BACKLOG.md": "# Backlog\n\ntext\n", "docs/TODO.md": "# Todo\n\ntext\n"})
    code, out, _ = check()
    assert code == 0 and out == "All checks passed!\nChecked 2 files.\n"


def test_discovery__names_match_in_any_case_and_braces_alternate(project: Path) -> None:
    """The hand-written glob translator matched `*.md` case-sensitively and knew no `{a,b}`."""
    write_tree(project, {"todo.MD": WARN, "Roadmap.Md": WARN, "docs/plan.md": WARN, "docs/spec.md": WARN,
                         "README.md": WARN})
    assert [p.name for p in backlog_files(load_config(project))] == ["Roadmap.Md", "todo.MD"]
    (project / ".backlog-lint.toml").write_text('include = ["docs/{plan,spec}.md"]\n', encoding="utf-8")
    assert [p.name for p in backlog_files(load_config(project))] == ["plan.md", "spec.md"]


@pytest.mark.parametrize(("path", "patterns", "expected"), [
    ("a/b/TODO.md", ("TODO.md",), True),  # no slash: the name, in any folder
    ("a/b/TODO.md", ("a/TODO.md",), False),
    ("a/b/todo.md", ("**/TODO*.md",), True),
    ("x/Backlog/tasks/t-1.md", ("**/backlog/**/*.md",), True),
    ("archive/old/x.md", ("archive/**",), True),
    ("docs/b.md", ("docs/{a,b}.md",), True),
    ("docs/c.md", ("docs/{a,b}.md",), False),
    ("docs/a.md", ("docs/[!a].md",), False),
    ("TODO.md", ("/TODO.md",), True),  # a leading slash anchors to the root, as in gitignore
    ("a/TODO.md", ("/TODO.md",), False),
    ("docs/TODO.md", ("/docs/*.md",), True),
])
def test_discovery__globs(path: str, patterns: tuple[str, ...], expected: bool) -> None:
    assert matches(path, patterns) is expected


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_discovery__folder_skips_git_ignored_and_excluded_files(project: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    write_tree(project, {".gitignore": "notes/scratch.md\n", "notes/ideas.md": WARN, "notes/scratch.md": WARN,
                         "notes/old/x.md": WARN, ".backlog-lint.toml": 'exclude = ["notes/old/**"]\n'})
    code, out, _ = check("notes")
    assert code == 1
    assert "notes/ideas.md" in out and "scratch" not in out and "old/x.md" not in out


def test_matches__one_combined_regex_agrees_with_wcmatch() -> None:
    """`matches` tests all the globs in one regular expression; wcmatch, one glob after the other, agrees."""
    import itertools

    from wcmatch import glob as wglob

    from backlog_lint import discovery

    globs = ["**/*.md", "TODO.md", "/TODO.md", "docs/**", "**/node_modules/**", "**/CHANGELOG*.md", "{a,b}/*.md",
             "[!x]*.md", "**/.git/**", "backlog/tasks/*.md", "*.MD"]
    paths = ["TODO.md", "a/TODO.md", "docs/x.md", "docs/a/b.md", "node_modules/x.md", "a/node_modules/b/c.md",
             "CHANGELOG.md", "x/CHANGELOG-1.md", "a/x.md", "b/y.MD", "c/z.md", "xa.md", "ya.md", ".git/x.md",
             "backlog/tasks/t 1.md", "todo.md", "A/Todo.Md", "a//b.md", "../x.md", "./x.md", "x/../y.md"]
    for k in (1, 2, 3):
        for combo in itertools.combinations(globs, k):
            reference = wglob.compile([discovery._anchored(g) for g in combo], flags=discovery._FLAGS)
            for path in paths:
                assert discovery.matches(path, combo) == bool(reference.match(path)), (combo, path)
