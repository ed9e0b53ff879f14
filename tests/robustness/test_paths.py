"""Awkward paths: directories, missing files, symlink loops, unreadable and vanishing files, odd names."""

from __future__ import annotations

import errno
import os
import pathlib
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from backlog_lint import pipeline
from backlog_lint.cli import main
from backlog_lint.config import load_config
from tests.robustness._support import HANG_TIMEOUT, Run, assert_no_crash, write

Cli = Callable[..., Run]

# A warning-level finding (BL102) at line 5, so a checked file exits 1 and is named in the output.
WARN = "# Backlog\n\n---\n\n---\n"
# An info-level finding with a safe fix (BL204 at 4:5): exit 0, fixable.
FIXABLE = "# Backlog\n\n### T-1: Thing\n- **Prio:** P1\n"
FIXED = "# Backlog\n\n### T-1: Thing\n- **Priority:** P1\n"


def invoke(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stdout, result.stderr


# --------------------------------------------------------------------------- directories and missing paths

def test_path__directory_named_like_a_file_is_checked_as_a_folder(cli: Cli, project: Path) -> None:
    write(project / "notes.md" / "BACKLOG.md", WARN)
    (project / "empty.md").mkdir()
    run = cli(project, "notes.md")
    assert_no_crash(run, (1,))
    assert "notes.md/BACKLOG.md:5:1: BL102" in run.stdout, run.describe()
    run = cli(project, "empty.md")  # an empty folder is nothing to check: said so, never a silent pass
    assert_no_crash(run, (2,))
    assert "no Markdown files to check in empty.md" in run.stderr, run.describe()


def test_path__directory_given_to_the_api_is_an_io_finding(project: Path) -> None:
    (project / "folder.md").mkdir()
    cfg = load_config(project)
    ws, checked = pipeline.build_workspace(cfg, [project / "folder.md"], project, whole=False)
    diags = pipeline.run_rules(ws, cfg, pipeline.select_rules(cfg), checked)
    assert [(d.path, d.code) for d in diags] == [("folder.md", "BL000")]
    assert "directory" in diags[0].message


@pytest.mark.parametrize("args", [["missing.md"], ["check", "--fix", "missing.md"], ["show", "missing.md"],
                                  ["format", "missing.md"], ["BACKLOG.md", "sub/missing.md"]])
def test_path__missing_path_exits_2_naming_it(cli: Cli, project: Path, args: list[str]) -> None:
    write(project / "BACKLOG.md", WARN)
    run = cli(project, *args)
    assert_no_crash(run, (2,))
    assert args[-1] in run.stderr, run.describe()


def test_path__config_or_output_file_that_is_a_directory_exits_2(cli: Cli, project: Path) -> None:
    write(project / "BACKLOG.md", WARN)
    (project / "out").mkdir()
    for args in (["--config", "out"], ["--output-file", "out", "BACKLOG.md"], ["config", "--config", "out"]):
        run = cli(project, *args)
        assert_no_crash(run, (2,))
        assert "out" in run.stderr, run.describe()


# --------------------------------------------------------------------------- symlinks

@pytest.mark.parametrize("command", [[], ["show"], ["format", "--check"], ["check", "--fix"]])
def test_path__symlink_loop(cli: Cli, project: Path, command: list[str]) -> None:
    os.symlink("loop-b.md", project / "loop-a.md")
    os.symlink("loop-a.md", project / "loop-b.md")
    run = cli(project, *command, "loop-a.md")
    assert_no_crash(run, (1, 2))
    assert "loop-a.md" in run.output, run.describe()


def test_path__symlink_loop_inside_the_project_is_skipped_by_discovery(cli: Cli, project: Path) -> None:
    write(project / "BACKLOG.md", WARN)
    os.symlink("loop-b.md", project / "loop-a.md")
    os.symlink("loop-a.md", project / "loop-b.md")
    os.symlink(".", project / "self")  # a directory loop
    run = cli(project)
    assert_no_crash(run, (1,))
    assert "BACKLOG.md:5:1: BL102" in run.stdout, run.describe()


def test_path__dangling_symlink_names_the_path_given(cli: Cli, project: Path) -> None:
    os.symlink("nowhere.md", project / "dangling.md")
    run = cli(project, "dangling.md")
    assert_no_crash(run, (1,))
    assert "dangling.md:1:1: BL000" in run.stdout, run.describe()


# --------------------------------------------------------------------------- unreadable and vanishing files

def _chmod_blocks_reading(path: Path) -> bool:
    try:
        path.read_bytes()
    except PermissionError:
        return True
    return False


def test_path__unreadable_file_real_permissions(cli: Cli, project: Path) -> None:
    write(project / "secret.md", WARN)
    write(project / "BACKLOG.md", WARN)
    (project / "secret.md").chmod(0)
    try:
        if not _chmod_blocks_reading(project / "secret.md"):
            pytest.skip("running with privileges that ignore file permissions (root); see the simulated test")
        run = cli(project, "secret.md", "BACKLOG.md")
        assert_no_crash(run, (1,))
        assert "secret.md:1:1: BL000" in run.stdout and "ermission denied" in run.stdout, run.describe()
        assert "BACKLOG.md:5:1: BL102" in run.stdout, run.describe()
    finally:
        (project / "secret.md").chmod(0o644)


def test_path__unreadable_file_simulated(project: Path, in_process: Callable[[Path], None],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """chmod 000 means nothing to root: make reading that one file fail with EACCES instead."""
    write(project / "secret.md", WARN)
    write(project / "BACKLOG.md", WARN)
    real = pathlib.Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "secret.md":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", read_bytes)
    in_process(project)
    for args in (["secret.md", "BACKLOG.md", "--no-cache"], ["--no-cache"], ["--fix", "--no-cache"]):
        code, out, err = invoke(args)
        assert code == 1, (args, out, err)
        assert "secret.md:1:1: BL000 cannot read file: Permission denied" in out, (args, out, err)
        assert "BACKLOG.md:5:1: BL102" in out or "Found" in out, (args, out, err)


def test_path__file_deleted_between_discovery_and_reading(project: Path) -> None:
    write(project / "gone.md", WARN)
    write(project / "BACKLOG.md", WARN)
    cfg = load_config(project)
    files = pipeline.resolve_paths(cfg, [], project)  # discovery sees both files ...
    assert {p.name for p in files} == {"gone.md", "BACKLOG.md"}
    (project / "gone.md").unlink()  # ... then one disappears before it is read
    ws, checked = pipeline.build_workspace(cfg, files, project)
    diags = pipeline.run_rules(ws, cfg, pipeline.select_rules(cfg), checked)
    found = {(d.path, d.span.line, d.code) for d in diags}
    assert ("gone.md", 1, "BL000") in found
    assert ("BACKLOG.md", 5, "BL102") in found
    gone = next(d for d in diags if d.code == "BL000")
    assert "No such file" in gone.message


def test_path__file_deleted_while_the_cli_runs(project: Path, in_process: Callable[[Path], None],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The same race through the whole command: discovery lists a file that is deleted right after."""
    from backlog_lint import discovery

    write(project / "gone.md", WARN)
    write(project / "BACKLOG.md", FIXABLE)
    real = discovery.backlog_files

    def backlog_files(*args: object, **kwargs: object) -> list[Path]:
        found = real(*args, **kwargs)  # type: ignore[arg-type]
        for p in found:
            if p.name == "gone.md" and p.exists():
                p.unlink()
        return found

    monkeypatch.setattr(discovery, "backlog_files", backlog_files)
    in_process(project)
    code, out, err = invoke(["--fix", "--no-cache"])
    assert code == 1, (out, err)
    assert "gone.md:1:1: BL000" in out, (out, err)
    assert (project / "BACKLOG.md").read_text(encoding="utf-8") == FIXED, "the other file was not fixed"
    assert not (project / "gone.md").exists(), "--fix recreated a deleted file"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_path__named_pipe_given_as_a_file(cli: Cli, project: Path) -> None:
    os.mkfifo(project / "pipe.md")
    run = cli(project, "pipe.md", timeout=HANG_TIMEOUT)
    assert_no_crash(run, (1, 2))
    assert "pipe.md" in run.output, run.describe()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_path__named_pipe_in_the_project_is_not_discovered(cli: Cli, project: Path) -> None:
    os.mkfifo(project / "pipe.md")
    write(project / "BACKLOG.md", WARN)
    run = cli(project, timeout=60)
    assert_no_crash(run, (1,))
    assert "BACKLOG.md:5:1: BL102" in run.stdout, run.describe()


# --------------------------------------------------------------------------- odd names

NAMES = ["with space.md", "ünïcødé ☃ 任务.md", "-x.md", "--dashes.md", "$(touch pwned).md", "semi;colon.md",
         "quote'd \"name\".md", "#hash.md"]


@pytest.mark.slow
def test_path__odd_names_are_checked_and_fixed(cli: Cli, project: Path) -> None:
    for i, name in enumerate(NAMES):
        write(project / name, WARN + f"\n### T-{i}: Thing {name}\n- **Prio:** P1\n")
    for args in (["--", *NAMES], [f"./{n}" for n in NAMES], ["check", "--", *NAMES], []):  # [] = discovery
        run = cli(project, *args)
        assert_no_crash(run, (1,))
        for name in NAMES:
            assert f"{name}:5:1: BL102" in run.stdout, f"{name!r} not reported\n" + run.describe()
    if shutil.which("git"):  # discovery through `git ls-files` in a repository, with a git-ignored file
        subprocess.run(["git", "init", "-q", "."], cwd=project, check=True, capture_output=True)
        write(project / ".gitignore", "ignored.md\n")
        write(project / "ignored.md", WARN)
        run = cli(project)
        assert_no_crash(run, (1,))
        assert "ignored.md" not in run.stdout, run.describe()
        for name in NAMES:
            assert f"{name}:5:1: BL102" in run.stdout, f"{name!r} not found through git\n" + run.describe()
    run = cli(project, "--fix", "--", *NAMES)
    assert_no_crash(run, (0,))
    for name in NAMES:
        assert "**Priority:** P1" in (project / name).read_text(encoding="utf-8"), name
    assert not (project / "pwned").exists()


def test_path__leading_dash_without_separator_is_a_usage_error(cli: Cli, project: Path) -> None:
    write(project / "-x.md", WARN)
    run = cli(project, "-x.md")
    assert_no_crash(run, (2,))
    assert "-x" in run.stderr, run.describe()


def _undecodable_name(project: Path) -> str:
    if sys.platform == "darwin" or os.name == "nt":
        pytest.skip("the file system does not allow non-UTF-8 names")
    try:
        (project / os.fsdecode(b"caf\xe9.md")).write_bytes(WARN.encode())
    except (OSError, UnicodeEncodeError):
        pytest.skip("the file system does not allow non-UTF-8 names")
    return os.fsdecode(b"caf\xe9.md")


@pytest.mark.parametrize("how", ["utf8-stdout", "output-file", "sarif"])
def test_path__name_that_is_not_utf8(cli: Cli, project: Path, how: str) -> None:
    _undecodable_name(project)
    if how == "utf8-stdout":
        run = cli(project, env={"PYTHONIOENCODING": "utf-8"})
    elif how == "output-file":
        run = cli(project, "--output-file", "report.txt")
    else:
        run = cli(project, "--output-format", "sarif")
    assert_no_crash(run, (1,))
    shown = run.stdout if how != "output-file" else (project / "report.txt").read_text(encoding="utf-8")
    assert "caf" in shown, run.describe()
