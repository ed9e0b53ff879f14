"""YAML front matter, loaded safely and with a bound on alias expansion."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

MAX_ALIASES = 20  # bounds expansion (k levels of k aliases stay small); real front matter uses few
MAX_DEPTH = 50
_KEY_LINE_RE = re.compile(r"^(?P<key>[A-Za-z_][\w -]*?)\s*:(?:\s|$)")


@dataclass(slots=True)
class FrontMatterResult:
    data: dict[str, Any] | None  # with an error: the keys before the broken one, when they read alone
    error: str | None = None
    error_line: int = 0  # 1-based line within the front matter content


def load(content: str) -> FrontMatterResult:
    """Parse YAML front matter content. Never executes tags; bounds aliases and depth."""
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        aliases = 0
        depth = 0
        max_depth = 0
        for event in yaml.parse(content, Loader=loader_cls):
            if isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    return FrontMatterResult(None, f"front matter uses more than {MAX_ALIASES} YAML aliases "
                                             "(refusing to expand: possible alias bomb)", 1)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                max_depth = max(max_depth, depth)
                if max_depth > MAX_DEPTH:
                    return FrontMatterResult(None, f"front matter nests deeper than {MAX_DEPTH} levels", 1)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
        data = yaml.load(content, Loader=loader_cls)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return FrontMatterResult(_readable_part(content, line), f"broken YAML front matter: {problem}", line)
    if data is None:
        return FrontMatterResult({})
    if not isinstance(data, dict):
        return FrontMatterResult(None, f"front matter is a YAML {type(data).__name__}, expected a mapping of keys", 1)
    return FrontMatterResult({str(k): v for k, v in data.items()})


def _readable_part(content: str, error_line: int) -> dict[str, Any] | None:
    """The mapping of the top-level keys before the one the YAML error is in (`id`, `status` above a broken
    `accept:` line), or None when there are none or they do not read as a mapping on their own."""
    import yaml

    lines = content.split("\n")[: max(error_line - 1, 0)]
    while lines and not _KEY_LINE_RE.match(lines[-1] if lines else ""):
        lines.pop()  # back to the start of the key whose value holds the error
    if lines:
        lines.pop()
    if not lines:
        return None
    try:
        data = yaml.load("\n".join(lines), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    return {str(k): v for k, v in data.items()} if isinstance(data, dict) and data else None


def key_lines(content: str) -> dict[str, tuple[int, int, int]]:
    """Top-level key -> (0-based line, key end col, value start col) within the content."""
    out: dict[str, tuple[int, int, int]] = {}
    for i, line in enumerate(content.split("\n")):
        m = _KEY_LINE_RE.match(line)
        if m and m.group("key") not in out:
            rest = line[m.end():]
            vstart = m.end() + (len(rest) - len(rest.lstrip())) if rest.strip() else len(line)
            out[m.group("key")] = (i, m.end("key"), vstart)
    return out


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(as_text(v) for v in value)
    return str(value)


def scalar_text(raw: str) -> str:
    """A plain YAML scalar as written: a trailing comment and surrounding quotes removed."""
    text = raw.split(" #", 1)[0].strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    return text
