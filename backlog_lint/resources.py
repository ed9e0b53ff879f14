"""Locate bundled data files (JSON Schemas) in a wheel or a source checkout."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def schema_path(name: str) -> Path:
    """Path of a bundled schema: inside the wheel, else the repository's schemas/ folder."""
    for base in (_HERE / "schemas", _HERE.parent / "schemas"):
        candidate = base / name
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"bundled schema {name!r} is missing from the installation (this is a bug in backlog-lint)")


def load_schema(name: str) -> dict:
    import json

    return json.loads(schema_path(name).read_text(encoding="utf-8"))
