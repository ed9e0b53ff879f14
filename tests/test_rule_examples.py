"""Every rule's documented Example triggers it, and its Use-instead block does not.

Each block is linted on its own as BACKLOG.md in an empty project, with only that rule
selected, so the documentation stays honest as the rules change.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from backlog_lint.rules import ALL_RULES, Rule
from tests.helpers import NEEDS_A_BASE, lint_text


def code_block(rule: Rule, title: str) -> str:
    """The first fenced block of a `## title` section, fence-aware.

    (Rule.code_block cuts a section at the first "\n## ", which may be a heading inside
    the example, and a ```` fence at its first inner ```.)
    """
    section = None
    fence = ""
    body: list[str] = []
    for line in rule.explanation.splitlines():
        stripped = line.strip()
        if fence:
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                return "\n".join(body) + "\n"
            body.append(line)
            continue
        if line.startswith("## "):
            section = line[3:].strip()
            continue
        if section == title and stripped.startswith(("```", "~~~")):
            marker = stripped[0]
            fence = stripped[: len(stripped) - len(stripped.lstrip(marker))]
    return ""


WITH_EXAMPLE = [r for r in ALL_RULES if code_block(r, "Example").strip() and r.code not in NEEDS_A_BASE]
WITH_USE_INSTEAD = [r for r in ALL_RULES if code_block(r, "Use instead").strip()]


def _ids(r: Rule) -> str:
    return f"{r.code}-{r.name}"


@pytest.mark.parametrize("rule", WITH_EXAMPLE, ids=_ids)
def test_example__triggers_the_rule(rule: Rule, tmp_path: Path) -> None:
    diags = lint_text(tmp_path, code_block(rule, "Example"), select=(rule.code,))
    assert any(d.code == rule.code for d in diags), f"{rule.code} Example does not trigger it"


@pytest.mark.parametrize("rule", WITH_USE_INSTEAD, ids=_ids)
def test_use_instead__is_clean(rule: Rule, tmp_path: Path) -> None:
    diags = lint_text(tmp_path, code_block(rule, "Use instead"), select=(rule.code,))
    found = [f"{d.span} {d.message}" for d in diags if d.code == rule.code]
    assert not found, f"{rule.code} Use instead still triggers it: {found}"


def test_every_workspace_rule_documents_its_sections() -> None:
    for rule in ALL_RULES:
        if rule.code < "BL301":
            continue
        titles = [line[3:].strip() for line in rule.explanation.splitlines() if line.startswith("## ")]
        for title in ("What it does", "Why is this bad?", "Example", "Use instead", "Fix"):
            assert title in titles, f"{rule.code} lacks a '## {title}' section"
        assert code_block(rule, "Example").strip(), f"{rule.code} Example has no ```markdown block"
