"""Every rule's documented Example triggers it, and its Use-instead block does not.

Each block is linted on its own as BACKLOG.md in an empty project, with only that rule
selected, so the documentation stays honest as the rules change. A section may hold a
```toml block (the project's config) and a ```json block (written as item.schema.json for a
`schema = "item.schema.json"` config) before its ```markdown block.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from backlog_lint.rules import ALL_RULES, Rule
from tests.helpers import NEEDS_A_BASE, lint_text


def code_blocks(rule: Rule, title: str) -> dict[str, str]:
    """The fenced blocks of a `## title` section by language (no language: markdown), fence-aware.

    (Rule.code_block cuts a section at the first "\n## ", which may be a heading inside the
    example, and a ```` fence at its first inner ```.)
    """
    section = None
    fence = ""
    lang = ""
    body: list[str] = []
    out: dict[str, str] = {}
    for line in rule.explanation.splitlines():
        stripped = line.strip()
        if fence:
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                out.setdefault(lang, "\n".join(body) + "\n")
                fence, body = "", []
            else:
                body.append(line)
            continue
        if line.startswith("## "):
            section = line[3:].strip()
            continue
        if section == title and stripped.startswith(("```", "~~~")):
            marker = stripped[0]
            fence = stripped[: len(stripped) - len(stripped.lstrip(marker))]
            lang = stripped[len(fence):].strip() or "markdown"
    return out


def code_block(rule: Rule, title: str, lang: str = "markdown") -> str:
    return code_blocks(rule, title).get(lang, "")


def lint_section(rule: Rule, title: str, tmp_path: Path) -> list:
    blocks = code_blocks(rule, title)
    toml = blocks.get("toml")
    if "json" in blocks:
        (tmp_path / "item.schema.json").write_text(blocks["json"], encoding="utf-8")
    return [d for d in lint_text(tmp_path, blocks["markdown"], select=(rule.code,), toml=toml) if d.code == rule.code]


# rules whose Example is one file among sibling files (their fixture: tests/fixtures/workspaces/bl210_*, bl317_*)
NEEDS_SIBLING_FILES = frozenset({"BL210", "BL317"})
WITH_EXAMPLE = [r for r in ALL_RULES if code_block(r, "Example").strip()
                and r.code not in NEEDS_A_BASE | NEEDS_SIBLING_FILES]
WITH_USE_INSTEAD = [r for r in ALL_RULES if code_block(r, "Use instead").strip()]


def _ids(r: Rule) -> str:
    return f"{r.code}-{r.name}"


@pytest.mark.parametrize("rule", WITH_EXAMPLE, ids=_ids)
def test_example__triggers_the_rule(rule: Rule, tmp_path: Path) -> None:
    assert lint_section(rule, "Example", tmp_path), f"{rule.code} Example does not trigger it"


@pytest.mark.parametrize("rule", WITH_USE_INSTEAD, ids=_ids)
def test_use_instead__is_clean(rule: Rule, tmp_path: Path) -> None:
    found = [f"{d.span} {d.message}" for d in lint_section(rule, "Use instead", tmp_path)]
    assert not found, f"{rule.code} Use instead still triggers it: {found}"


def test_every_workspace_rule_documents_its_sections() -> None:
    for rule in ALL_RULES:
        if rule.code < "BL301":
            continue
        titles = [line[3:].strip() for line in rule.explanation.splitlines() if line.startswith("## ")]
        for title in ("What it does", "Why is this bad?", "Example", "Use instead", "Fix"):
            assert title in titles, f"{rule.code} lacks a '## {title}' section"
        assert code_block(rule, "Example").strip(), f"{rule.code} Example has no ```markdown block"
