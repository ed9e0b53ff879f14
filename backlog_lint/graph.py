"""Render the dependency graph of a workspace as Mermaid, Graphviz DOT or JSON.

Nodes are the items that have IDs (the first definition of each ID), labelled
"ID: title" and coloured by status; an edge runs from a prerequisite to the item
that depends on it (Dependencies fields, and Unlocks/Blocks fields read the other
way round).
"""

from __future__ import annotations

import json
import re

from backlog_lint.model import Document, Item, Workspace
from backlog_lint.workspace.index import WorkspaceIndex, build_index
from backlog_lint.workspace.status import is_completed
from backlog_lint.workspace.titles import repaired

FORMATS = ("mermaid", "dot", "json")

# state -> (fill, stroke)
COLOURS = {
    "done": ("#d4edda", "#2e7d32"),
    "in-progress": ("#fff3cd", "#b8860b"),
    "blocked": ("#f8d7da", "#c62828"),
}
_MERMAID_UNSAFE_RE = re.compile(r'["<>#`\[\]{}|]')


def node_state(status: str | None) -> str:
    """done | in-progress | blocked | cancelled | todo: what a node is coloured by."""
    if status == "cancelled":
        return "cancelled"
    if is_completed(status):
        return "done"
    if status in ("in-progress", "blocked"):
        return status
    return "todo"


def render_graph(ws: Workspace, fmt: str) -> str:
    """The workspace's dependency graph in ``fmt`` (mermaid | dot | json)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown graph format {fmt!r}: expected one of {', '.join(FORMATS)}")
    index = build_index(ws)
    nodes: list[tuple[str, Document, Item]] = []  # (normalised ID, doc, item), first definition of each ID
    key_of: dict[int, str] = {}
    for nid, defs in index.by_id.items():
        doc, item = defs[0]
        nodes.append((nid, doc, item))
        for _d, it in defs:
            key_of[id(it)] = nid
    nodes.sort(key=lambda n: (n[1].path, n[2].span.line, n[0]))
    edges: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    for e in index.edges:
        src, dst = key_of.get(e.src), key_of.get(e.dst)
        if src is None or dst is None or src == dst or (src, dst) in seen:
            continue
        seen.add((src, dst))
        edges.append((src, dst, e.relation))
    states = {nid: node_state(index.effective_status(doc, item)) for nid, doc, item in nodes}
    if fmt == "json":
        return _json(nodes, edges, states, index)
    if fmt == "dot":
        return _dot(nodes, edges, states)
    return _mermaid(nodes, edges, states)


def _label(nid: str, item: Item) -> str:
    shown = item.id_raw or nid
    title = repaired(item.title).strip()
    return f"{shown}: {title}" if title else shown


def _mermaid(nodes: list[tuple[str, Document, Item]], edges: list[tuple[str, str, str]],
             states: dict[str, str]) -> str:
    names = {nid: f"n{i}" for i, (nid, _d, _it) in enumerate(nodes)}
    out = ["flowchart LR"]
    for nid, _doc, item in nodes:
        text = _MERMAID_UNSAFE_RE.sub(lambda m: f"#{ord(m.group())};", _label(nid, item))
        out.append(f'    {names[nid]}["{text}"]')
    for src, dst, _rel in edges:
        out.append(f"    {names[src]} --> {names[dst]}")
    for state, (fill, stroke) in COLOURS.items():
        out.append(f"    classDef {state.replace('-', '')} fill:{fill},stroke:{stroke}")
    for state in COLOURS:
        members = [names[nid] for nid, *_ in nodes if states[nid] == state]
        if members:
            out.append(f"    class {','.join(members)} {state.replace('-', '')}")
    return "\n".join(out) + "\n"


def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _dot(nodes: list[tuple[str, Document, Item]], edges: list[tuple[str, str, str]],
         states: dict[str, str]) -> str:
    out = ["digraph backlog {", "    rankdir=LR;", '    node [shape=box, style="rounded"];']
    for nid, _doc, item in nodes:
        attrs = [f"label={_dot_quote(_label(nid, item))}"]
        colour = COLOURS.get(states[nid])
        if colour is not None:
            attrs += ['style="rounded,filled"', f'fillcolor="{colour[0]}"', f'color="{colour[1]}"']
        elif states[nid] == "cancelled":
            attrs += ['style="rounded,dashed"', 'fontcolor="gray40"']
        out.append(f"    {_dot_quote(nid)} [{', '.join(attrs)}];")
    for src, dst, _rel in edges:
        out.append(f"    {_dot_quote(src)} -> {_dot_quote(dst)};")
    out.append("}")
    return "\n".join(out) + "\n"


def _json(nodes: list[tuple[str, Document, Item]], edges: list[tuple[str, str, str]], states: dict[str, str],
          index: WorkspaceIndex) -> str:
    data = {
        "nodes": [
            {
                "id": nid,
                "label": _label(nid, item),
                "title": repaired(item.title),
                "status": index.effective_status(doc, item),
                "state": states[nid],
                "path": doc.path,
                "line": item.span.line,
            }
            for nid, doc, item in nodes
        ],
        "edges": [{"from": src, "to": dst, "relation": rel} for src, dst, rel in edges],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
