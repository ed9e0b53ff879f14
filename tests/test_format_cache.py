"""`format`'s cache (already canonical files; what `--check` found): hits, misses, --no-cache, no clash with check."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import backlog_lint.parser
from backlog_lint import pipeline
from backlog_lint.cli import main
from backlog_lint.config import load_config
from backlog_lint.format import files as formatting

CANONICAL = "# B\n\n### T-1: A\n\n- **Status:** Done\n- **Priority:** P1\n"
OTHER = "# C\n\n### T-2: B\n\n- **Status:** Todo\n"
MESSY = "# B\n### T-1: A\n* **Prio:** P1\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    root = tmp_path / "p"
    root.mkdir()
    (root / ".backlog-lint.toml").write_text('include = ["**/*.md"]\nextend-select = ["BL204"]\n', encoding="utf-8")
    (root / "BACKLOG.md").write_text(CANONICAL, encoding="utf-8")
    (root / "TODO.md").write_text(OTHER, encoding="utf-8")
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Paths of the documents parsed (formatting parses each file it formats first)."""
    seen: list[str] = []
    real = backlog_lint.parser.parse_text

    def counting(text: str, path: str = "<text>", vocab: object = None) -> object:
        seen.append(path)
        return real(text, path, vocab)  # type: ignore[arg-type]

    monkeypatch.setattr(backlog_lint.parser, "parse_text", counting)
    return seen


def run(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(main, ["format", *args], catch_exceptions=False)
    return r.exit_code, r.stdout


def _entries(root: Path) -> list[Path]:
    return sorted((root / ".backlog-lint-cache").rglob("*.pickle"))


def test_format_cache__second_run_formats_nothing(project: Path, parsed: list[str]) -> None:
    assert run("--check") == (0, "0 files would be reformatted, 2 already formatted\n")
    assert sorted(set(parsed)) == ["BACKLOG.md", "TODO.md"]
    assert len(_entries(project)) == 2
    parsed.clear()
    assert run("--check") == (0, "0 files would be reformatted, 2 already formatted\n")
    assert parsed == []
    assert run() == (0, "0 files reformatted, 2 already formatted\n")  # writing uses the same entries
    assert parsed == []


def test_format_cache__changed_file_misses(project: Path, parsed: list[str]) -> None:
    run("--check")
    (project / "TODO.md").write_text(OTHER + "\n### T-3: C\n\n- **Status:** Todo\n", encoding="utf-8")
    parsed.clear()
    assert run("--check")[0] == 0
    assert set(parsed) == {"TODO.md"}


def test_format_cache__changed_config_misses(project: Path, parsed: list[str]) -> None:
    run("--check")
    (project / ".backlog-lint.toml").write_text('include = ["**/*.md"]\nfield-order = ["priority", "status"]\n',
                                                encoding="utf-8")
    parsed.clear()
    code, out = run("--check")
    assert set(parsed) == {"BACKLOG.md", "TODO.md"}
    assert code == 1 and "Would reformat: BACKLOG.md" in out  # the new order applies at once


def test_format_cache__other_formatter_versions_miss(project: Path, parsed: list[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    run("--check")
    monkeypatch.setattr(formatting, "_formatter_versions", lambda: "mdformat=99")
    parsed.clear()
    run("--check")
    assert set(parsed) == {"BACKLOG.md", "TODO.md"}


def test_format_cache__check_remembers_files_that_would_change(project: Path, parsed: list[str]) -> None:
    (project / "TODO.md").write_text(MESSY, encoding="utf-8")
    first = run("--check")
    assert first == (1, "Would reformat: TODO.md\n1 file would be reformatted, 1 already formatted\n")
    parsed.clear()
    assert run("--check") == first  # the same answer ...
    assert parsed == []  # ... without formatting anything again
    assert run("--diff")[1].startswith("--- a/TODO.md\n+++ b/TODO.md\n")  # a diff needs the new text: formats
    assert set(parsed) == {"TODO.md"}
    parsed.clear()
    assert run() == (0, "Reformatted: TODO.md\n1 file reformatted, 1 already formatted\n")  # so does writing
    assert set(parsed) == {"TODO.md"}
    parsed.clear()
    assert run("--check") == (0, "0 files would be reformatted, 2 already formatted\n")
    assert set(parsed) == {"TODO.md"}  # new bytes, new entry


def test_format_cache__check_remembers_refusals(project: Path, parsed: list[str]) -> None:
    (project / "TODO.md").write_text("---\ntitle: x\n# T\n", encoding="utf-8")
    r1 = CliRunner().invoke(main, ["format", "--check"], catch_exceptions=False)
    assert r1.exit_code == 3 and "TODO.md: not formatted: " in r1.stderr and "never closed" in r1.stderr
    parsed.clear()
    r2 = CliRunner().invoke(main, ["format", "--check"], catch_exceptions=False)
    assert (r2.exit_code, r2.stdout, r2.stderr) == (r1.exit_code, r1.stdout, r1.stderr)
    assert parsed == []


def test_format_cache__no_cache_neither_reads_nor_writes(project: Path, parsed: list[str]) -> None:
    assert run("--check", "--no-cache")[0] == 0
    assert not (project / ".backlog-lint-cache").exists()
    run("--check")
    entries = _entries(project)
    stamps = [p.stat().st_mtime_ns for p in entries]
    parsed.clear()
    assert run("--check", "--no-cache")[0] == 0
    assert set(parsed) == {"BACKLOG.md", "TODO.md"}
    assert _entries(project) == entries and [p.stat().st_mtime_ns for p in entries] == stamps


def test_format_cache__entries_apart_from_the_check_cache(project: Path, parsed: list[str]) -> None:
    cfg = load_config(project)
    cache = pipeline.make_cache(cfg)
    data = (project / "BACKLOG.md").read_bytes()
    assert formatting._cache_key(cache, data, "BACKLOG.md") != cache.entry_key(data, "BACKLOG.md")
    assert CliRunner().invoke(main, ["check"]).exit_code in (0, 1)  # fills the check cache (parsed models)
    parsed.clear()
    assert run("--check") == (0, "0 files would be reformatted, 2 already formatted\n")
    assert set(parsed) == {"BACKLOG.md", "TODO.md"}  # a parsed model is no "already canonical" entry
    first = CliRunner().invoke(main, ["check", "--output-format", "json"])
    again = CliRunner().invoke(main, ["check", "--output-format", "json", "--no-cache"])
    assert first.stdout == again.stdout  # and format's entries do not disturb check


def test_format_files__cache_counts(project: Path) -> None:
    cfg = load_config(project)
    files = [(project / name, name) for name in ("BACKLOG.md", "TODO.md")]
    cold = pipeline.make_cache(cfg)
    assert formatting.format_files(cfg, files, write=False, diff=False, cache=cold).unchanged == 2
    assert (cold.hits, cold.misses) == (0, 2)
    warm = pipeline.make_cache(cfg)
    assert formatting.format_files(cfg, files, write=False, diff=False, cache=warm).unchanged == 2
    assert (warm.hits, warm.misses) == (2, 0)
