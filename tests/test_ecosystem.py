"""The ecosystem check: every real project of the shared corpus, checked as a user would.

The live findings must equal the committed snapshot (`tests/ecosystem/snapshot.jsonl` and
`preview.jsonl`): a change to the parser or the rules lands with its effect on real projects seen
and the snapshot updated on purpose (`python3 benchmarks/ecosystem.py --update`). docs/quality.md
must be current, every default rule must meet the precision bar on its reviewed findings, and the
formatter must format every file of the corpus, idempotently and without a refusal.
"""

from __future__ import annotations

import sys

import pytest

from tests.conftest import REPO, SHARED

sys.path.insert(0, str(REPO / "benchmarks"))
import ecosystem

CORPUS = SHARED / "corpus"
pytestmark = pytest.mark.skipif(not (CORPUS / "ecosystem").is_dir(), reason="shared corpus not available")


@pytest.fixture(scope="module")
def result() -> ecosystem.RunResult:
    return ecosystem.run_check(CORPUS)


def test_ecosystem__every_project_checked(result: ecosystem.RunResult) -> None:
    assert not result.errors, result.errors
    assert len(result.files) >= 160, "an entry of the corpus was not checked"
    assert sum(result.files.values()) >= 440, "Markdown files of the corpus were not checked"
    assert len(result.findings) > 100 and result.preview, "a run that finds nothing checked nothing"


def test_ecosystem__findings_equal_the_snapshot(result: ecosystem.RunResult) -> None:
    for snapshot, live in ((ecosystem.SNAPSHOT, result.findings), (ecosystem.PREVIEW, result.preview)):
        added, removed = ecosystem.diff(ecosystem.read_snapshot(snapshot), live)
        assert not added and not removed, (
            f"the findings on the corpus changed ({snapshot.name}); read the diff and, if it is intended, run "
            f"`python3 benchmarks/ecosystem.py --update`:\n{ecosystem.render_diff(added, removed, 5)}")


def test_ecosystem__quality_report_is_current(result: ecosystem.RunResult) -> None:
    expected = ecosystem.render_quality(result, ecosystem.read_verdicts(), ecosystem.recall_report(result))
    assert ecosystem.QUALITY.read_text(encoding="utf-8") == expected, \
        "docs/quality.md is stale: run `python3 benchmarks/ecosystem.py --update`"


def test_ecosystem__default_rules_meet_the_precision_bar(result: ecosystem.RunResult) -> None:
    failures = ecosystem.precision_failures(ecosystem.rule_table(result.findings, ecosystem.read_verdicts()))
    assert not failures, failures


def test_ecosystem__review_files_are_well_formed() -> None:
    verdicts = ecosystem.read_verdicts()
    expected = ecosystem.read_expected()
    assert len(verdicts) > 500 and len(expected) > 300
    assert {e.cls for e in expected} <= set(ecosystem.CLASS_RULES) | {ecosystem.UNMAPPED}


@pytest.mark.slow
def test_ecosystem__every_file_formats_idempotently() -> None:
    total, refused, unstable, why = ecosystem.run_format(CORPUS)
    assert total >= 440
    assert not refused, why
    assert not unstable, unstable


def test_ecosystem__diff_groups_by_rule_and_entry() -> None:
    old = [ecosystem.Finding("public/a", "A.md", 3, 1, "BL301", "dup"), ecosystem.Finding("public/b", "B.md", 1, 1,
                                                                                           "BL101", "row")]
    new = [ecosystem.Finding("public/a", "A.md", 3, 1, "BL301", "dup"), ecosystem.Finding("public/c", "C.md", 2, 5,
                                                                                           "BL101", "row 2")]
    added, removed = ecosystem.diff(old, new)
    text = ecosystem.render_diff(added, removed)
    assert text.startswith("1 added, 1 removed, in 1 rules")
    assert "## BL101: +1 -1 in 2 entries" in text
    assert "    + C.md:2:5: row 2" in text and "    - B.md:1:1: row" in text


def test_ecosystem__recall_counts_file_and_class_groups() -> None:
    expected = [ecosystem.Expected("e/x", "A.md", 3, "duplicate-id", "certain", "", ""),
                ecosystem.Expected("e/x", "A.md", 9, "duplicate-id", "likely", "", ""),
                ecosystem.Expected("e/x", "B.md", 1, "broken-link", "likely", "", ""),
                ecosystem.Expected("e/x", "B.md", 2, "other", "certain", "", "")]
    found = [ecosystem.Finding("e/x", "C.md", 1, 1, "BL301", "", ("A.md",))]  # cross-file: names A.md
    got = ecosystem.recall(found, expected)
    assert got["certainty"] == {"certain": (1, 1), "likely": (0, 1)}
    assert got["class"] == {"duplicate-id": (1, 1), "broken-link": (0, 1)}
