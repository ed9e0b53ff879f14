"""Shared helpers for the robustness tests: temp projects and the real CLI in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

# BL204 (a preview rule) is selected: these tests want a safe fix to apply on many files
CONFIG = 'include = ["**/*.md"]\nextend-select = ["BL204"]\n'
FUZZ = bool(os.environ.get("BACKLOG_LINT_FUZZ"))
FUZZ_EXAMPLES = int(os.environ.get("BACKLOG_LINT_FUZZ_EXAMPLES", "20000"))
HYPOTHESIS_PROFILE = "backlog-lint-fuzz" if FUZZ else "backlog-lint-robustness"
# Tests that currently take minutes (performance bugs) only run when asked: BACKLOG_LINT_SLOW=1.
RUN_SLOW = bool(os.environ.get("BACKLOG_LINT_SLOW"))
# A healthy run on a tiny input takes well under a second; this only bounds a hang.
HANG_TIMEOUT = 5.0
# Sanity cap for the huge inputs (generous: CI machines are slow and shared).
HUGE_TIMEOUT = 120.0


@dataclass
class Run:
    args: list[str]
    returncode: int | None  # None: still running at the timeout, then killed
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def describe(self) -> str:
        code = "timed out" if self.returncode is None else f"exit {self.returncode}"
        return (f"backlog-lint {' '.join(self.args)}: {code} after {self.seconds:.1f}s\n"
                f"--- stdout ---\n{self.stdout[-3000:]}\n--- stderr ---\n{self.stderr[-3000:]}")


def make_project(root: Path, files: dict[str, str | bytes] | None = None, config: str = CONFIG) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / ".backlog-lint.toml").write_text(config, encoding="utf-8")
    for rel, content in (files or {}).items():
        write(root / rel, content)
    return root


def write(path: Path, content: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")


def cli_env(xdg_cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "FORCE_COLOR"}
    env.update(NO_COLOR="1", XDG_CACHE_HOME=str(xdg_cache))
    return env


def run_cli(cwd: Path, *args: str, timeout: float = 60.0, env: dict[str, str] | None = None) -> Run:
    """`python -m backlog_lint ARGS` in ``cwd``; a run still going at ``timeout`` is killed."""
    cmd = [sys.executable, "-m", "backlog_lint", *args]
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
        code: int | None = proc.returncode
    except subprocess.TimeoutExpired:
        kill_group(proc)
        out, err = proc.communicate()
        code = None
    return Run(list(args), code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"),
               time.monotonic() - start)


def kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL a run started with start_new_session=True, with any worker processes it forked."""
    import contextlib
    import signal

    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def assert_no_crash(run: Run, allowed: tuple[int, ...] = (0, 1, 2)) -> None:
    """Finished in time, with an allowed exit code and no Python traceback."""
    assert run.returncode is not None, run.describe()
    assert "Traceback" not in run.stderr, run.describe()
    assert "crashed" not in run.stderr, run.describe()
    assert run.returncode in allowed, run.describe()


class AuditLog:
    """Records interesting audit events (files opened, processes spawned, sockets) while active.

    Python cannot remove an audit hook, so one hook is installed for the whole session and only
    records between ``start()`` and ``stop()``.
    """

    _installed = False
    _active: AuditLog | None = None
    SPAWN = ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "pty.spawn")

    def __init__(self) -> None:
        self.opened: list[str] = []
        self.spawned: list[str] = []
        self.sockets: list[str] = []

    @classmethod
    def _hook(cls, event: str, args: tuple) -> None:
        log = cls._active
        if log is None:
            return
        if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
            log.opened.append(os.path.abspath(os.fsdecode(args[0])))
        elif event.startswith(cls.SPAWN):
            log.spawned.append(f"{event} {args[:2]!r}")
        elif event.startswith("socket.") and event not in ("socket.gethostname", "socket.sethostname"):
            log.sockets.append(f"{event} {args!r}"[:200])

    def __enter__(self) -> AuditLog:
        if not AuditLog._installed:
            sys.addaudithook(AuditLog._hook)
            AuditLog._installed = True
        AuditLog._active = self
        return self

    def __exit__(self, *exc: object) -> None:
        AuditLog._active = None

    def opened_under(self, folder: Path) -> set[Path]:
        base = os.path.realpath(folder)
        return {Path(p) for p in self.opened if os.path.realpath(p).startswith(base + os.sep)}
