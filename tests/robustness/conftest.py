"""Fixtures and hypothesis profiles for the robustness tests.

Two hypothesis profiles are registered here and applied only to the tests of this folder (the
rest of the suite keeps its own settings):

- ``backlog-lint-robustness`` (default): about 100 examples per property, what CI runs;
- ``backlog-lint-fuzz``: many examples, selected with ``BACKLOG_LINT_FUZZ=1`` for the long run
  that CI does not do (``BACKLOG_LINT_FUZZ=1 .venv/bin/pytest tests/robustness -k fuzz``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.robustness._support import CONFIG, FUZZ_EXAMPLES, Run, cli_env, make_project, run_cli

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile("backlog-lint-robustness", max_examples=100, deadline=None, suppress_health_check=_QUIET)
settings.register_profile("backlog-lint-fuzz", max_examples=FUZZ_EXAMPLES, deadline=None,
                          suppress_health_check=_QUIET, print_blob=True)


@pytest.fixture(scope="session")
def xdg_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the runs keep their per-user cache key (never the real home folder)."""
    return tmp_path_factory.mktemp("xdg-cache")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An empty temp project: `.backlog-lint.toml` makes every .md file a backlog."""
    return make_project(tmp_path / "proj", config=CONFIG)


@pytest.fixture
def cli(xdg_cache: Path) -> Callable[..., Run]:
    """`cli(cwd, *args, timeout=...)`: the real command line in a subprocess."""

    def run(cwd: Path, *args: str, timeout: float = 60.0, env: dict[str, str] | None = None) -> Run:
        return run_cli(cwd, *args, timeout=timeout, env={**cli_env(xdg_cache), **(env or {})})

    return run


@pytest.fixture
def in_process(monkeypatch: pytest.MonkeyPatch, xdg_cache: Path) -> Callable[[Path], None]:
    """Prepare an in-process run (click's CliRunner) in ``cwd``: no colour, a private cache key."""

    def enter(cwd: Path) -> None:
        monkeypatch.chdir(cwd)
        for key, value in cli_env(xdg_cache).items():
            if os.environ.get(key) != value:
                monkeypatch.setenv(key, value)
        monkeypatch.delenv("FORCE_COLOR", raising=False)

    return enter
