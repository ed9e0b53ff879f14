"""The rule registry: the rules that the modules of this package define, sorted by code.

A rule module defines its rule with ``@rule`` under the module's own name
(``rules/heading_without_space.py`` defines ``heading_without_space``); a module may define a few
closely related rules (``parse_problems.py``: the problems the parser records). Adding a rule is
adding its module: nothing here lists them.

``ALL_RULES``, ``BY_CODE`` and ``PER_FILE_RULES`` import every rule module on first use; choosing
rules by code needs only their metadata (``_registry.rule_refs``), which imports none."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from backlog_lint.rules._rule import Context, Rule, rule

if TYPE_CHECKING:  # made on first use by __getattr__ below
    ALL_RULES: tuple[Rule, ...]
    BY_CODE: dict[str, Rule]
    PER_FILE_RULES: tuple[Rule, ...]


def _discover() -> tuple[Rule, ...]:
    from backlog_lint.rules._registry import defined_rules, module_names

    found = [r for name in module_names() for r in defined_rules(name)]
    codes = [r.code for r in found]
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        raise ImportError(f"rule codes declared twice: {', '.join(twice)}")
    return tuple(sorted(found, key=lambda r: r.code))


def __getattr__(name: str) -> Any:
    if name not in ("ALL_RULES", "BY_CODE", "PER_FILE_RULES"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    found = _discover()
    globals().update(ALL_RULES=found, BY_CODE={r.code: r for r in found},
                     # Rules declared per_file run where a document is parsed; the others compare documents.
                     PER_FILE_RULES=tuple(r for r in found if r.per_file))
    return globals()[name]


__all__ = ["ALL_RULES", "BY_CODE", "PER_FILE_RULES", "Context", "Rule", "rule"]
