"""The README rule table and docs/rules are generated from the registry and kept in sync."""

from __future__ import annotations

from backlog_lint.gendocs import rule_page, updated_readme
from backlog_lint.rules import ALL_RULES
from tests.conftest import REPO


def test_readme__rule_table_in_sync() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert updated_readme(text) == text, "README rule table is stale: run `python -m backlog_lint.gendocs`"


def test_docs__one_page_per_rule_in_sync() -> None:
    pages = {p.name for p in (REPO / "docs" / "rules").glob("BL*.md")}
    assert pages == {f"{r.code}.md" for r in ALL_RULES}
    for r in ALL_RULES:
        assert (REPO / "docs" / "rules" / f"{r.code}.md").read_text(encoding="utf-8") == rule_page(r.code)


def test_registry__codes_unique_sorted_and_documented() -> None:
    codes = [r.code for r in ALL_RULES]
    assert codes == sorted(codes) and len(set(codes)) == len(codes)
    names = [r.name for r in ALL_RULES]
    assert len(set(names)) == len(names)
    for r in ALL_RULES:
        assert r.code.startswith("BL") and len(r.code) == 5
        assert r.name == r.name.lower() and " " not in r.name
        for section in ("What it does", "Why is this bad?", "Fix"):
            assert r.section(section), f"{r.code} lacks '## {section}'"


def test_readme__links_are_absolute() -> None:
    """The README is also the package index's project page, where a relative link leads nowhere."""
    import re

    text = (REPO / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)\s]+)\)", text)
    assert targets
    relative = [t for t in targets if not t.startswith(("https://", "#"))]
    assert not relative, f"relative links in README.md: {relative}"


def test_package__license_file_and_urls() -> None:
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n") and "THE SOFTWARE IS PROVIDED \"AS IS\"" in text
    assert project["license-files"] == ["LICENSE"]
    urls = project["urls"]
    assert {"Homepage", "Repository", "Issues", "Documentation"} <= set(urls)
    assert all(u.startswith("https://") for u in urls.values())


def test_schemas__id_is_the_address_of_the_file() -> None:
    """Editors (Taplo, VS Code) fetch a schema by its `$id`: it must be where the file is served raw."""
    import json

    base = "https://raw.githubusercontent.com/backlog-lint/backlog-lint/main/"
    for path in sorted((REPO / "schemas").glob("*.schema.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["$id"] == base + path.relative_to(REPO).as_posix(), path.name
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert base + "schemas/config.schema.json" in readme  # the editor set-up names it


def test_readme__shell_completion_commands_work() -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    exe = Path(sys.executable).parent / "backlog-lint"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "_BACKLOG_LINT_COMPLETE=bash_source backlog-lint" in readme
    env = {**os.environ, "_BACKLOG_LINT_COMPLETE": "bash_source"}
    script = subprocess.run([str(exe)], env=env, capture_output=True, text=True, timeout=60, check=True).stdout
    assert "_backlog_lint_completion" in script
    env = {**os.environ, "_BACKLOG_LINT_COMPLETE": "bash_complete", "COMP_WORDS": "backlog-lint che",
           "COMP_CWORD": "1"}
    words = subprocess.run([str(exe)], env=env, capture_output=True, text=True, timeout=60, check=True).stdout
    assert "plain,check" in words.splitlines()
