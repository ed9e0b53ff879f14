"""Items as JSON instances, validated with jsonschema; errors mapped back to source spans."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import get_close_matches
from functools import lru_cache
from typing import Any

from backlog_lint.config import Config
from backlog_lint.model import Document, Field, Item
from backlog_lint.source import Span
from backlog_lint.vocab import Vocabulary, priority_of

_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}")
DATE_FIELDS = ("created", "updated", "due", "completed")
_LABELS = {"id": "ID", "title": "title", "status": "Status", "priority": "Priority"}


@dataclass(slots=True)
class SchemaError:
    kind: str  # required | value | unknown
    doc: Document
    item: Item
    key: str
    field: Field | None
    message: str
    span: Span


def project(item: Item, vocab: Vocabulary) -> tuple[dict[str, Any], dict[str, Field]]:
    """The JSON object an item is validated as, and the field behind each key."""
    data: dict[str, Any] = {}
    where: dict[str, Field] = {}
    if item.id_raw:
        data["id"] = item.id_raw
    if item.title:
        data["title"] = item.title  # an empty title is a missing one (BL201)
    for f in item.fields:
        if f.key in data or not f.key:
            continue
        where[f.key] = f
        if f.key == "status":
            data["status"] = vocab.status_of(f.value) or f.value
        elif f.key == "priority":
            data["priority"] = priority_of(f.value) or f.value
        elif f.key in DATE_FIELDS:
            m = _ISO_DATE_RE.match(f.value)
            if m and _real_date(m.group()):
                data[f.key] = m.group()  # impossible dates and placeholders are BL206's
        elif f.key in vocab.list_fields:
            data[f.key] = list(f.values)
        else:
            data[f.key] = f.value
    if "status" not in data and item.status is not None and item.signals:
        data["status"] = item.status
    if "priority" not in data and "priority" in item.inherited:
        data["priority"] = item.inherited["priority"]
    return data, where


def _real_date(text: str) -> bool:
    import datetime as dt

    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=8)
def _validator(path: str | None) -> Any:
    import json

    from jsonschema import Draft202012Validator, FormatChecker
    from referencing import Registry

    from backlog_lint.resources import load_schema

    if path is None:
        schema = load_schema("item.schema.json")
    else:
        with open(path, encoding="utf-8") as fh:
            schema = json.load(fh)
    # an empty registry: a `$ref` to another document is never fetched (no network, no file reads)
    return Draft202012Validator(schema, format_checker=FormatChecker(), registry=Registry())


def validate(ctx_cache: dict[str, object], docs: list[Document], cfg: Config) -> list[SchemaError]:
    """Validate every item of these documents once per run (rules share the result)."""
    cached = ctx_cache.get("schema-errors")
    if cached is not None:
        return cached  # type: ignore[return-value]
    validator = _validator(str(cfg.schema) if cfg.schema else None)
    props: dict[str, Any] = validator.schema.get("properties", {})
    out: list[SchemaError] = []
    vocab = cfg.vocab
    for doc in docs:
        for item in doc.items:
            data, where = project(item, vocab)
            try:
                errors = list(validator.iter_errors(data))
            except Exception as exc:  # referencing errors: a $ref that cannot be resolved offline
                from backlog_lint.api import UsageError

                raise UsageError(f"{cfg.schema or 'item schema'}: cannot use the item schema: {exc} "
                                 "(backlog-lint resolves `$ref` only inside the schema file itself)") from None
            for err in errors:
                out.extend(_map(err, doc, item, where, props))
    ctx_cache["schema-errors"] = out
    return out


def _visible(item: Item) -> Span:
    """The title's span, or the whole item's when the title is empty."""
    s = item.title_span
    return s if (s.line, s.col) != (s.end_line, s.end_col) else item.span


def _name(key: str, f: Field | None) -> str:
    return f.key_raw if f is not None and f.key_raw else _LABELS.get(key, key)


def _map(err: Any, doc: Document, item: Item, where: dict[str, Field], props: dict[str, Any]) -> list[SchemaError]:
    label = item.label
    path = list(err.absolute_path)
    if err.validator == "required":
        missing = re.findall(r"'([^']+)' is a required property", err.message)
        return [SchemaError("required", doc, item, m, None,
                            f"item {label!r} has no {_LABELS.get(m, m)!r} field (required by the item schema)",
                            _visible(item)) for m in missing]
    if err.validator == "additionalProperties" and not path:
        extra = sorted(set(err.instance) - set(props))
        out = []
        for key in extra:
            f = where.get(key)
            close = get_close_matches(key, list(props), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else f"; allowed: {', '.join(sorted(props))}"
            out.append(SchemaError("unknown", doc, item, key, f,
                                   f"field {_name(key, f)!r} is not in the item schema{hint}",
                                   f.key_span if f is not None else item.title_span))
        return out
    key = str(path[0]) if path else ""
    f = where.get(key)
    raw = f.value if f is not None else err.instance
    allowed = _allowed(props.get(key, {}))
    hint = ""
    if allowed:
        close = get_close_matches(str(raw).lower(), [a.lower() for a in allowed], n=1, cutoff=0.5)
        hint = f"; expected one of {', '.join(map(repr, allowed))}"
        if close:
            orig = next(a for a in allowed if a.lower() == close[0])
            hint += f"; did you mean {orig!r}?"
    elif err.validator == "pattern":
        hint = f"; expected a value matching {err.validator_value!r}"
    elif err.validator == "type":
        hint = f"; expected {err.validator_value}"
    elif err.validator == "format":
        hint = f"; expected a {err.validator_value}"
    elif err.validator == "minLength" and raw == "":
        span = f.value_span if f is not None else item.title_span
        return [SchemaError("value", doc, item, key, f, f"item has an empty {_name(key, f)}: write one", span)]
    else:
        hint = f" ({err.message})"
    span = f.value_span if f is not None else item.title_span
    return [SchemaError("value", doc, item, key, f, f"{_name(key, f)} {raw!r} is not allowed{hint}", span)]


def _allowed(prop: dict[str, Any]) -> list[str]:
    if "enum" in prop:
        return [str(v) for v in prop["enum"]]
    out: list[str] = []
    for sub in prop.get("anyOf", []) + prop.get("oneOf", []):
        if "enum" in sub:
            out.extend(str(v) for v in sub["enum"])
        elif "pattern" in sub and sub["pattern"] == "^P[0-5]$":
            out.extend(f"P{i}" for i in range(6))
    return out
