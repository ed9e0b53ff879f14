"""Helpers of the workspace index: ID families, loose matching, ranges, titles, legends."""

from __future__ import annotations

import importlib

import pytest

from backlog_lint.ids import family_of, loose_key
from backlog_lint.model import Workspace
from backlog_lint.parser import parse_text
from backlog_lint.workspace.index import build_index
from backlog_lint.workspace.legends import parse_legend
from backlog_lint.workspace.titles import title_key

index_mismatch = importlib.import_module("backlog_lint.rules.index_mismatch")


@pytest.mark.parametrize(("nid", "family"), [
    ("TODO-052", "TODO"), ("FL-0003", "FL"), ("SIMPLIFY-003-CONTINUATION", "SIMPLIFY"), ("T031", "T"),
    ("PHASE-1.2", "PHASE"), ("TICKET-#7", "TICKET"), ("B1", "B"), ("NOPE", None),
])
def test_family_of(nid: str, family: str | None) -> None:
    assert family_of(nid) == family


def test_loose_key__padding_and_hash() -> None:
    assert loose_key("TICKET-007") == loose_key("TICKET-#7") == "TICKET-7"
    assert loose_key("TODO-1") != loose_key("TODO-10")


def test_index__resolves_ids_ranges_and_id_columns() -> None:
    doc = parse_text("| ID | Feature |\n|---|---|\n| F-020–024 | Device core |\n| B-011 | Reconnect bug |\n"
                     "| F-051 | Heat-up |\n", "a.md")
    index = build_index(Workspace(".", [doc]))
    assert index.in_range("F-022") and index.in_range("F-24") and not index.in_range("F-025")
    assert index.resolve("B-011") is not None and index.resolve("b_11") is not None
    assert index.resolve("F-052") is None


def test_title_key__case_dashes_markup_and_mojibake() -> None:
    assert title_key("Optional read-only Route peek (`TryGetAssignment`)") == title_key(
        "Optional read\u2011only route peek (TryGetAssignment)")
    assert title_key("Remove mid\u201a\u00c4\u00ecstorm") == title_key("Remove mid–storm")  # Mac Roman mojibake


def test_parse_legend__bullets_tables_and_only_legend_sections() -> None:
    doc = parse_text("## Labels\n\n- `core`: routing\n- **infra**: storage\n- 🔒 **[SECURITY]**: security\n\n"
                     "### Sub\n\n- `notlegend`: x\n\n## Categories\n\n| Label | Meaning |\n|---|---|\n"
                     "| `dx` | developer experience |\n\n## Other\n\n- `nope`: x\n", "a.md")
    assert sorted(parse_legend(doc)) == ["core", "dx", "infra", "security"]


@pytest.mark.parametrize(("a", "b", "same"), [
    ("4-6 hours", "4-6 hours (~100-150 lines changed)", True),
    ("~16 hours", "~16 hours (7 tasks)", True),
    ("4-6 weeks", "4-6 weeks total", True),
    ("0.5-1 day", "0.5–1 days", True),
    ("1 week", "2 weeks", False),
    ("Large", "large", True),
])
def test_effort_normalisation(a: str, b: str, same: bool) -> None:
    assert (index_mismatch._effort(a) == index_mismatch._effort(b)) is same


def test_naming__counts_read_as_english() -> None:
    """Messages said "1 of its 1 tasks are unchecked" and "in a 'archive/' folder" (issue 15, item 10)."""
    from backlog_lint.workspace.naming import describe_signal, share

    assert share(1, 1, "task", "tasks") == "its only task"
    assert share(2, 2, "task", "tasks") == "both of its tasks"
    assert share(3, 3, "task", "tasks") == "all 3 of its tasks"
    assert share(1, 3, "sub-entry", "sub-entries") == "1 of its 3 sub-entries"
    assert describe_signal("folder", "archive/") == "its file is in the 'archive/' folder"
