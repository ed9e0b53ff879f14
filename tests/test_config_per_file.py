"""Each file gets its nearest config, whatever the order of the paths (issue 15, item 3)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from backlog_lint.cli import main
from tests.helpers import write_tree

BREAKS = "# Todo\n\n---\n\n---\n"  # BL102 (a warning) on line 5


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The root config ignores nothing; sub/ has its own config that ignores BL102."""
    write_tree(tmp_path, {".backlog-lint.toml": 'include = ["**/*.md"]\n', "TODO.md": BREAKS,
                          "sub/.backlog-lint.toml": 'include = ["**/*.md"]\nignore = ["BL102"]\n',
                          "sub/TODO.md": BREAKS})
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--no-cache", "--no-color", *args], catch_exceptions=False)
    return result.exit_code, result.stdout


def test_config__order_of_paths_does_not_matter(project: Path) -> None:
    """The config used to come from the first path: the two orders gave different findings."""
    first = check("sub/TODO.md", "TODO.md")
    second = check("TODO.md", "sub/TODO.md")
    assert first == second
    code, out = first
    assert code == 1
    assert "TODO.md:5:1: BL102" in out and "sub/TODO.md" not in out  # sub/ ignores BL102 in its config
    assert "Checked 2 files." in out


def test_config__explicit_config_governs_every_path(project: Path) -> None:
    code, out = check("--config", "sub/.backlog-lint.toml", "TODO.md", "sub/TODO.md")
    assert code == 0, out


def test_config__command_shows_the_config_a_file_gets(project: Path) -> None:
    result = CliRunner().invoke(main, ["config", "sub/TODO.md"], catch_exceptions=False)
    assert result.exit_code == 0
    assert f"# config file: {project / 'sub' / '.backlog-lint.toml'}" in result.stdout
    assert 'ignore = ["BL102"]' in result.stdout
    result = CliRunner().invoke(main, ["config", "TODO.md"], catch_exceptions=False)
    assert f"# config file: {project / '.backlog-lint.toml'}" in result.stdout
    assert 'ignore = []' in result.stdout


def test_config__baseline_across_configs_is_refused(project: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--write-baseline", "b.json", "TODO.md", "sub/TODO.md"])
    assert result.exit_code == 2 and "fall under different configs" in result.stderr
