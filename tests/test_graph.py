"""Dependency graph rendering: Mermaid, Graphviz DOT and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backlog_lint import pipeline
from backlog_lint.graph import render_graph
from backlog_lint.model import Workspace
from tests.helpers import config_for, write_tree

FILES = {
    "BACKLOG.md": (
        "# Backlog\n\n"
        "### TODO-1: Cache parser output\n- **Status:** Done\n\n"
        '### TODO-2: Add a "watch" flag\n- **Status:** In Progress\n- **Dependencies:** TODO-1\n\n'
        "### TODO-3: Document the cache\n- **Status:** Blocked\n- **Dependencies:** TODO-2, TODO-99\n\n"
        "### TODO-4: Profile hot paths {part 1}\n- **Unlocks:** TODO-3\n"
    ),
    "later/TODO.md": "# Later\n\n### TODO-5: Publish numbers\n- **Dependencies:** TODO-4\n\n### TODO-6: Idea\n",
}


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    write_tree(tmp_path, FILES)
    cfg = config_for(tmp_path)
    ws, _ = pipeline.build_workspace(cfg, [], tmp_path)
    return ws


def test_json__nodes_edges_and_states(workspace: Workspace) -> None:
    data = json.loads(render_graph(workspace, "json"))
    nodes = {n["id"]: n for n in data["nodes"]}
    assert list(nodes) == ["TODO-1", "TODO-2", "TODO-3", "TODO-4", "TODO-5", "TODO-6"]
    assert nodes["TODO-1"]["label"] == "TODO-1: Cache parser output"
    assert {k: n["state"] for k, n in nodes.items()} == {
        "TODO-1": "done", "TODO-2": "in-progress", "TODO-3": "blocked", "TODO-4": "todo", "TODO-5": "todo",
        "TODO-6": "todo"}
    assert nodes["TODO-5"]["path"] == "later/TODO.md"
    edges = {(e["from"], e["to"]) for e in data["edges"]}
    # dependency -> dependent; Unlocks read forwards; the unknown TODO-99 is left out
    assert edges == {("TODO-1", "TODO-2"), ("TODO-2", "TODO-3"), ("TODO-4", "TODO-3"), ("TODO-4", "TODO-5")}


def test_mermaid__flowchart_with_classes(workspace: Workspace) -> None:
    out = render_graph(workspace, "mermaid")
    lines = out.splitlines()
    assert lines[0] == "flowchart LR"
    assert '    n0["TODO-1: Cache parser output"]' in lines
    assert '    n1["TODO-2: Add a #34;watch#34; flag"]' in lines
    assert '    n3["TODO-4: Profile hot paths #123;part 1#125;"]' in lines
    assert "    n0 --> n1" in lines and "    n3 --> n2" in lines and "    n3 --> n4" in lines
    assert "    class n0 done" in lines
    assert "    class n1 inprogress" in lines
    assert "    class n2 blocked" in lines
    assert any(line.startswith("    classDef done fill:") for line in lines)


def test_dot__digraph_with_colours(workspace: Workspace) -> None:
    out = render_graph(workspace, "dot")
    assert out.startswith("digraph backlog {\n") and out.endswith("}\n")
    assert '"TODO-2" [label="TODO-2: Add a \\"watch\\" flag", style="rounded,filled", fillcolor="#fff3cd"' in out
    assert '"TODO-1" -> "TODO-2";' in out
    assert '"TODO-4" -> "TODO-3";' in out
    assert '"TODO-6" [label="TODO-6: Idea"];' in out  # todo: default style


def test_unknown_format(workspace: Workspace) -> None:
    with pytest.raises(ValueError, match="mermaid"):
        render_graph(workspace, "svg")


def test_empty_workspace() -> None:
    ws = Workspace(".")
    assert json.loads(render_graph(ws, "json")) == {"nodes": [], "edges": []}
    assert render_graph(ws, "mermaid").startswith("flowchart LR")
    assert render_graph(ws, "dot").startswith("digraph backlog {")
