"""Rule selectors (`select`, `extend-select`, `ignore`, `per-file-ignores`): codes, prefixes, `ALL`."""

from __future__ import annotations

HINT = "`backlog-lint rule --all` lists the codes"


def matches_no_rule(selector: str) -> bool:
    """Whether a selector (``BL201``, ``BL2``, ``ALL``) names no rule: then it is a typo, never a no-op."""
    from backlog_lint.rules._registry import rule_refs

    return selector != "ALL" and not any(r.code.startswith(selector) for r in rule_refs())


def unknown_selectors(selectors: tuple[str, ...] | list[str]) -> list[str]:
    """The selectors of ``selectors`` that match no rule, in the order given."""
    return [s for s in selectors if matches_no_rule(s)]
