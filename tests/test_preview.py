"""The preview tier: rules off by default, on with --preview, `preview = true`, or by exact code."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from backlog_lint import pipeline
from backlog_lint.cli import main
from backlog_lint.config import load_config
from backlog_lint.rules import ALL_RULES, BY_CODE

# BL204 (field-alias, preview) and BL102 (consecutive-thematic-breaks, default) both fire here
TEXT = "# Backlog\n\n### T-1: Thing\n- **Prio:** P1\n\n---\n\n---\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "BACKLOG.md").write_text(TEXT, encoding="utf-8")
    return tmp_path


def codes(project: Path, *args: str, toml: str = "") -> set[str]:
    (project / ".backlog-lint.toml").write_text(toml, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--no-cache", "--output-format", "json-lines", *args, "BACKLOG.md"])
    assert result.exit_code in (0, 1), result.output
    import json

    return {json.loads(line)["code"] for line in result.stdout.splitlines() if line.strip()}


def test_preview__off_by_default_on_with_the_flag(project: Path) -> None:
    assert codes(project) == {"BL102"}
    assert codes(project, "--preview") == {"BL102", "BL204"}


def test_preview__on_with_the_config_key(project: Path) -> None:
    assert codes(project, toml="preview = true\n") == {"BL102", "BL204"}


def test_preview__exact_code_selects_it_a_prefix_does_not(project: Path) -> None:
    assert codes(project, "--extend-select", "BL204") == {"BL102", "BL204"}
    assert codes(project, "--select", "BL2") == set()
    assert codes(project, "--select", "BL2", "--preview") == {"BL204"}
    assert codes(project, toml='select = ["BL204"]\n') == {"BL204"}


def test_preview__cli_select_replaces_the_configs_extend_select(project: Path) -> None:
    assert codes(project, toml='extend-select = ["BL204"]\n') == {"BL102", "BL204"}
    assert codes(project, "--select", "BL1", toml='extend-select = ["BL204"]\n') == {"BL102"}


def test_preview__listed_in_rule_all_and_the_docs() -> None:
    preview = [r for r in ALL_RULES if r.preview]
    assert preview, "there are preview rules"
    out = CliRunner().invoke(main, ["rule", "--all"]).stdout
    for r in preview:
        line = next(line for line in out.splitlines() if line.startswith(r.code))
        assert line.endswith("(preview)"), line
    assert "Preview rule" in CliRunner().invoke(main, ["rule", preview[0].code]).stdout
    page = (Path(__file__).parent.parent / "docs" / "rules" / f"{preview[0].code}.md").read_text(encoding="utf-8")
    assert "**Preview rule**" in page


def test_preview__select_rules_api(tmp_path: Path) -> None:
    cfg = load_config(tmp_path)
    default = {r.code for r in pipeline.select_rules(cfg)}
    everything = {r.code for r in pipeline.select_rules(cfg, preview=True)}
    assert default == {r.code for r in ALL_RULES if not r.preview}
    assert everything == set(BY_CODE)
