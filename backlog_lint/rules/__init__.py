"""The rule registry: the rules that the modules of this package define, sorted by code.

A rule module defines its rule with ``@rule`` under the module's own name
(``rules/heading_without_space.py`` defines ``heading_without_space``); a module may define a few
closely related rules (``parse_problems.py``: the problems the parser records). Adding a rule is
adding its module: nothing here lists them."""

from __future__ import annotations

import importlib
import pkgutil

from backlog_lint.rules._rule import Context, Rule, rule


def _discover() -> tuple[Rule, ...]:
    found: list[Rule] = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        mine = [obj for obj in vars(module).values()
                if isinstance(obj, Rule) and obj.check.__module__ == module.__name__]
        if not mine:
            raise ImportError(f"backlog_lint/rules/{info.name}.py defines no rule: a module of this package "
                              "declares one with @rule (helpers go in modules whose names start with '_')")
        found.extend(mine)
    codes = [r.code for r in found]
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        raise ImportError(f"rule codes declared twice: {', '.join(twice)}")
    return tuple(sorted(found, key=lambda r: r.code))


ALL_RULES: tuple[Rule, ...] = _discover()

BY_CODE: dict[str, Rule] = {r.code: r for r in ALL_RULES}

# Rules declared per_file run where a document is parsed; the others compare documents.
PER_FILE_RULES: tuple[Rule, ...] = tuple(r for r in ALL_RULES if r.per_file)

__all__ = ["ALL_RULES", "BY_CODE", "PER_FILE_RULES", "Context", "Rule", "rule"]
