"""`backlog-lint server` and `check --watch` from the command line: a clear message naming the
extra when its packages are missing, and a watch that checks again after a change."""

from __future__ import annotations

import importlib.util
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from backlog_lint.cli import main

pytestmark = pytest.mark.slow  # end-to-end: real processes, real tools; not in the fast loop

_real_find_spec = importlib.util.find_spec


def _without(*names: str):  # type: ignore[no-untyped-def]
    def find_spec(name: str, *args: object, **kwargs: object) -> object:
        if name.split(".")[0] in names:
            return None
        return _real_find_spec(name, *args, **kwargs)  # type: ignore[arg-type]

    return find_spec


def test_server__without_pygls_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", _without("pygls"))
    result = CliRunner().invoke(main, ["server"])
    assert result.exit_code == 2
    assert "pygls" in result.output and "pip install 'backlog-lint[lsp]'" in result.output


def test_watch__without_watchfiles_names_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", _without("watchfiles"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--watch"])
    assert result.exit_code == 2
    assert "watchfiles" in result.output and "pip install 'backlog-lint[watch]'" in result.output


def _reader(proc: subprocess.Popen[str]) -> queue.Queue[str]:
    """The process's output lines, read in a thread (a read from the pipe itself would block)."""
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    return lines


def _read_until(lines: queue.Queue[str], needle: str, timeout: float = 30) -> str:
    """Output lines up to the first that contains ``needle``."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            break
        seen.append(line)
        if needle in line:
            return "".join(seen)
    raise AssertionError(f"{needle!r} not printed in {timeout:.0f} s; got {''.join(seen)!r}")


def test_watch__checks_again_after_a_change(tmp_path: Path) -> None:
    pytest.importorskip("watchfiles", reason="--watch needs the `watch` extra: pip install -e '.[test]'")
    (tmp_path / ".backlog-lint.toml").write_text('include = ["**/*.md"]\n', encoding="utf-8")
    backlog = tmp_path / "BACKLOG.md"
    backlog.write_text("# Backlog\n\n### TODO-1: One\n", encoding="utf-8")
    expected = subprocess.run([sys.executable, "-m", "backlog_lint", "check", "--no-cache"], cwd=tmp_path,
                              capture_output=True, text=True, check=False).stdout
    proc = subprocess.Popen([sys.executable, "-m", "backlog_lint", "check", "--watch", "--no-cache"], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            env={**os.environ, "NO_COLOR": "1"},
                            # Ctrl-C as on a terminal (a shell's background job would ignore SIGINT)
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    lines = _reader(proc)
    try:
        first = _read_until(lines, expected.rstrip("\n").splitlines()[-1])
        assert first == expected  # the same output as a normal run (no screen clearing on a pipe)
        time.sleep(0.3)  # let the watcher start
        backlog.write_text("# Backlog\n\n### TODO-1: One\n\n---\n\n---\n", encoding="utf-8")
        again = _read_until(lines, "BL102")
        assert "BL102" in again and again != first
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            code = proc.wait(10)
        finally:
            proc.kill()
    assert code == 0
