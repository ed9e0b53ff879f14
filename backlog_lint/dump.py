"""The model as JSON-ready dicts (``show --json``) and as a readable tree (``show``)."""

from __future__ import annotations

from typing import Any

from backlog_lint.model import Document, Field, Item, Ref, Task
from backlog_lint.rules.parse_problems import as_diagnostic
from backlog_lint.vocab import Vocabulary, is_done


def _pos(span: Any) -> str:
    return f"{span.line}:{span.col}"


def field_dict(f: Field) -> dict[str, Any]:
    d: dict[str, Any] = {
        "key": f.key,
        "key_raw": f.key_raw,
        "value": f.value,
        "value_raw": f.value_raw,
        "style": f.style,
        "span": f.span.to_dict(),
        "value_span": f.value_span.to_dict(),
    }
    if f.values:
        d["values"] = list(f.values)
    return d


def task_dict(t: Task) -> dict[str, Any]:
    d: dict[str, Any] = {"text": t.text, "checked": t.checked, "marker": t.marker, "span": t.span.to_dict()}
    if t.id:
        d["id"] = t.id
    if t.state:
        d["state"] = t.state
    if t.children:
        d["children"] = [task_dict(c) for c in t.children]
    return d


def ref_dict(r: Ref) -> dict[str, Any]:
    d: dict[str, Any] = {"target": r.target, "kind": r.kind, "source": r.source, "span": r.span.to_dict()}
    if r.relation:
        d["relation"] = r.relation
    if r.attrs:
        d["attrs"] = dict(r.attrs)
    return d


def item_dict(item: Item, vocab: Vocabulary | None = None) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "id": item.id_raw,
        "title": item.title,
        "status": item.status,
        "closed": is_done(item.status, vocab),
        "section": item.section,
        "span": item.span.to_dict(),
        "title_span": item.title_span.to_dict(),
        "inherited": dict(item.inherited),
        "signals": [
            {"source": s.source, "value": s.value, "raw": s.raw, "span": s.span.to_dict()} for s in item.signals
        ],
        "fields": [field_dict(f) for f in item.fields],
        "tasks": [task_dict(t) for t in item.tasks],
        "refs": [ref_dict(r) for r in item.refs],
    }


def document_dict(doc: Document, vocab: Vocabulary | None = None) -> dict[str, Any]:
    """The model of one document; ``closed`` follows the vocabulary's done statuses (the config's)."""
    return {
        "path": doc.path,
        "newline": {"\n": "lf", "\r\n": "crlf", "\r": "cr"}[doc.source.newline],
        "bom": doc.source.bom,
        "front_matter": doc.front_matter is not None,
        "fields": [field_dict(f) for f in doc.fields],
        "tasks": [task_dict(t) for t in doc.loose_tasks],
        "items": [item_dict(i, vocab) for i in doc.items],
        "index": [
            {"ref": ref_dict(r.ref), "columns": dict(r.columns), "section": r.table} for r in doc.index
        ],
        "links": [
            {"target": lk.target, "text": lk.text, "kind": lk.kind, "span": lk.span.to_dict()} for lk in doc.links
        ],
        "headings": [
            {"level": h.level, "text": h.text, "slug": h.slug, "span": h.span.to_dict()} for h in doc.headings
        ],
        "declarations": [
            {"field": d.field, "values": list(d.values), "form": d.form, "span": d.span.to_dict()}
            for d in doc.declarations
        ],
        "problems": [as_diagnostic(doc.path, p).to_dict() for p in doc.problems],
    }


def render_tree(doc: Document) -> str:
    """A readable outline of what the parser understood, every node with line:col."""
    out = [f"{doc.path}: {len(doc.items)} item(s), {len(doc.index)} index row(s)"]
    for p in doc.problems:
        out.append(f"  ! {_pos(p.span)} {as_diagnostic(doc.path, p).code} {p.message}")
    for f in doc.fields:
        out.append(f"  field {_pos(f.span)} {f.key_raw}: {f.value}")
    for item in doc.items:
        head = f"  {item.kind} {_pos(item.span)}"
        if item.id_raw:
            head += f" [{item.id_raw}]"
        head += f" {item.title!r}"
        if item.status:
            head += f" status={item.status}"
        out.append(head)
        for k, v in item.inherited.items():
            if item.get(k) is None:
                out.append(f"    inherited {k}: {v}")
        for f in item.fields:
            shown = f"{f.values}" if f.values else repr(f.value)
            out.append(f"    field {_pos(f.value_span)} {f.key} ({f.key_raw!r}): {shown}")
        for t in item.all_tasks():
            out.append(f"    task {_pos(t.span)} {'  ' * 0}[{t.marker}] {t.text[:70]}")
        for r in item.refs:
            rel = f" {r.relation}" if r.relation else ""
            out.append(f"    ref {_pos(r.span)} {r.kind}{rel} -> {r.target}")
    for row in doc.index:
        cols = ", ".join(f"{k}={v}" for k, v in row.columns.items())
        out.append(f"  index {_pos(row.ref.span)} -> {row.ref.target} ({cols})")
    return "\n".join(out)
