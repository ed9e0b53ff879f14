"""Golden fixtures per fix: tests/fixtures/fixes/BLxxx.md (`title / . / input / . / fixed / .`).

The input is fixed with only that rule selected and unsafe fixes allowed; the result must equal
the expected text, and linting it again must leave nothing fixable of that rule.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from backlog_lint import pipeline
from backlog_lint.config import Config
from backlog_lint.model import Workspace
from backlog_lint.parser import parse_text
from tests.helpers import fix_one_rule
from tests.test_rule_fixtures import _rewrite

FIXTURES = Path(__file__).parent / "fixtures" / "fixes"
CASES = [
    pytest.param(path, idx, title, text, expected, id=f"{path.stem}-{idx}")
    for path in sorted(FIXTURES.glob("BL*.md"))
    for idx, (_line, title, text, expected) in enumerate(read_fixture_file(path))
]


@pytest.mark.parametrize(("path", "idx", "title", "text", "expected"), CASES)
def test_fix_fixture(path: Path, idx: int, title: str, text: str, expected: str, tmp_path: Path,
                     update_goldens: bool) -> None:
    got, after = fix_one_rule(text, path.stem, tmp_path)
    if update_goldens and got != expected:
        _rewrite(path, idx, got)
        return
    assert got == expected, title
    assert not [d for d in after if d.fix is not None], "fixable findings remain after --fix"


def test_fix_fixture__every_fixable_rule_has_one() -> None:
    from backlog_lint.rules import ALL_RULES

    have = {p.stem for p in FIXTURES.glob("BL*.md")}
    assert [r.code for r in ALL_RULES if r.fixable and r.code not in have] == []


def test_fix__declared_not_fixable_rules_never_offer_fixes(tmp_path: Path) -> None:
    from backlog_lint.rules import ALL_RULES
    from tests.conftest import SEEDS

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.md"))] if SEEDS.is_dir() else []
    texts += [case.values[3] for case in CASES]
    cfg = Config(root=tmp_path)
    for text in texts:
        ws = Workspace(str(tmp_path), [parse_text(text, "BACKLOG.md", cfg.vocab)])
        for d in pipeline.run_rules(ws, cfg, list(ALL_RULES), ["BACKLOG.md"]):
            rule = next(r for r in ALL_RULES if r.code == d.code)
            assert d.fix is None or rule.fixable, f"{d.code} is declared not fixable but offered a fix"
