"""`format` over many files: worker processes give what one process gives, in the same order."""

from __future__ import annotations

import multiprocessing
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from backlog_lint.cli import main
from backlog_lint.config import load_config
from backlog_lint.format import files as formatting
from backlog_lint.format.files import FormatOutcome, format_files
from backlog_lint.pipeline import PARALLEL_MIN_FILES, display_path

pytestmark = pytest.mark.slow  # end-to-end: real processes, real tools; not in the fast loop

FIXTURES = Path(__file__).parent / "fixtures"
REFUSED = "- list\n\n  | a | b |\n  |---|---|\n  | 1 | 2 | 3 |\n"  # mdformat would drop the third cell


@pytest.fixture(autouse=True)
def _user_cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


def _project(root: Path) -> list[Path]:
    """Every Markdown fixture (more than the parallel threshold), plus files that are refused or unreadable."""
    root.mkdir()
    (root / ".backlog-lint.toml").write_text('include = ["**/*.md"]\n', encoding="utf-8")
    sources = sorted(FIXTURES.rglob("*.md"))
    for n, src in enumerate(sources):
        shutil.copyfile(src, root / f"{n:03d}-{src.parent.name}-{src.name}")
    (root / "refused.md").write_text(REFUSED, encoding="utf-8")
    (root / "latin1.md").write_bytes(b"# B\n\n- [ ] caf\xe9\n")
    (root / "crlf-bom.md").write_bytes("\ufeff# B\r\n### T-1: A\r\n* **Prio:** P1\r\n".encode())
    files = sorted(root.glob("*.md"))
    assert len(files) > PARALLEL_MIN_FILES
    return files


def _run(root: Path, files: list[Path], *, jobs: int, write: bool = False) -> FormatOutcome:
    cfg = load_config(root)
    return format_files(cfg, [(p, display_path(p, root)) for p in files], write=write, diff=not write, jobs=jobs)


def test_format_files__parallel_equals_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = _project(tmp_path / "p")
    in_parent: list[str] = []
    real = formatting.format_data

    def counted(data: bytes, display: str, *args: object, **kwargs: bool) -> formatting._FileResult:
        in_parent.append(display)
        return real(data, display, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(formatting, "format_data", counted)
    serial = _run(tmp_path / "p", files, jobs=1)
    assert len(in_parent) == len(files)
    in_parent.clear()
    parallel = _run(tmp_path / "p", files, jobs=2)
    assert in_parent == []  # the worker processes did the formatting
    assert serial.changed and serial.unchanged and serial.refused and serial.errors and serial.diff
    assert parallel.changed == serial.changed
    assert parallel.unchanged == serial.unchanged
    assert parallel.refused == serial.refused
    assert parallel.errors == serial.errors
    assert parallel.diff == serial.diff


def test_format_files__parallel_writes_the_same_bytes(tmp_path: Path) -> None:
    one = _project(tmp_path / "one")
    two = _project(tmp_path / "two")
    serial = _run(tmp_path / "one", one, jobs=1, write=True)
    parallel = _run(tmp_path / "two", two, jobs=2, write=True)
    assert serial.changed == parallel.changed and serial.changed
    assert [p.read_bytes() for p in one] == [p.read_bytes() for p in two]
    assert (tmp_path / "two" / "refused.md").read_text(encoding="utf-8") == REFUSED


def test_format_cli__jobs_option_same_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _project(tmp_path / "p")
    monkeypatch.chdir(tmp_path / "p")
    runs = [CliRunner().invoke(main, ["format", "--check", "--no-cache", "-j", jobs]) for jobs in ("1", "2")]
    assert runs[0].exit_code == runs[1].exit_code == 3  # a refusal
    assert runs[0].stdout == runs[1].stdout and "would be reformatted" in runs[0].stdout
    assert runs[0].stderr == runs[1].stderr and "refused.md: not formatted" in runs[0].stderr


class _Bug(Exception):
    """An exception that does not survive pickling as is (like pipeline.InternalError before it had __reduce__)."""

    def __init__(self, where: str, cause: str) -> None:
        super().__init__(f"{where}: {cause}")


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="workers see the patch only when forked")
def test_format_files__worker_crash_reaches_the_caller(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = _project(tmp_path / "p")

    def crash(text: str, display: str, cfg: object, *, model: bool = True) -> tuple[str, object]:
        raise _Bug(display, "a bug")

    monkeypatch.setattr(formatting, "canonicalise", crash)
    with pytest.raises(RuntimeError, match=r"_Bug: .*: a bug"):
        _run(tmp_path / "p", files, jobs=2)
    with pytest.raises(_Bug):
        _run(tmp_path / "p", files, jobs=1)
