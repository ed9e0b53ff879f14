"""The pre-commit hooks (.pre-commit-hooks.yaml): the manifest, and the hooks run by pre-commit itself.

The end-to-end tests install the hooks the way pre-commit does (a virtualenv, `pip install`
of the hook repository), so they need pip to reach a package index; each install takes
10-20 s. The hook repository is a committed snapshot of this working tree (tracked and
untracked files alike), not this checkout itself: `pre-commit try-repo` on a checkout takes
HEAD plus *tracked* changes only, so new, not yet added modules would silently be missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
import yaml

from backlog_lint.cli import main
from tests.conftest import REPO
from tests.helpers import write_tree

pytestmark = pytest.mark.slow  # end-to-end: real processes, real tools; not in the fast loop

MANIFEST = REPO / ".pre-commit-hooks.yaml"
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"
INSTALL_TIMEOUT = 600  # seconds; a hook environment is built from the package index
GIT = shutil.which("git")

# What the hook repository needs to build and run (pyproject.toml's wheel and metadata).
SNAPSHOT = ("pyproject.toml", "README.md", "LICENSE", "backlog_lint", "schemas", ".pre-commit-hooks.yaml")

# Two safe fixes: BL204 (info: an alias) and BL102 (warning: a repeated thematic break).
BROKEN = """# Backlog

### T-1: Cache parsed models
- **Status:** Done
- **Prio:** P1

---

---

### T-2: Parallel parsing
- **Status:** Todo
- **Priority:** P1
"""

FIXED = BROKEN.replace("**Prio:**", "**Priority:**").replace("---\n\n---\n", "---\n")

# Not backlog files for the default `include`: --respect-include must leave README.md alone.
# TODO.md is a backlog file but untracked, so `--all-files` does not pass it to the hooks.
README = "# Readme\n\n---\n\n---\n"
UNTRACKED_TODO = "# Todo\n\n---\n\n---\n"

needs_pre_commit = pytest.mark.skipif(not PRE_COMMIT.exists() or GIT is None,
                                      reason="pre-commit (next to the running Python) or git is missing")


def hooks() -> dict[str, dict]:
    return {hook["id"]: hook for hook in yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))}


# --- the manifest --------------------------------------------------------------------------------


@needs_pre_commit
def test_manifest__validates(caches: dict[str, str]) -> None:
    proc = subprocess.run([str(PRE_COMMIT), "validate-manifest", str(MANIFEST)], env=clean_env(**caches),
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_manifest__hooks() -> None:
    by_id = hooks()
    assert {hook_id: hook["entry"] for hook_id, hook in by_id.items()} == {
        "backlog-lint": "backlog-lint check --respect-include",
        "backlog-lint-fix": "backlog-lint check --fix --respect-include",
        "backlog-lint-format": "backlog-lint format --respect-include",
        "backlog-lint-project": "backlog-lint check",
    }
    project = by_id.pop("backlog-lint-project")
    # the whole project, whatever the commit touched: references dangling in files it did not touch
    assert project["pass_filenames"] is False and project["always_run"] is True
    assert project["language"] == "python" and "types" not in project and project["description"].strip()
    for hook_id, hook in by_id.items():
        assert hook["language"] == "python", hook_id
        assert hook["types"] == ["markdown"], hook_id
        assert hook["description"].strip(), hook_id
        # pre-commit may split the files into batches: the tool reads the whole project anyway.
        assert "require_serial" not in hook, hook_id
        assert "files" not in hook, hook_id  # users narrow with their own `files:`


@pytest.mark.parametrize("hook_id", ["backlog-lint", "backlog-lint-fix", "backlog-lint-format", "backlog-lint-project"])
def test_manifest__entries_are_commands_and_options_of_the_cli(hook_id: str) -> None:
    program, command_name, *options = hooks()[hook_id]["entry"].split()
    assert program == "backlog-lint"
    if command_name not in main.commands:
        # `backlog-lint format ...` would otherwise run `check` on a file named "format" (exit 2).
        pytest.xfail(f"the CLI has no `{command_name}` command yet")
    command = main.commands[command_name]
    known = {opt for param in command.params if isinstance(param, click.Option) for opt in param.opts}
    missing = [opt for opt in options if opt not in known]
    if missing and command_name == "format":
        pytest.xfail(f"`backlog-lint format` lacks {', '.join(missing)} yet")
    assert not missing, f"`backlog-lint {command_name}` has no option {', '.join(missing)}"


# --- end to end through pre-commit ---------------------------------------------------------------


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without anything of an enclosing git hook or pre-commit run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT")) and k != "SKIP"}
    env.update(extra)
    return env


def git(cwd: Path, *args: str) -> str:
    proc = subprocess.run([str(GIT), *args], cwd=cwd, env=clean_env(), capture_output=True, text=True,
                          timeout=60, check=True)
    return proc.stdout


def git_init(path: Path) -> None:
    git(path, "init", "-q")
    git(path, "config", "user.email", "tests@example.invalid")
    git(path, "config", "user.name", "backlog-lint tests")
    git(path, "config", "commit.gpgsign", "false")


def commit_all(path: Path, message: str) -> str:
    git(path, "add", "-A")
    git(path, "commit", "-q", "--no-verify", "-m", message)
    return git(path, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A git repository holding this working tree's package and manifest, committed: (path, rev)."""
    if GIT is None or not (REPO / ".git").exists():
        pytest.skip("needs git and a git checkout of backlog-lint")
    listed = git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *SNAPSHOT)
    repo = tmp_path_factory.mktemp("hook-repo")
    for rel in filter(None, listed.split("\0")):
        source = REPO / rel
        if source.is_file():  # a tracked file deleted in the working tree is left out
            (repo / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / rel)
    git_init(repo)
    return repo, commit_all(repo, "snapshot of the working tree")


@pytest.fixture(scope="module")
def caches(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment variables for one pre-commit home and one virtualenv app-data folder per module,
    so that nothing lands in ~/.cache and `pre-commit run` builds the hook environment once."""
    root = tmp_path_factory.mktemp("caches")
    return {"PRE_COMMIT_HOME": str(root / "pre-commit"), "VIRTUALENV_OVERRIDE_APP_DATA": str(root / "virtualenv")}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A git repository whose backlog has fixable problems, uncommitted on top of a clean commit."""
    project = tmp_path / "project"
    project.mkdir()
    git_init(project)
    # BL204 (a preview rule) is selected: the hooks should have an info-level finding with a safe fix
    write_tree(project, {"BACKLOG.md": FIXED, "README.md": README, ".backlog-lint.toml": 'extend-select = ["BL204"]\n'})
    commit_all(project, "init")
    write_tree(project, {"BACKLOG.md": BROKEN, "TODO.md": UNTRACKED_TODO})
    return project


def pre_commit(project: Path, caches: dict[str, str], *args: str) -> tuple[int, str]:
    proc = subprocess.run([str(PRE_COMMIT), *args, "--color", "never"], cwd=project,
                          env=clean_env(**caches), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=INSTALL_TIMEOUT, check=False)
    return proc.returncode, proc.stdout


def assert_untouched_outside_backlog(project: Path, output: str) -> None:
    assert "README.md" not in output  # not a backlog file: --respect-include skipped it
    assert "TODO.md" not in output  # untracked: --all-files did not pass it
    assert (project / "README.md").read_text(encoding="utf-8") == README
    assert (project / "TODO.md").read_text(encoding="utf-8") == UNTRACKED_TODO


@needs_pre_commit
def test_try_repo__hook_reports_findings(hook_repo: tuple[Path, str], caches: dict[str, str], project: Path) -> None:
    """`pre-commit try-repo` with a hook repository that has an uncommitted (tracked) change."""
    repo, _ = hook_repo
    manifest = repo / ".pre-commit-hooks.yaml"
    committed = manifest.read_text(encoding="utf-8")
    assert "\n  name: backlog-lint\n" in committed
    manifest.write_text(committed.replace("\n  name: backlog-lint\n", "\n  name: backlog-lint uncommitted\n", 1),
                        encoding="utf-8")
    try:
        # try-repo builds its hook environment in a fresh temporary store on every call.
        code, out = pre_commit(project, caches, "try-repo", str(repo), "backlog-lint", "--all-files")
    finally:
        manifest.write_text(committed, encoding="utf-8")
    assert code == 1, out
    assert "backlog-lint uncommitted" in out and "Failed" in out  # the uncommitted manifest was used
    assert "BACKLOG.md:5:5: BL204 [*] field 'Prio' is an alias: write it as 'Priority'" in out
    assert "BACKLOG.md:9:1: BL102 [*] thematic break repeats the one on line 7 with nothing between" in out
    assert "Found 2 problems (2 fixable with --fix)." in out
    assert_untouched_outside_backlog(project, out)
    assert (project / "BACKLOG.md").read_text(encoding="utf-8") == BROKEN


@needs_pre_commit
def test_hooks__check_fails_fix_fixes_then_check_passes(hook_repo: tuple[Path, str], caches: dict[str, str],
                                                        project: Path, tmp_path: Path) -> None:
    """The hooks as users run them: a config naming the repository and a rev, one cached environment."""
    repo, rev = hook_repo
    config = tmp_path / "pre-commit-config.yaml"
    config.write_text(yaml.safe_dump({"repos": [{"repo": str(repo), "rev": rev, "hooks": [
        {"id": "backlog-lint"}, {"id": "backlog-lint-fix"}, {"id": "backlog-lint-format"}]}]}), encoding="utf-8")
    run = ("run", "--config", str(config), "--all-files")

    code, out = pre_commit(project, caches, *run, "backlog-lint")
    assert code == 1, out
    assert "- hook id: backlog-lint\n- exit code: 1" in out
    assert "BACKLOG.md:5:5: BL204 [*]" in out and "BACKLOG.md:9:1: BL102 [*]" in out
    assert (project / "BACKLOG.md").read_text(encoding="utf-8") == BROKEN

    code, out = pre_commit(project, caches, *run, "backlog-lint-fix")
    assert code == 1, out  # pre-commit fails a hook that changed files, even when it exits 0
    assert "- hook id: backlog-lint-fix\n- files were modified by this hook" in out
    assert "Found 2 problems (2 fixed, 0 remaining)." in out
    assert (project / "BACKLOG.md").read_text(encoding="utf-8") == FIXED

    code, out = pre_commit(project, caches, *run, "backlog-lint")
    assert code == 0, out
    assert "Passed" in out
    assert_untouched_outside_backlog(project, out)

    if "format" not in main.commands:
        pytest.xfail("the CLI has no `format` command yet")
    # mdformat puts a blank line between a heading and the list under it.
    code, out = pre_commit(project, caches, *run, "backlog-lint-format")
    assert code == 1, out
    assert "- hook id: backlog-lint-format\n- files were modified by this hook" in out
    formatted = (project / "BACKLOG.md").read_text(encoding="utf-8")
    assert "### T-1: Cache parsed models\n\n- **Status:** Done\n- **Priority:** P1\n" in formatted
    code, out = pre_commit(project, caches, *run, "backlog-lint-format")
    assert code == 0, out  # idempotent
    code, out = pre_commit(project, caches, *run, "backlog-lint")
    assert code == 0, out
    assert_untouched_outside_backlog(project, out)  # README.md is Markdown but not a backlog file


@needs_pre_commit
def test_hooks__deleted_item_and_file_block_the_commit(hook_repo: tuple[Path, str], caches: dict[str, str],
                                                       tmp_path: Path) -> None:
    """Deleting an item (or its whole file) that another file references: the file hook reports the
    reference in the untouched file (IDs removed since HEAD), the project hook even when the deleted
    file leaves pre-commit nothing to pass; `git commit` is refused."""
    repo, rev = hook_repo
    project = tmp_path / "refs"
    project.mkdir()
    git_init(project)
    write_tree(project, {
        "BACKLOG.md": "# Backlog\n\n### T-1: Cache parsed models\n- **Status:** Todo\n\n"
                      "### T-2: Parallel parsing\n- **Status:** Todo\n",
        "ROADMAP.md": "# Roadmap\n\n### R-1: Ship it\n- **Dependencies:** T-2\n",
        "docs/TODO.md": "# Todo\n\n### T-5: Write docs\n- **Status:** Todo\n",
        "SPRINT-NOTES.md": "# Notes\n\nNothing yet.\n",
        ".backlog-lint.toml": 'include = ["**/*.md"]\n',
    })
    config = project / ".pre-commit-config.yaml"
    config.write_text(yaml.safe_dump({"repos": [{"repo": str(repo), "rev": rev, "hooks": [
        {"id": "backlog-lint"}, {"id": "backlog-lint-project"}]}]}), encoding="utf-8")
    commit_all(project, "init")
    code, out = pre_commit(project, caches, "install")
    assert code == 0, out

    def commit() -> subprocess.CompletedProcess[str]:
        git(project, "add", "-A")
        return subprocess.run([str(GIT), "commit", "-q", "-m", "change"], cwd=project,
                              env=clean_env(**caches, PATH=f"{PRE_COMMIT.parent}{os.pathsep}{os.environ['PATH']}"),
                              capture_output=True, text=True, timeout=INSTALL_TIMEOUT, check=False)

    # renumber T-2: only BACKLOG.md is staged, the dangling reference is in ROADMAP.md
    (project / "BACKLOG.md").write_text((project / "BACKLOG.md").read_text(encoding="utf-8").replace("T-2", "T-3"),
                                        encoding="utf-8")
    proc = commit()
    assert proc.returncode != 0, proc.stdout
    assert "ROADMAP.md:4:21: BL304 dependency 'T-2' names no item: it was removed from BACKLOG.md since HEAD" \
           in proc.stdout + proc.stderr
    # fix the reference: the commit lands
    (project / "ROADMAP.md").write_text("# Roadmap\n\n### R-1: Ship it\n- **Dependencies:** T-3\n",
                                        encoding="utf-8")
    proc = commit()
    assert proc.returncode == 0, proc.stdout + proc.stderr

    # delete a whole file: pre-commit passes no file to the first hook; the project hook catches it
    (project / "SPRINT-NOTES.md").write_text("# Notes\n\n### N-1: Follow up\n- **Dependencies:** T-5\n",
                                             encoding="utf-8")
    git(project, "add", "-A")
    git(project, "commit", "-q", "--no-verify", "-m", "notes depend on T-5")
    (project / "docs" / "TODO.md").unlink()
    proc = commit()
    output = proc.stdout + proc.stderr  # git prints the hook's output on stderr
    assert proc.returncode != 0, output
    assert "- hook id: backlog-lint-project" in output
    assert "SPRINT-NOTES.md:4:21: BL304 dependency 'T-5' names no item" in output
