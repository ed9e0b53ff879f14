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


def project(item: Item, vocab: Vocabulary, memo: dict[tuple[str, str], Any] | None = None,
            ) -> tuple[dict[str, Any], dict[str, Field]]:
    """The JSON object an item is validated as, and the field behind each key.

    ``memo`` (shared over one run) keeps the canonical status, priority and date of each value seen.
    """
    data: dict[str, Any] = {}
    where: dict[str, Field] = {}
    if item.id_raw:
        data["id"] = item.id_raw
    if item.title:
        data["title"] = item.title  # an empty title is a missing one (BL201)
    list_fields = vocab.list_fields
    for f in item.fields:
        key = f.key
        if key in data or not key:
            continue
        where[key] = f
        if key == "status" or key == "priority" or key in DATE_FIELDS:
            data_key = (key, f.value)
            if memo is not None and data_key in memo:
                value = memo[data_key]
            else:
                value = _canonical(key, f.value, vocab)
                if memo is not None:
                    memo[data_key] = value
            if value is not None:
                data[key] = value
        elif key in list_fields:
            data[key] = list(f.values)
        else:
            data[key] = f.value
    if "status" not in data and item.status is not None and item.signals:
        data["status"] = item.status
    if "priority" not in data and "priority" in item.inherited:
        data["priority"] = item.inherited["priority"]
    return data, where


def _canonical(key: str, value: str, vocab: Vocabulary) -> str | None:
    """The projected value of a status, priority or date field (None: leave the key out)."""
    if key == "status":
        return vocab.status_of(value) or value
    if key == "priority":
        return priority_of(value) or value
    m = _ISO_DATE_RE.match(value)
    if m and _real_date(m.group()):
        return m.group()
    return None  # impossible dates and placeholders are BL206's


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
    if cfg.schema is None and _all_plainly_valid(docs, cfg.vocab):
        ctx_cache["schema-errors"] = []  # what jsonschema would find, without importing it (start-up)
        return []
    validator = _validator(str(cfg.schema) if cfg.schema else None)
    props: dict[str, Any] = validator.schema.get("properties", {})
    checker = _Checker(validator)  # its memos live for this run only
    memo: dict[tuple[str, str], Any] = {}
    out: list[SchemaError] = []
    vocab = cfg.vocab
    for doc in docs:
        for item in doc.items:
            data, where = project(item, vocab, memo)
            try:
                errors = checker.errors(data)
            except Exception as exc:  # referencing errors: a $ref that cannot be resolved offline
                from backlog_lint.errors import UsageError

                raise UsageError(f"{cfg.schema or 'item schema'}: cannot use the item schema: {exc} "
                                 "(backlog-lint resolves `$ref` only inside the schema file itself)") from None
            for err in errors:
                out.extend(_map(err, doc, item, where, props))
    ctx_cache["schema-errors"] = out
    return out


# Keywords that only annotate: no validator function, no effect on the errors.
# The bundled item schema's properties by what they accept (checked against the file, see _bundled_is_known)
_STRINGS = frozenset({"id", "status", "priority"})
_STRING_LISTS = frozenset({"dependencies", "unlocks"})
_DATES = frozenset({"created", "updated", "due", "completed"})
_ASCII_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)  # jsonschema's "date" format: this, and a real date
_KNOWN_BUNDLED = {
    "type": "object", "required": ["title"], "additionalProperties": True,
    "properties": {**{k: {"type": "string"} for k in _STRINGS | _DATES},
                   "title": {"type": "string", "minLength": 1},
                   "labels": {"type": "array", "items": {"type": "string", "minLength": 1}},
                   **{k: {"type": "array", "items": {"type": "string"}} for k in _STRING_LISTS},
                   **{k: {"type": "string", "format": "date"} for k in _DATES}},
}


@lru_cache(maxsize=1)
def _bundled_is_known() -> bool:
    """Whether the bundled item schema says exactly what ``_plainly_valid`` checks (annotations aside)."""
    from backlog_lint.resources import load_schema

    def strip(node: Any, names: bool = False) -> Any:  # names: a mapping of property names, kept whole
        if isinstance(node, dict):
            return {k: strip(v, k == "properties" and not names) for k, v in node.items()
                    if names or k not in _ANNOTATIONS}
        return node

    return strip(load_schema("item.schema.json")) == _KNOWN_BUNDLED


def _plainly_valid(data: dict[str, Any]) -> bool:
    """Whether an item's projection certainly meets the bundled schema (False: let jsonschema judge)."""
    title = data.get("title")
    if not isinstance(title, str) or not title:
        return False
    for key, value in data.items():
        if key in _STRINGS:
            if not isinstance(value, str):
                return False
        elif key in _DATES:
            if not isinstance(value, str) or not _ASCII_DATE_RE.fullmatch(value) or not _real_date(value):
                return False
        elif (key in _STRING_LISTS or key == "labels") and (
                not isinstance(value, list) or not all(isinstance(v, str) and (v or key != "labels") for v in value)):
            return False
    return True


def _all_plainly_valid(docs: list[Document], vocab: Vocabulary) -> bool:
    if not _bundled_is_known():
        return False
    memo: dict[tuple[str, str], Any] = {}
    return all(_plainly_valid(project(item, vocab, memo)[0]) for doc in docs for item in doc.items)


_ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "$defs", "definitions", "title", "description", "examples",
                          "default", "deprecated", "readOnly", "writeOnly"})
# Top-level keywords whose errors depend only on the instance's keys (given "type": "object").
_KEYS_ONLY = frozenset({"type", "required", "additionalProperties"})


class _Checker:
    """``validator.iter_errors`` for item instances, the same errors in the same order, done once per value.

    Most item schemas are an object schema with ``properties``, ``required`` and a boolean
    ``additionalProperties``. Then the errors of a property depend only on its value (jsonschema's
    ``properties`` keyword descends into each present property with its subschema alone), and the
    errors of the other keywords only on which keys are present. Items repeat values (statuses,
    priorities, labels) and key sets, so each is validated once; titles and IDs, which are unique,
    are checked directly when their subschema is a plain string or array-of-strings check that
    cannot fail for them. Other schemas are validated whole, once per distinct instance.
    """

    def __init__(self, validator: Any) -> None:
        self.validator = validator
        schema = validator.schema
        self.split = (
            isinstance(schema, dict)
            and set(schema) <= _ANNOTATIONS | _KEYS_ONLY | {"properties"}
            and schema.get("type", "object") == "object"
            and isinstance(schema.get("additionalProperties", True), bool)
            and isinstance(schema.get("properties", {}), dict)
        )
        self.keywords = [k for k in schema if k not in _ANNOTATIONS] if self.split else []
        self.props: dict[str, Any] = schema.get("properties", {}) if self.split else {}
        self.plain = {name: _plain(sub) for name, sub in self.props.items()}
        self.skeleton: Any = None
        if self.split:
            skeleton = {k: v for k, v in schema.items() if k in _KEYS_ONLY or k == "properties"}
            skeleton["properties"] = dict.fromkeys(self.props, True)
            from referencing import Registry

            self.skeleton = type(validator)(skeleton, registry=Registry())
        self.by_keys: dict[tuple[str, ...], list[Any]] = {}  # key tuple -> plan
        self.by_value: dict[tuple[str, Any], list[Any]] = {}
        self.by_instance: dict[Any, list[Any]] = {}

    def errors(self, data: dict[str, Any]) -> list[Any]:
        if not self.split:
            key = _frozen(data)
            if key is None:
                return list(self.validator.iter_errors(data))
            found = self.by_instance.get(key)
            if found is None:
                found = self.by_instance[key] = list(self.validator.iter_errors(data))
            return found
        keys = tuple(data)
        plan = self.by_keys.get(keys)
        if plan is None:
            plan = self.by_keys[keys] = self._plan(keys)
        out: list[Any] = []
        for step in plan:
            if isinstance(step, str):
                out.extend(self._property(step, data[step]))
            else:
                out.extend(step)
        return out

    def _plan(self, keys: tuple[str, ...]) -> list[Any]:
        """For instances with these keys: the errors that depend on the keys alone, and the properties
        to check, in the order jsonschema reports them (schema keyword order, then property order)."""
        by_key = list(self.skeleton.iter_errors(dict.fromkeys(keys)))
        plan: list[Any] = []
        for kw in self.keywords:
            if kw == "properties":
                plan.extend(name for name in self.props if name in keys)
            else:
                errs = [e for e in by_key if e.validator == kw]
                if errs:
                    plan.append(errs)
        return plan

    def _property(self, name: str, value: Any) -> list[Any]:
        sub = self.props[name]
        plain = self.plain[name]
        if plain is not None and plain(value):
            return []
        frozen = _frozen(value)
        if frozen is None:
            return list(self.validator.descend(value, sub, path=name, schema_path=name))
        key = (name, frozen)
        found = self.by_value.get(key)
        if found is None:
            found = self.by_value[key] = list(self.validator.descend(value, sub, path=name, schema_path=name))
        return found


_STRING_KEYS = frozenset({"type", "minLength", "maxLength"})
_ARRAY_KEYS = frozenset({"type", "items", "minItems", "maxItems"})


def _plain(sub: Any) -> Any:
    """For a subschema that is only a string (or array of strings) check, a test that is True when the
    value surely passes it; None for any other subschema."""
    if sub is True:
        return lambda value: True
    if not isinstance(sub, dict):
        return None
    keys = set(sub) - _ANNOTATIONS
    bounds = [sub.get(k, d) for k, d in (("minLength", 0), ("maxLength", None), ("minItems", 0), ("maxItems", None))]
    if not all(b is None or (isinstance(b, int) and not isinstance(b, bool)) for b in bounds):
        return None
    low, high, low_items, high_items = bounds
    assert low is not None and low_items is not None  # their defaults are 0
    if sub.get("type") == "string" and keys <= _STRING_KEYS:
        return lambda value: isinstance(value, str) and low <= len(value) and (high is None or len(value) <= high)
    if sub.get("type") == "array" and keys <= _ARRAY_KEYS:
        each = _plain(sub.get("items", True))
        if each is None:
            return None
        return lambda value: (isinstance(value, list) and low_items <= len(value)
                              and (high_items is None or len(value) <= high_items) and all(map(each, value)))
    return None


def _frozen(value: Any) -> Any:
    """A hashable stand-in for a projected value or instance (None when there is none)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        if all(isinstance(v, str) for v in value):
            return ("\0list", *value)
        return None
    if isinstance(value, dict):
        parts = []
        for k, v in value.items():
            f = _frozen(v)
            if f is None:
                return None
            parts.append((k, f))
        return ("\0dict", *parts)
    return None


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
