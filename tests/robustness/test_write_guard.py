"""One guarded write path (issue 19): no command writes outside the project root.

A cloned repository can hold a symbolic link (``BACKLOG.md -> ../outside/secret.md``); `check
--fix` used to follow it and rewrite the file outside the work tree. Every writer goes through
``writer.write_atomic``, whose ``guard`` resolves links and refuses a file outside the root.
"""

from __future__ import annotations

import ast
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from backlog_lint.writer import WriteError, guard, write_atomic
from tests.robustness._support import Run, assert_no_crash, make_project, write

# two consecutive thematic breaks: BL102 has a safe fix, and `format` rewrites `* [ ]` as `- [ ]`
SECRET = "# Backlog\n\n* [ ] TODO-1: a\n\n---\n\n---\n"


def _linked_project(tmp_path: Path) -> tuple[Path, Path]:
    outside = tmp_path / "outside" / "secret.md"
    write(outside, SECRET)
    repo = make_project(tmp_path / "repo")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "BACKLOG.md").symlink_to(Path("..") / "outside" / "secret.md")
    return repo, outside


@pytest.mark.parametrize("args", [
    pytest.param(("check", "--fix", "BACKLOG.md"), id="check-fix"),
    pytest.param(("check", "--fix", "--unsafe-fixes", "."), id="check-fix-project"),
    pytest.param(("format", "BACKLOG.md"), id="format"),
    pytest.param(("format", "."), id="format-project"),
])
def test_guard__no_writer_follows_a_symlink_out_of_the_project(cli: Callable[..., Run], tmp_path: Path,
                                                               args: tuple[str, ...]) -> None:
    repo, outside = _linked_project(tmp_path)
    run = cli(repo, *args)
    assert outside.read_text(encoding="utf-8") == SECRET, "wrote through the link, outside the project"
    assert_no_crash(run, allowed=(1, 2))
    assert run.returncode == 2, run.describe()
    assert "BACKLOG.md" in run.stderr and "outside the project" in run.stderr, run.describe()
    assert str(outside.parent.name) in run.stderr  # says where the link leads


def test_guard__a_symlink_inside_the_project_is_written(cli: Callable[..., Run], tmp_path: Path) -> None:
    repo = make_project(tmp_path / "repo", {"docs/real.md": SECRET})
    (repo / "BACKLOG.md").symlink_to(Path("docs") / "real.md")
    run = cli(repo, "check", "--fix", "BACKLOG.md")
    assert_no_crash(run)
    assert (repo / "docs" / "real.md").read_text(encoding="utf-8").count("---") == 1
    assert (repo / "BACKLOG.md").is_symlink()


def test_guard__refuses_a_file_outside_the_root(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    elsewhere = tmp_path / "elsewhere.md"
    elsewhere.write_text("x\n", encoding="utf-8")
    with pytest.raises(WriteError, match=r"elsewhere\.md: leads to .*outside the project"):
        write_atomic(elsewhere, b"y\n", root)
    assert elsewhere.read_text(encoding="utf-8") == "x\n"
    inside = root / "in.md"
    inside.write_text("x\n", encoding="utf-8")
    assert guard(inside, root) == inside.resolve()
    assert write_atomic(inside, b"y\n", root) and inside.read_text(encoding="utf-8") == "y\n"


def test_guard__the_message_names_the_file_as_the_user_wrote_it(tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("x\n", encoding="utf-8")
    root = tmp_path / "root"
    root.mkdir()
    with pytest.raises(WriteError, match=r"^BACKLOG\.md: leads to "):
        write_atomic(outside, b"y\n", root, shown="BACKLOG.md")


# Modules that may write files, and what they write. Everything that writes a backlog file calls
# writer.write_atomic with the project root; the language server writes nothing (it sends edits
# to the editor, which saves them).
ALLOWED_WRITERS = {
    "backlog_lint/writer.py": "the guarded atomic write of backlog files",
    "backlog_lint/baseline.py": "a new baseline file named on the command line",
    "backlog_lint/cache.py": "the cache folder",
    "backlog_lint/cli/output.py": "--output-file",
    "backlog_lint/gendocs.py": "the generated rule docs of this repository",
    "backlog_lint/init.py": "the config file `init` creates",
}
_WRITE_CALLS = {"write_text", "write_bytes", "mkstemp", "fdopen"}
_OS_WRITE_CALLS = {"replace", "rename", "link", "symlink"}  # os.replace etc. (str.replace is not a write)


def _writes(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        owner = getattr(node.func.value, "id", "") if isinstance(node.func, ast.Attribute) else ""
        if name in _WRITE_CALLS or (owner == "os" and name in _OS_WRITE_CALLS):
            found.append(f"{name}() on line {node.lineno}")
        elif name == "open" and any(isinstance(a, ast.Constant) and isinstance(a.value, str) and
                                    set(a.value) & set("wax+") for a in [*node.args[1:2],
                                                                          *(k.value for k in node.keywords)]):
            found.append(f"open(..., write mode) on line {node.lineno}")
    return found


def test_guard__only_known_modules_write_files() -> None:
    repo = Path(__file__).resolve().parents[2]
    unexpected = {}
    for path in sorted((repo / "backlog_lint").rglob("*.py")):
        rel = path.relative_to(repo).as_posix()
        writes = _writes(ast.parse(path.read_text(encoding="utf-8")))
        if writes and rel not in ALLOWED_WRITERS:
            unexpected[rel] = writes
    assert not unexpected, f"files written outside writer.write_atomic: {unexpected}"
    lsp = [p for p in ALLOWED_WRITERS if p.startswith("backlog_lint/lsp/")]
    assert not lsp
    fixing = (repo / "backlog_lint" / "fix" / "workspace.py").read_text(encoding="utf-8")
    formatting = (repo / "backlog_lint" / "format" / "files.py").read_text(encoding="utf-8")
    assert "write_atomic(" in fixing and "cfg.root" in fixing
    assert "write_atomic(" in formatting and "cfg.root" in formatting
