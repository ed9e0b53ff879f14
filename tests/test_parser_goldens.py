"""Golden fixtures per convention: ``tests/fixtures/parser/<convention>/<case>.md`` beside its ``.json``.

Each ``.json`` is what ``backlog-lint show --json`` prints for the one document (the model of
``schemas/model.schema.json``). After a deliberate parser change, rewrite them with
``pytest tests/test_parser_goldens.py --update-goldens`` and read the diff before committing.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from backlog_lint.dump import document_dict
from backlog_lint.parser import parse_bytes
from backlog_lint.resources import load_schema

FIXTURES = Path(__file__).parent / "fixtures" / "parser"
CASES = sorted(FIXTURES.glob("*/*.md"))


def _model(md: Path) -> dict:
    doc = parse_bytes(md.read_bytes(), f"{md.parent.name}/{md.name}")
    return {"version": "golden", "documents": [document_dict(doc)]}


def test_every_convention_has_goldens() -> None:
    conventions = {p.parent.name for p in CASES}
    assert {"heading_items", "table_items", "key_value_tables", "index_tables", "checklists", "bold_bullets",
            "document_item", "sections", "references", "declarations", "boards"} <= conventions
    assert len(CASES) >= 20


@pytest.mark.parametrize("md", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_parser_golden(md: Path, update_goldens: bool) -> None:
    got = _model(md)
    jsonschema.validate(got, load_schema("model.schema.json"))
    golden = md.with_suffix(".json")
    text = json.dumps(got, ensure_ascii=False, indent=2) + "\n"
    if update_goldens or not golden.exists():
        golden.write_text(text, encoding="utf-8")
        if not update_goldens:
            pytest.fail(f"{golden.name} was missing and has been written; read it, then run again")
    assert json.loads(golden.read_text(encoding="utf-8")) == got, (
        f"{md.relative_to(FIXTURES)}: the model differs from its golden; if the change is meant, "
        "run pytest tests/test_parser_goldens.py --update-goldens and read the diff"
    )


def test_parser_golden_model_is_not_empty() -> None:
    """Every fixture yields something: a golden of nothing proves nothing."""
    for md in CASES:
        doc = _model(md)["documents"][0]
        assert doc["items"] or doc["index"] or doc["declarations"], md
