"""The rules' metadata (code, name, tier, scope, severity) without importing the rule modules.

Selecting rules by code, checking a selector and reusing a cached run need only what the catalog
(``catalog.tsv``, written with the rule docs by ``python -m backlog_lint.gendocs``) records of each module; a
rule module is imported when one of its rules runs or its explanation is read. A module the
catalog does not know, or whose source differs from the one catalogued (by hash), is imported now
and described from its rules, so a new or edited module is never missed; the catalog only saves
the imports. tests/test_rule_registry.py fails when the catalog is stale.
"""

from __future__ import annotations

import hashlib
import pkgutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backlog_lint.diagnostics import Severity

if TYPE_CHECKING:
    from backlog_lint.rules._rule import Rule

_HERE = Path(__file__).parent
CATALOG = "catalog.tsv"  # beside this module


@dataclass(frozen=True, slots=True)
class RuleRef:
    """A rule known by its metadata; anything else (``check``, ``summary``, ``explanation``...) is
    read from the rule itself, imported on first use."""

    code: str
    name: str
    module: str  # the rule module's name under backlog_lint/rules/
    fixable: bool
    severity: Severity
    preview: bool
    per_file: bool
    after_suppressions: bool

    @property
    def default(self) -> bool:
        """On in a run with no selection of its own."""
        return not self.preview

    def load(self) -> Rule:
        """The rule itself (looked up in the package's rules each time: tests replace them)."""
        from backlog_lint import rules

        for r in rules.ALL_RULES:
            if r.code == self.code:
                return r
        raise LookupError(f"no rule {self.code} in backlog_lint/rules/{self.module}.py")

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):  # pickle's and copy's probes: not the rule's
            raise AttributeError(attr)
        return getattr(self.load(), attr)


def source_hash(module: str) -> str:
    """What the catalog compares a rule module's source by."""
    return hashlib.sha256((_HERE / f"{module}.py").read_bytes()).hexdigest()[:16]


def module_names() -> list[str]:
    """The rule modules of the package, sorted (helpers' names start with '_')."""
    return sorted(i.name for i in pkgutil.iter_modules([str(_HERE)]) if not i.name.startswith("_"))


def defined_rules(module: str) -> list[Rule]:
    """The rules a module defines (importing it)."""
    import importlib

    from backlog_lint.rules._rule import Rule

    mod = importlib.import_module(f"backlog_lint.rules.{module}")
    mine = [obj for obj in vars(mod).values() if isinstance(obj, Rule) and obj.check.__module__ == mod.__name__]
    if not mine:
        raise ImportError(f"backlog_lint/rules/{module}.py defines no rule: a module of this package "
                          "declares one with @rule (helpers go in modules whose names start with '_')")
    return mine


def describe(module: str) -> list[RuleRef]:
    """The metadata of the rules a module defines (importing it)."""
    return [RuleRef(r.code, r.name, module, r.fixable, r.severity, r.preview, r.per_file, r.after_suppressions)
            for r in defined_rules(module)]


_COLUMNS = ("module", "source hash", "code", "name", "fixable", "severity", "preview", "per_file",
            "after_suppressions")


def _catalog() -> dict[str, tuple[str, list[RuleRef]]]:
    """module -> (the hash of its source, its rules), as the catalog records them."""
    out: dict[str, tuple[str, list[RuleRef]]] = {}
    for line in (_HERE / CATALOG).read_text(encoding="utf-8").splitlines()[1:]:
        module, digest, code, name, fixable, severity, preview, per_file, after = line.split("\t")
        ref = RuleRef(code, name, module, fixable == "1", Severity(severity), preview == "1", per_file == "1",
                      after == "1")
        out.setdefault(module, (digest, []))[1].append(ref)
    return out


def _fresh(module: str, entry: tuple[str, list[RuleRef]] | None) -> list[RuleRef] | None:
    """The catalog's rules of a module, if its source is the one catalogued."""
    if entry is None:
        return None
    try:
        return entry[1] if source_hash(module) == entry[0] else None
    except OSError:  # no source (bytecode only): describe it from the module
        return None


_REFS: tuple[RuleRef, ...] | None = None


def rule_refs() -> tuple[RuleRef, ...]:
    """Every rule of the package, sorted by code (once per process)."""
    global _REFS
    if _REFS is None:
        catalog = _catalog()
        found: list[RuleRef] = []
        for module in module_names():
            refs = _fresh(module, catalog.get(module))
            found.extend(refs if refs is not None else describe(module))
        _REFS = tuple(sorted(found, key=lambda r: r.code))
    return _REFS


def catalog_text() -> str:
    """The text of the catalog for the rule modules as they are (every module imported)."""
    lines = ["\t".join(_COLUMNS)]
    for module in module_names():
        digest = source_hash(module)
        for r in sorted(describe(module), key=lambda r: r.code):
            flags = ["1" if f else "0" for f in (r.preview, r.per_file, r.after_suppressions)]
            lines.append("\t".join([module, digest, r.code, r.name, "1" if r.fixable else "0", r.severity.value,
                                    *flags]))
    return "\n".join(lines) + "\n"
