"""Faults while `--fix` writes: SIGKILL at random moments, full disks, two runs at once, concurrent edits.

The invariant everywhere: each file is either exactly its old bytes or exactly its fixed bytes,
never truncated or half-written, and temporary files do not outlive a normal run.
"""

from __future__ import annotations

import errno
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from backlog_lint import writer
from backlog_lint.cli import main
from tests.robustness._support import CONFIG, Run, assert_no_crash, cli_env, kill_group, make_project

pytestmark = pytest.mark.slow  # end-to-end: real processes, real tools; not in the fast loop

Cli = Callable[..., Run]
TMP_GLOB = f"{writer.TMP_PREFIX}*{writer.TMP_SUFFIX}"  # .backlog-lint-*.tmp
_WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima"]


def fixable_backlog(f: int, items: int = 3) -> str:
    """A backlog with safe fixes: field aliases (BL204) and repeated thematic breaks (BL102)."""
    parts = [f"# Backlog {f}\n"]
    for i in range(items):
        parts.append(f"\n### T-{f}{i:03d}: {_WORDS[f % 12]} {_WORDS[i % 12]} {_WORDS[(f // 12) % 12]} work\n"
                     "- **Prio:** P1\n- **Status:** Todo\n\n---\n\n---\n")
    return "".join(parts)


@dataclass
class Tree:
    orig: Path  # the pristine project, never run on
    old: dict[str, bytes]  # relative path -> original bytes
    new: dict[str, bytes]  # relative path -> bytes after a complete --fix
    seconds: float  # how long a complete --fix took


def md_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.md") if ".backlog-lint-cache" not in p.parts)


@pytest.fixture(scope="module")
def fix_tree(tmp_path_factory: pytest.TempPathFactory) -> Tree:
    """50 fixable files in 5 folders, and their fixed versions computed by a --fix run on a copy."""
    base = tmp_path_factory.mktemp("fix-tree")
    orig = make_project(base / "orig", {f"area{f % 5}/BACKLOG{f}.md": fixable_backlog(f) for f in range(50)})
    copy = base / "reference"
    shutil.copytree(orig, copy)
    env = cli_env(tmp_path_factory.mktemp("xdg"))
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "backlog_lint", "--fix"], cwd=copy, env=env, capture_output=True,
                          text=True, timeout=120)
    seconds = time.monotonic() - start
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stdout + done.stderr
    names = md_files(orig)
    assert len(names) == 50
    old = {n: (orig / n).read_bytes() for n in names}
    new = {n: (copy / n).read_bytes() for n in names}
    assert all(old[n] != new[n] for n in names), "every file should have something to fix"
    return Tree(orig, old, new, seconds)


def fresh_copy(tree: Tree, dest: Path) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(tree.orig, dest)
    return dest


def check_old_or_new(tree: Tree, work: Path, context: str) -> tuple[int, int]:
    """Every file is exactly old or exactly fixed; returns (#old, #new)."""
    assert md_files(work) == sorted(tree.old), f"{context}: files appeared or vanished"
    n_old = n_new = 0
    for name in tree.old:
        data = (work / name).read_bytes()
        if data == tree.old[name]:
            n_old += 1
        elif data == tree.new[name]:
            n_new += 1
        else:
            pytest.fail(f"{context}: {name} is neither the original nor the fixed version "
                        f"({len(data)} bytes; old {len(tree.old[name])}, fixed {len(tree.new[name])})")
    return n_old, n_new


def stray_temps(work: Path) -> list[str]:
    return sorted(p.relative_to(work).as_posix() for p in work.rglob(TMP_GLOB))


# --------------------------------------------------------------------------- SIGKILL at random moments

def test_write__sigkill_at_random_moments_never_leaves_a_partial_file(fix_tree: Tree, tmp_path: Path,
                                                                     cli: Cli, xdg_cache: Path) -> None:
    rnd = random.Random(20240611)
    span = max(fix_tree.seconds, 0.3) * 1.2
    delays = [0.0, *sorted(rnd.uniform(0.0, span) for _ in range(19))]
    outcomes: list[tuple[float, int]] = []  # (delay, files fixed when killed)

    def kill_after(k: int, delay: float) -> None:
        work = fresh_copy(fix_tree, tmp_path / "work")
        proc = subprocess.Popen([sys.executable, "-m", "backlog_lint", "--fix"], cwd=work, env=cli_env(xdg_cache),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(delay)
        kill_group(proc)
        context = f"kill #{k} after {delay:.3f}s (a full run takes {fix_tree.seconds:.2f}s)"
        _, n_new = check_old_or_new(fix_tree, work, context)
        outcomes.append((delay, n_new))
        temps = stray_temps(work)
        if temps or k % 8 == 7 or k == len(delays) - 1:
            run = cli(work, "--fix")  # a normal run afterwards finishes the job and cleans up
            assert_no_crash(run, (0, 1))
            assert check_old_or_new(fix_tree, work, f"{context}, then a normal run") == (0, 50), run.describe()
            assert stray_temps(work) == [], f"{context}: temp files {temps} survive a normal run"

    for k, delay in enumerate(delays):
        kill_after(k, delay)
    # The test proves something only if some kill landed while files were being written. On a
    # machine much slower or faster than the reference run, aim between the last kill that found
    # nothing written and the first that found everything written.
    for k in range(len(delays), len(delays) + 6):
        if any(0 < n < 50 for _, n in outcomes):
            break
        before = max((d for d, n in outcomes if n == 0), default=0.0)
        after = min((d for d, n in outcomes if n == 50), default=before + span)
        kill_after(k, (before + after) / 2)
    assert any(0 < n < 50 for _, n in outcomes), f"no kill interrupted the writes: {outcomes}"


# --------------------------------------------------------------------------- write errors

FILES = {"a/BACKLOG.md": fixable_backlog(1), "b/BACKLOG.md": fixable_backlog(2), "c/BACKLOG.md": fixable_backlog(3)}
VICTIM = "b/BACKLOG.md"


def _fail_for_victim(real: Callable[..., object], err: int, *, path_arg: int) -> Callable[..., object]:
    def fake(*args: object, **kwargs: object) -> object:
        target = args[path_arg] if len(args) > path_arg else kwargs.get("dir", "")
        if Path(str(target)).as_posix().endswith(("/b/BACKLOG.md", "/b")):
            raise OSError(err, os.strerror(err))
        return real(*args, **kwargs)

    return fake


@pytest.mark.parametrize(("where", "err"), [
    ("replace", errno.ENOSPC), ("replace", errno.EACCES), ("replace", errno.EROFS),
    ("mkstemp", errno.ENOSPC), ("mkstemp", errno.EACCES), ("fsync", errno.ENOSPC), ("chmod", errno.EPERM),
])
def test_write__error_on_one_file_keeps_it_intact_and_fixes_the_others(
        tmp_path: Path, in_process: Callable[[Path], None], monkeypatch: pytest.MonkeyPatch, where: str,
        err: int) -> None:
    work = make_project(tmp_path / "proj", FILES)
    in_process(work)
    if where == "replace":
        monkeypatch.setattr(writer.os, "replace", _fail_for_victim(os.replace, err, path_arg=1))
    elif where == "mkstemp":
        monkeypatch.setattr(writer.tempfile, "mkstemp", _fail_for_victim(writer.tempfile.mkstemp, err, path_arg=99))
    elif where == "chmod":
        real_chmod = os.chmod

        def chmod(path: object, mode: int, *args: object, **kwargs: object) -> None:
            if Path(str(path)).parent.name == "b" and Path(str(path)).name.startswith(writer.TMP_PREFIX):
                raise OSError(err, os.strerror(err))
            real_chmod(path, mode, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(writer.os, "chmod", chmod)
    else:  # fsync: the data did not reach the disk (a full disk often shows up only here)
        real_fsync = os.fsync

        def fsync(fd: int) -> None:
            if os.path.basename(os.path.dirname(os.readlink(f"/proc/self/fd/{fd}"))) == "b":
                raise OSError(err, os.strerror(err))
            real_fsync(fd)

        if not os.path.exists("/proc/self/fd"):
            pytest.skip("needs /proc to tell which file an fd belongs to")
        monkeypatch.setattr(writer.os, "fsync", fsync)
    result = CliRunner().invoke(main, ["--fix"])
    monkeypatch.undo()
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code not in (0, 3), result.output
    assert "Traceback" not in result.output
    assert VICTIM in result.stderr and os.strerror(err) in result.stderr, result.stderr
    assert (work / VICTIM).read_text(encoding="utf-8") == FILES[VICTIM], "the file that failed was changed"
    for name in FILES:
        if name != VICTIM:
            assert "**Priority:** P1" in (work / name).read_text(encoding="utf-8"), f"{name} was not fixed"
    assert stray_temps(work) == []


def test_write__read_only_file_is_reported_and_left_alone(tmp_path: Path, in_process: Callable[[Path], None],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Permission denied on the file itself (simulated: root ignores mode bits)."""
    work = make_project(tmp_path / "proj", FILES)
    in_process(work)
    real_access = os.access
    monkeypatch.setattr(writer.os, "access", lambda p, mode, *a, **k: (
        False if Path(str(p)).as_posix().endswith(VICTIM) and mode == os.W_OK else real_access(p, mode, *a, **k)))
    result = CliRunner().invoke(main, ["--fix"])
    monkeypatch.undo()
    assert result.exit_code == 2, result.output
    assert VICTIM in result.stderr, result.stderr
    assert (work / VICTIM).read_text(encoding="utf-8") == FILES[VICTIM]
    assert "**Priority:** P1" in (work / "a/BACKLOG.md").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- two runs at once

def test_write__two_fix_runs_at_once_never_corrupt(fix_tree: Tree, tmp_path: Path, cli: Cli,
                                                   xdg_cache: Path) -> None:
    for k, extra in enumerate([[], ["--no-cache"]]):
        work = fresh_copy(fix_tree, tmp_path / "work")
        procs = [subprocess.Popen([sys.executable, "-m", "backlog_lint", "--fix", *extra], cwd=work,
                                  env=cli_env(xdg_cache), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
        outs = [p.communicate(timeout=120) for p in procs]
        for p, (out, err) in zip(procs, outs, strict=True):
            assert p.returncode in (0, 1, 2), f"round {k}: exit {p.returncode}\n{out}\n{err}"
            assert "Traceback" not in err, err
        check_old_or_new(fix_tree, work, f"round {k}: two runs at once")
        run = cli(work, "--fix")
        assert_no_crash(run, (0, 1))
        assert check_old_or_new(fix_tree, work, f"round {k}: after a third run") == (0, 50), "an edit was lost"
        assert stray_temps(work) == []


def test_write__a_concurrent_run_does_not_delete_our_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "BACKLOG.md"
    target.write_text("old\n", encoding="utf-8")
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        real_fsync(fd)
        writer.cleanup_stale(tmp_path)  # what another run's write_atomic does in the same folder right now

    monkeypatch.setattr(writer.os, "fsync", fsync)
    try:
        writer.write_atomic(target, b"new\n", tmp_path)
    except writer.WriteError as exc:
        pytest.fail(f"WriteError: {exc}")
    assert target.read_bytes() == b"new\n"


def test_write__an_edit_saved_during_the_run_is_not_lost(tmp_path: Path, in_process: Callable[[Path], None],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from backlog_lint.fix import workspace as fixing

    work = make_project(tmp_path / "proj", {"BACKLOG.md": fixable_backlog(1)}, config=CONFIG)
    in_process(work)
    real = fixing.write_atomic
    edit = "\n- [ ] added in the editor while backlog-lint was running\n"

    def write_atomic(path: Path, *args: object, **kwargs: object) -> bool:
        with open(path, "a", encoding="utf-8") as fh:  # the user saves the file right now
            fh.write(edit)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fixing, "write_atomic", write_atomic)
    result = CliRunner().invoke(main, ["--fix", "--no-cache"])
    monkeypatch.undo()
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert edit.strip() in (work / "BACKLOG.md").read_text(encoding="utf-8"), "the user's edit was overwritten"
