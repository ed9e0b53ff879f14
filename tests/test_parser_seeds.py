"""Acceptance of the parser on the five seed backlogs (exact counts from issue 2)."""

from __future__ import annotations

from collections import Counter

from backlog_lint.parser import parse_bytes
from backlog_lint.vocab import is_done
from tests.conftest import seed


def _doc(prefix: str):
    path = seed(prefix)
    return parse_bytes(path.read_bytes(), path.name)


def test_seed_000__bold_name_bullets_inherit_priority() -> None:
    doc = _doc("000")
    assert len(doc.items) == 10
    assert {it.kind for it in doc.items} == {"bullet"}
    assert Counter(it.value("priority") for it in doc.items) == {"P1": 4, "P2": 3, "P3": 3}
    sections = {it.section.split(" > ")[-1].split(" ")[0] for it in doc.items}
    assert sections == {"P1", "P2", "P3"}
    titles = [it.title for it in doc.items]
    assert titles[0] == "Parent child slot index" and titles[-1] == "Long-run fuzzing"
    # Context / When to Revisit / Tracking bullets are not items
    assert all(it.span.line < 30 for it in doc.items)


def test_seed_001__document_is_one_item() -> None:
    doc = _doc("001")
    assert len(doc.items) == 1
    item = doc.items[0]
    assert item.kind == "document"
    assert item.get("status").value == "Proposed"
    assert item.status == "todo"
    assert item.get("created").value == "2026-02-20"
    assert item.get("author").value.startswith("Phase Golem")
    tasks = list(item.all_tasks())
    assert len(tasks) == 19
    assert not any(t.checked for t in tasks)


def test_seed_002__heading_items_closed_and_relations() -> None:
    doc = _doc("002")
    ids = [it.id_raw for it in doc.items]
    assert len(ids) == 23
    assert sorted(int(i.split("-")[1]) for i in ids) == sorted(
        [51, 52, 53, 54, 55, 56, 50, 29, 23, 48, 49, 33, 25, 39, 34, 36, 47, 45, 41, 43, 44, 40, 42])
    by_id = {it.id_raw: it for it in doc.items}
    closed = {i for i, it in by_id.items() if is_done(it.status)}
    assert closed == {"TODO-051", "TODO-047"}
    assert by_id["TODO-050"].get("unlocks").values == ["TODO-048", "TODO-049"]
    assert by_id["TODO-049"].get("dependencies").values == ["TODO-050", "TODO-029"]
    assert by_id["TODO-052"].inherited.get("wave") == "-1"
    index = [r for r in doc.index if r.table.endswith("Execution Order (by technical dependency)")]
    assert len(index) == 22
    assert all(r.ref.target.startswith("TODO-0") for r in index)
    assert {r.ref.target for r in index} <= set(by_id)


def test_seed_003__table_rows_with_label_lists() -> None:
    doc = _doc("003")
    assert len(doc.items) == 79
    assert {it.kind for it in doc.items} == {"table-row"}
    for it in doc.items:
        labels = it.get("labels")
        assert labels is not None and labels.values, it.title
    multi = next(it for it in doc.items if it.title.startswith("Migration checkpoints"))
    assert multi.get("labels").values == ["core", "dx"]
    proto = next(it for it in doc.items if it.title.startswith("Fluent query prototype"))
    assert proto.get("status").value.endswith("Prototype")


def test_seed_004__numbered_headings_priorities_and_tasks() -> None:
    doc = _doc("004")
    assert [it.number for it in doc.items] == [1, 2, 3, 4, 5, 6, 7]
    assert [it.value("priority") for it in doc.items] == ["P0", "P0", "P0", "P1", "P1", "P2", "P2"]
    assert [len(it.tasks) for it in doc.items] == [2, 4, 5, 3, 3, 3, 3]
