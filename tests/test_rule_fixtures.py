"""Golden fixtures per rule: tests/fixtures/rules/BLxxx.md.

Each case is `title / . / input / . / expected findings / .` (markdown-it-py's fixture format).
The input is linted as BACKLOG.md with every rule on (preview rules too); expected lists that rule's findings as
`line:col-end_line:end_col CODE message`. `pytest --update-goldens` rewrites the expectations.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from backlog_lint.diagnostics import Diagnostic
from backlog_lint.model import IO_ERROR
from tests.helpers import fix_one_rule, lint_text

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
CASES = [
    pytest.param(path, idx, title, text, expected, id=f"{path.stem}-{idx}")
    for path in sorted(FIXTURES.glob("BL*.md"))
    for idx, (_line, title, text, expected) in enumerate(read_fixture_file(path))
]


def render(diags: list[Diagnostic]) -> str:
    return "".join(f"{d.span.line}:{d.span.col}-{d.span.end_line}:{d.span.end_col} {d.code} {d.message}\n"
                   for d in diags)


def _rewrite(path: Path, idx: int, new_expected: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    dots = [i for i, line in enumerate(lines) if line.rstrip() == "."]
    start, end = dots[idx * 3 + 1], dots[idx * 3 + 2]
    lines[start + 1 : end] = [new_expected] if new_expected else []
    path.write_text("".join(lines), encoding="utf-8")


@pytest.mark.parametrize(("path", "idx", "title", "text", "expected"), CASES)
def test_rule_fixture(path: Path, idx: int, title: str, text: str, expected: str, tmp_path: Path,
                      update_goldens: bool) -> None:
    code = path.stem
    diags = [d for d in lint_text(tmp_path, text, preview=True) if d.code == code]
    got = render(diags)
    if update_goldens and got != expected:
        _rewrite(path, idx, got)
        return
    assert got == expected, title
    _assert_fixes_converge(code, text, diags, tmp_path)


def _assert_fixes_converge(code: str, text: str, diags: list[Diagnostic], tmp_path: Path) -> None:
    """Ruff's fixability check, on every case of every rule: where a finding offers a fix, fixing
    applies it (the text changes), removes every fixable finding of the rule, and a second fix
    changes nothing."""
    if not any(d.fix is not None for d in diags):
        return
    fixed, after = fix_one_rule(text, code, tmp_path / "fix")
    assert fixed != text, f"{code}: a finding offers a fix that changes nothing"
    assert not [d for d in after if d.fix is not None], f"{code}: fixable findings remain after --fix"
    again, _ = fix_one_rule(fixed, code, tmp_path / "fix")
    assert again == fixed, f"{code}: --fix does not converge (a second run changes the text again)"


def test_rule_fixture__every_rule_has_one() -> None:
    from backlog_lint.rules import ALL_RULES

    have = {p.stem for p in FIXTURES.glob("BL*.md")}
    missing = [r.code for r in ALL_RULES if r.code not in have and r.code not in ("BL000", "BL001", "BL006", "BL203")]
    assert not missing, f"rules without a fixture file in tests/fixtures/rules: {missing}"


def test_rule_fixture__bl001_invalid_utf8_position(tmp_path: Path) -> None:
    diags = lint_text(tmp_path, "# Title\nok line\nbad \xe9 byte\n".encode("latin-1"))  # type: ignore[arg-type]
    assert render([d for d in diags if d.code == "BL001"]) == (
        "3:5-3:6 BL001 invalid UTF-8: byte 0xe9 cannot start or continue a character (the file is probably in a "
        "legacy encoding such as cp1252 or latin-1; re-save it as UTF-8)\n")


def test_rule_fixture__bl001_utf16_and_nul(tmp_path: Path) -> None:
    diags = lint_text(tmp_path, "# T\n".encode("utf-16"))  # type: ignore[arg-type]
    assert [d.code for d in diags] == ["BL001"] and "UTF-16" in diags[0].message
    diags = lint_text(tmp_path, b"# T\nab\x00c\n")  # type: ignore[arg-type]
    assert [(d.code, d.span.line, d.span.col) for d in diags] == [("BL001", 2, 3)]


def test_rule_fixture__bl000_directory_and_missing(tmp_path: Path) -> None:
    from backlog_lint import pipeline
    from backlog_lint.config import Config

    cfg = Config(root=tmp_path)
    (tmp_path / "d.md").mkdir()
    doc = pipeline.load_document(tmp_path / "d.md", "d.md", cfg)
    assert [p.kind for p in doc.problems] == [IO_ERROR] and "directory" in doc.problems[0].message
    doc = pipeline.load_document(tmp_path / "gone.md", "gone.md", cfg)
    assert [p.kind for p in doc.problems] == [IO_ERROR] and "No such file" in doc.problems[0].message


def test_rule_fixture__fixability_is_exercised(tmp_path: Path) -> None:
    """The fix check above runs on real cases: every fixable rule has a fixture case with a fix."""
    from backlog_lint.rules import ALL_RULES

    with_fix: set[str] = set()
    for case in CASES:
        path, _idx, _title, text, _expected = case.values
        if path.stem in with_fix:
            continue
        if any(d.fix is not None for d in lint_text(tmp_path / path.stem, text, preview=True) if d.code == path.stem):
            with_fix.add(path.stem)
    fixable = {r.code for r in ALL_RULES if r.fixable}
    assert fixable - with_fix == set(), "fixable rules whose fixture has no case with a fix"
