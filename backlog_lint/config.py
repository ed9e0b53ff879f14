"""Configuration: discovery, validation against schemas/config.schema.json, defaults."""

from __future__ import annotations

import contextlib
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backlog_lint.errors import ConfigError
from backlog_lint.text import normalise_key, normalise_word
from backlog_lint.vocab import DONE_STATUSES, FIELD_ALIASES, LIST_FIELDS, REFERENCE_FIELDS, STATUS_WORDS, Vocabulary

CONFIG_FILE = ".backlog-lint.toml"

# Names match in any case (discovery.matches), so each is written once.
DEFAULT_INCLUDE = (
    "**/{BACKLOG,TODO,ROADMAP,TASKS,KANBAN,TICKET}*.md",
    "**/{backlog,tasks,kanban}/**/*.md",
    "**/SPEC-*.md", "**/CP-*.md",
)
DEFAULT_EXCLUDE = ("**/node_modules/**", "**/.git/**", "**/.venv/**", "**/venv/**", "**/vendor/**",
                   "**/.backlog-lint-cache/**", "**/CHANGELOG*.md")
DEFAULT_FIELD_ORDER = ("status", "priority", "effort", "owner", "labels", "dependencies", "unlocks",
                       "related", "created", "updated", "due", "completed")


@dataclass(slots=True)
class Config:
    root: Path
    path: Path | None = None  # the config file, if any
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    select: tuple[str, ...] = ("ALL",)
    preview: bool = False  # also run the rules in the preview tier
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    schema: Path | None = None
    id_pattern: str | None = None
    id_families: tuple[str, ...] = ()
    field_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    field_order: tuple[str, ...] = DEFAULT_FIELD_ORDER
    status_values: tuple[str, ...] = tuple(STATUS_WORDS)
    done_statuses: tuple[str, ...] = tuple(sorted(DONE_STATUSES))
    status_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    status_emoji: dict[str, str] = field(default_factory=dict)
    labels: tuple[str, ...] = ()
    label_sources: tuple[str, ...] = ("legend", "config")
    reference_fields: tuple[str, ...] = REFERENCE_FIELDS
    cache_dir: str = ".backlog-lint-cache"
    baseline: Path | None = None  # findings to leave out of reports (baseline.py)
    origins: dict[str, str] = field(default_factory=dict)  # key -> where its value came from
    _vocab: Vocabulary | None = None
    _statuses: frozenset[str] | None = None

    @property
    def statuses(self) -> frozenset[str]:
        """The `status-values` as the model spells an item's status (`In Progress` -> `in-progress`),
        so that the values a project writes can be listed as it writes them."""
        if self._statuses is None:
            self._statuses = frozenset(self.vocab.status_of(v) or v.strip().lower() for v in self.status_values)
        return self._statuses

    @property
    def vocab(self) -> Vocabulary:
        if self._vocab is None:
            v = Vocabulary.default()
            for canonical, aliases in self.field_aliases.items():
                for a in (canonical, *aliases):
                    v.aliases[normalise_key(a)] = canonical
            for canonical, words in self.status_aliases.items():
                for w in (canonical, *words):
                    v.status[normalise_word(w)] = canonical
            v.status_emoji.update(self.status_emoji)
            v.done = frozenset(self.done_statuses)
            v.reference_fields = tuple(self.reference_fields)
            v.list_fields = tuple(dict.fromkeys((*LIST_FIELDS, *self.reference_fields)))
            self._vocab = v
        return self._vocab

    def fingerprint(self) -> str:
        """A stable digest of everything that can change results (cache key)."""
        import hashlib
        import json

        data = {k: v for k, v in self.as_dict().items()}
        if self.schema is not None and self.schema.is_file():
            data["schema-bytes"] = hashlib.sha256(self.schema.read_bytes()).hexdigest()
        return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()

    def as_dict(self) -> dict[str, Any]:
        return {
            "include": list(self.include),
            "exclude": list(self.exclude),
            "select": list(self.select),
            "preview": self.preview,
            "extend-select": list(self.extend_select),
            "ignore": list(self.ignore),
            "per-file-ignores": {k: list(v) for k, v in self.per_file_ignores.items()},
            "schema": str(self.schema) if self.schema else None,
            "id-pattern": self.id_pattern,
            "id-families": list(self.id_families),
            "field-aliases": {k: list(v) for k, v in self.field_aliases.items()},
            "field-order": list(self.field_order),
            "status-values": list(self.status_values),
            "done-statuses": list(self.done_statuses),
            "status-aliases": {k: list(v) for k, v in self.status_aliases.items()},
            "status-emoji": dict(self.status_emoji),
            "labels": list(self.labels),
            "label-sources": list(self.label_sources),
            "reference-fields": list(self.reference_fields),
            "cache-dir": self.cache_dir,
            "baseline": str(self.baseline) if self.baseline else None,
        }


def find_config(start: Path) -> tuple[Path | None, dict[str, Any] | None]:
    """Nearest .backlog-lint.toml, or pyproject.toml with [tool.backlog-lint], upward from start."""
    for directory in (start, *start.parents):
        candidate = directory / CONFIG_FILE
        if candidate.is_file():
            return candidate, _read_toml(candidate)
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file():
            data = _read_toml(pyproject)
            section = data.get("tool", {}).get("backlog-lint")
            if section is not None:
                return pyproject, section
    return None, None


def find_root(start: Path) -> Path:
    """The project root without a config file: the git work tree's top, else the current folder (when
    ``start`` lies in it: files given from several folders of one project share it), else ``start``."""
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return directory
    here = Path.cwd().resolve()
    return here if start == here or here in start.parents else start


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: not UTF-8 text (byte {exc.start}): save it as UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _known_valid_marker(data: dict[str, Any]) -> Path | None:
    """Where this user's cache remembers that exactly this config was valid for this version.

    Validating imports jsonschema, a fifth of a warm run's time; a config that passed once
    passes again, so the marker lets later runs skip it.
    """
    import hashlib
    import json

    from backlog_lint import __version__

    try:
        blob = json.dumps(data, sort_keys=True, default=repr).encode()
    except (TypeError, ValueError):
        return None
    digest = hashlib.sha256(__version__.encode() + b"\0" + blob).hexdigest()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "backlog-lint" / "valid-configs" / digest


def validate(data: dict[str, Any], where: str) -> None:
    """Validate raw config against the bundled schema; raise ConfigError naming the key."""
    if not data:
        return
    marker = _known_valid_marker(data)
    if marker is not None and marker.is_file():
        return
    _validate(data, where)
    if marker is not None:
        with contextlib.suppress(OSError):
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()


def _validate(data: dict[str, Any], where: str) -> None:
    from jsonschema import Draft202012Validator

    from backlog_lint.resources import load_schema

    schema = load_schema("config.schema.json")
    validator = Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if not errors:
        return
    e = errors[0]
    key = ".".join(str(p) for p in e.absolute_path)
    if e.validator == "additionalProperties":
        known = sorted(schema["properties"]) if not e.absolute_path else []
        extra = sorted(set(e.instance) - set(e.schema.get("properties", {})))
        from difflib import get_close_matches

        hint = ""
        if extra and known:
            close = get_close_matches(extra[0], known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known keys: {', '.join(known)}"
        name = ".".join([*map(str, e.absolute_path), extra[0]]) if extra else key
        raise ConfigError(f"{where}: unknown key {name!r}{hint}")
    expected = {
        "type": f"expected {e.validator_value}",
        "pattern": "expected a rule code such as 'BL201', a prefix such as 'BL2', or 'ALL'",
        "enum": f"expected one of {e.validator_value}",
        "minLength": "expected a non-empty string",
    }.get(str(e.validator), e.message)
    raise ConfigError(f"{where}: key {key or '(top level)'!r}: {expected} (got {e.instance!r})")


_KEYMAP = {
    "include": "include", "exclude": "exclude", "select": "select", "extend-select": "extend_select",
    "ignore": "ignore", "id-families": "id_families", "field-order": "field_order",
    "status-values": "status_values", "done-statuses": "done_statuses", "labels": "labels",
    "label-sources": "label_sources", "reference-fields": "reference_fields",
}


def load_config(cwd: Path, explicit: Path | None = None) -> Config:
    """The effective configuration for a run started in ``cwd``."""
    cwd = cwd.resolve()
    path: Path | None
    data: dict[str, Any] | None
    if explicit is not None:
        path = explicit.resolve()
        if not path.is_file():
            raise ConfigError(f"{explicit}: config file not found")
        data = _read_toml(path)
        if path.name == "pyproject.toml":
            data = data.get("tool", {}).get("backlog-lint", {})
    else:
        path, data = find_config(cwd)
    root = path.parent if path is not None else find_root(cwd)
    cfg = Config(root=root, path=path)
    for key in ("include", "exclude", "select", "status-values", "field-order"):
        cfg.origins[key] = "default"
    if path is None or data is None:
        return cfg
    where = str(path)
    validate(data, where)
    _check_selectors(data, where)
    origin = str(path.name if path.parent == cwd else path)
    for key, value in data.items():
        cfg.origins[key] = origin
        if key in ("include", "extend-include", "exclude"):
            _check_globs(value, where, key)
        if key in _KEYMAP:
            setattr(cfg, _KEYMAP[key], tuple(value))
        elif key == "extend-include":
            cfg.include = (*cfg.include, *value)
        elif key == "per-file-ignores":
            _check_globs(list(value), where, key)
            cfg.per_file_ignores = {k: tuple(v) for k, v in value.items()}
        elif key == "schema":
            schema = (root / value).resolve()
            if not schema.is_file():
                raise ConfigError(f"{where}: key 'schema': file {value!r} not found (relative to {root})")
            cfg.schema = schema
            _check_user_schema(schema, where)
        elif key == "id-pattern":
            cfg.id_pattern = _check_pattern(value, where)
        elif key in ("field-aliases", "status-aliases"):
            setattr(cfg, key.replace("-", "_"), {k: tuple(v) for k, v in value.items()})
        elif key == "status-emoji":
            cfg.status_emoji = dict(value)
        elif key == "cache-dir":
            cfg.cache_dir = value
        elif key == "preview":
            cfg.preview = bool(value)
        elif key == "baseline":
            cfg.baseline = root / value
    return cfg


def _check_selectors(data: dict[str, Any], where: str) -> None:
    """A rule code or prefix that matches no rule is an error, as on the command line: `select = ["BL999"]`
    would otherwise turn every rule off without a word."""
    from backlog_lint.selection import HINT, unknown_selectors

    lists: list[tuple[str, list[str]]] = [(k, data[k]) for k in ("select", "extend-select", "ignore") if k in data]
    lists += [(f"per-file-ignores.{glob}", codes) for glob, codes in data.get("per-file-ignores", {}).items()]
    for key, codes in lists:
        for code in unknown_selectors(codes):
            raise ConfigError(f"{where}: key {key!r}: {code!r} matches no rule; {HINT}")


def _check_pattern(pattern: str, where: str, key: str = "id-pattern") -> str:
    """Compile a user regex; reject patterns prone to catastrophic backtracking."""
    try:
        re.compile(pattern)
    except (re.error, OverflowError, RecursionError, ValueError) as exc:
        raise ConfigError(f"{where}: key {key!r}: invalid regular expression {pattern!r}: {exc}") from None
    if nested_repetition(pattern):
        raise ConfigError(f"{where}: key {key!r}: {pattern!r} repeats a group that itself repeats (like '(a+)+'), "
                          "which can take exponential time on some input; rewrite it without the nested repetition")
    return pattern


def nested_repetition(pattern: str) -> bool:
    """Whether a regex has a repeated group containing another unbounded repeat (the `(a+)+` shape)."""
    try:
        from re import _parser as sre_parse  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - Python < 3.11
        import sre_parse
    try:
        tree = sre_parse.parse(pattern)
    except Exception:
        return True
    repeats = {sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, getattr(sre_parse, "POSSESSIVE_REPEAT", None)}

    def walk(items: object, inside_repeat: bool) -> bool:
        for op, av in items:  # type: ignore[attr-defined]
            if op in repeats:
                _lo, hi, sub = av
                unbounded = hi == sre_parse.MAXREPEAT or hi > 10
                if unbounded and inside_repeat:
                    return True
                if walk(sub, inside_repeat or unbounded):
                    return True
            elif op == sre_parse.SUBPATTERN:
                if walk(av[-1], inside_repeat):
                    return True
            elif op == sre_parse.BRANCH:
                if any(walk(branch, inside_repeat) for branch in av[1]):
                    return True
            elif op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT) and walk(av[1], inside_repeat):
                return True
        return False

    return walk(tree, False)


def _check_globs(globs: list[str], where: str, key: str) -> None:
    from backlog_lint.discovery import GlobError, check_glob

    for g in globs:
        try:
            check_glob(g)
        except GlobError as exc:
            raise ConfigError(f"{where}: key {key!r}: invalid glob {g!r}: {exc}") from None


def _check_user_schema(path: Path, where: str) -> None:
    import json

    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read item schema: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}:{exc.lineno}:{exc.colno}: item schema is not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise ConfigError(f"{path}: item schema nests too deeply to read") from None
    try:
        Draft202012Validator.check_schema(data)
    except SchemaError as exc:
        loc = "/".join(str(p) for p in exc.absolute_path) or "(root)"
        raise ConfigError(f"{path}: not a valid JSON Schema at {loc}: {exc.message}") from None
    except RecursionError:
        raise ConfigError(f"{path}: item schema nests too deeply to read") from None
    for pattern in _schema_patterns(data):
        _check_pattern(pattern, str(path), "pattern")


def _schema_patterns(node: object, depth: int = 0) -> list[str]:
    """Every `pattern` (and `patternProperties` key) in a schema, to vet for backtracking."""
    out: list[str] = []
    if depth > 200:
        return out
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "pattern" and isinstance(v, str):
                out.append(v)
            elif k == "patternProperties" and isinstance(v, dict):
                out.extend(str(p) for p in v)
            out.extend(_schema_patterns(v, depth + 1))
    elif isinstance(node, list):
        for v in node:
            out.extend(_schema_patterns(v, depth + 1))
    return out


def canonical_fields() -> tuple[str, ...]:
    return tuple(FIELD_ALIASES)
