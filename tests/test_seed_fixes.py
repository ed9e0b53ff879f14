"""Acceptance on the seeds: mojibake reported and repaired by --fix, everything else kept."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from backlog_lint.cli import main
from backlog_lint.mojibake import repair_line
from tests.conftest import seed


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".backlog-lint.toml").write_text('include = ["**/*.md"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / ".user-cache"))
    return tmp_path


def _check(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(main, ["check", "--no-color", *args], catch_exceptions=False)
    return r.exit_code, r.stdout


def test_seed_002__mojibake_reported_with_position(project: Path) -> None:
    shutil.copy(seed("002"), project / "TODO.md")
    code, out = _check("TODO.md", "--select", "BL002")
    assert code == 1
    assert "TODO.md:3:46: BL002 [*] garbled text '‚Äî' is UTF-8 read as Mac Roman: it should read '—'" in out


def test_seed_003__mojibake_in_heading_and_non_breaking_hyphen(project: Path) -> None:
    shutil.copy(seed("003"), project / "BACKLOG.md")
    code, out = _check("BACKLOG.md", "--select", "BL002")
    assert code == 1
    assert "BACKLOG.md:1:3: BL002 [*] garbled text '\\uf8ffüß©' is UTF-8 read as Mac Roman: it should read '🧩'" in out
    assert "BACKLOG.md:73:66: BL002 [*] garbled text '‚Äë' is UTF-8 read as Mac Roman: it should read '\u2011'" in out


@pytest.mark.parametrize("prefix", ["002", "003"])
def test_seed__fix_repairs_mojibake_and_keeps_everything_else(project: Path, prefix: str) -> None:
    src = seed(prefix)
    target = project / "BACKLOG.md"
    shutil.copy(src, target)
    original = src.read_text(encoding="utf-8").split("\n")
    _check("--fix", "--select", "BL002", "BACKLOG.md")
    fixed = target.read_text(encoding="utf-8").split("\n")
    assert len(fixed) == len(original)
    assert fixed == [repair_line(line) for line in original]
    text = "\n".join(fixed)
    if prefix == "002":
        for want in ("—", "🔴", "🟡", "🟢", "🔵", "Ключевой вопрос", "→ SPEC-038", "⚠️"):
            assert want in text, want
    else:
        assert fixed[0] == "# 🧩 Shardis Backlog"
        assert "Non\u2011mutating" in fixed[72]
    code, out = _check("--select", "BL002", "BACKLOG.md")
    assert code == 0, out


def test_seed_002__full_fix_changes_only_what_rules_own(project: Path) -> None:
    """With every rule on, --fix may also canonicalise; nothing else in the file moves."""
    src = seed("002")
    target = project / "TODO.md"
    shutil.copy(src, target)
    original = src.read_text(encoding="utf-8").split("\n")
    _check("--fix", "TODO.md")
    fixed = target.read_text(encoding="utf-8").split("\n")
    assert len(fixed) == len(original)
    changed = [i for i, (a, b) in enumerate(zip(original, fixed, strict=True)) if repair_line(a) != b]
    assert changed == [], [(i + 1, original[i], fixed[i]) for i in changed[:5]]
    _code, out = _check("TODO.md")
    assert "[*]" not in out, "fixable findings remain after --fix"
