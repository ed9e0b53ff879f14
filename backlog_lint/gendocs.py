"""Generate the README rule table, docs/rules/*.md and the rule catalog (``rules/catalog.tsv``) from the registry.

`python -m backlog_lint.gendocs` rewrites them; a test fails when they are out of date.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

START = "<!-- rules:start -->"
END = "<!-- rules:end -->"


def rule_table() -> str:
    """The README's table; links are absolute, so that they also work where the README is shown
    away from the repository (the package index)."""
    from backlog_lint.report._common import rule_url
    from backlog_lint.rules import ALL_RULES

    rows = ["| Code | Name | Fix | Severity | Tier | What it reports |",
            "|------|------|-----|----------|------|-----------------|"]
    for r in ALL_RULES:
        fix = "✔" if r.fixable else ""
        tier = "preview" if r.preview else "default"
        summary = r.summary.replace("|", "\\|")
        rows.append(f"| [{r.code}]({rule_url(r.code)}) | `{r.name}` | {fix} | {r.severity.value} | {tier} "
                    f"| {summary} |")
    return "\n".join(rows) + "\n"


def rule_page(code: str) -> str:
    from backlog_lint.rules import BY_CODE

    r = BY_CODE[code]
    fix = "Fix available with `--fix`." if r.fixable else "No automatic fix."
    tier = ("\n\n**Preview rule**: off by default; on with `--preview`, `preview = true` in the config, or when "
            "selected by its code (`--extend-select " + r.code + "`)." if r.preview else "")
    return f"# {r.code} {r.name}\n\nSeverity: **{r.severity.value}**. {fix}{tier}\n\n{r.explanation}\n"


def updated_readme(text: str) -> str:
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
    return pattern.sub(lambda _m: f"{START}\n{rule_table()}{END}", text)


def main(root: Path) -> int:
    from backlog_lint.rules import ALL_RULES

    readme = root / "README.md"
    readme.write_text(updated_readme(readme.read_text(encoding="utf-8")), encoding="utf-8")
    docs = root / "docs" / "rules"
    docs.mkdir(parents=True, exist_ok=True)
    wanted = {f"{r.code}.md" for r in ALL_RULES}
    for old in docs.glob("BL*.md"):
        if old.name not in wanted:
            old.unlink()
    for r in ALL_RULES:
        (docs / f"{r.code}.md").write_text(rule_page(r.code), encoding="utf-8")
    from backlog_lint.rules._registry import CATALOG, catalog_text

    (root / "backlog_lint" / "rules" / CATALOG).write_text(catalog_text(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()))
