"""The whole-run cache: an unchanged project reuses its findings; any input that matters invalidates them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from backlog_lint import pipeline
from backlog_lint.cli import main
from backlog_lint.pipeline import checking
from tests.helpers import config_for, write_tree

BACKLOG = """# Backlog

## T-1: Write the parser

- **Status:** In Progress
- **Depends on:** T-2

See [the notes](notes/design.md).

## T-2: Design the model

- **Status:** Done
"""


@pytest.fixture(autouse=True)
def _user_cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


def _project(root: Path) -> None:
    write_tree(root, {"BACKLOG.md": BACKLOG, "TODO.md": "- [ ] T-3: tidy up\n", "notes/design.md": "# Design\n"})
    config_for(root, 'include = ["BACKLOG.md", "TODO.md"]\nextend-select = ["BL204"]\n')


def _run(root: Path, *, rules: tuple[str, ...] | None = None, files: list[Path] | None = None) -> pipeline.CheckRun:
    cfg = config_for(root, 'include = ["BACKLOG.md", "TODO.md"]\nextend-select = ["BL204"]\n')
    chosen = pipeline.select_rules(cfg, rules)
    requested = files if files is not None else pipeline.resolve_paths(cfg, [], root)
    return pipeline.Pipeline(cfg, chosen, root, pipeline.make_cache(cfg)).check(requested)


def _no_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_a: object, **_k: object) -> None:
        raise AssertionError("parsed although nothing changed")

    monkeypatch.setattr(checking, "parse_files", fail)


def test_run_cache__unchanged_project_reuses_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _project(tmp_path)
    first = _run(tmp_path)
    assert first.workspace is not None and first.diagnostics
    with monkeypatch.context() as m:
        _no_parse(m)
        second = _run(tmp_path)
    assert second.workspace is None
    assert second.diagnostics == first.diagnostics
    assert second.sources() == first.sources()


def test_run_cache__a_changed_file_runs_again(tmp_path: Path) -> None:
    _project(tmp_path)
    _run(tmp_path)
    (tmp_path / "TODO.md").write_text("- [ ] T-3: tidy up\n- [ ] T-1: duplicate id\n", encoding="utf-8")
    second = _run(tmp_path)
    assert second.workspace is not None
    assert "BL301" in {d.code for d in second.diagnostics}


def test_run_cache__other_rules_or_files_are_other_runs(tmp_path: Path) -> None:
    _project(tmp_path)
    _run(tmp_path)
    assert _run(tmp_path, rules=("BL301",)).workspace is not None
    assert _run(tmp_path, files=[tmp_path / "TODO.md"]).workspace is not None


def test_run_cache__a_linked_file_that_disappears_invalidates(tmp_path: Path) -> None:
    _project(tmp_path)
    assert "BL305" not in {d.code for d in _run(tmp_path).diagnostics}
    (tmp_path / "notes" / "design.md").unlink()
    after = _run(tmp_path)
    assert after.workspace is not None
    assert "BL305" in {d.code for d in after.diagnostics}
    (tmp_path / "notes" / "design.md").write_text("# Design\n", encoding="utf-8")
    assert "BL305" not in {d.code for d in _run(tmp_path).diagnostics}


def test_run_cache__cli_output_same_cold_and_warm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for fmt in ("full", "github", "sarif", "concise"):
        cold = runner.invoke(main, ["check", "--output-format", fmt, "--no-cache"])
        warm1 = runner.invoke(main, ["check", "--output-format", fmt])
        warm2 = runner.invoke(main, ["check", "--output-format", fmt])
        assert cold.exit_code == warm1.exit_code == warm2.exit_code, fmt
        assert cold.output == warm1.output == warm2.output, fmt
        assert "BL204" in cold.output, fmt


def test_report_cache__kept_report_is_reused_and_never_stale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rendered report kept with a run: reused as is for the same run and view (no findings
    unpickled, nothing rendered), and never for a changed file, a changed probe, another view or option."""
    from backlog_lint.cli import output

    _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    views = (["--output-format", "concise"], ["--output-format", "full"], ["--output-format", "json"],
             ["--output-format", "grouped"], ["--statistics"], ["--quiet"], ["--exit-zero"], ["--show-fixes"])

    def outputs() -> list[tuple[int, str]]:
        return [(r.exit_code, r.output) for r in (runner.invoke(main, ["check", *v]) for v in views)]

    def cold() -> list[tuple[int, str]]:
        return [(r.exit_code, r.output) for r in (runner.invoke(main, ["check", "--no-cache", *v]) for v in views)]

    expected = cold()
    assert outputs() == expected  # rendered and kept
    with monkeypatch.context() as m:
        def no_render(*_a: object, **_k: object) -> str:
            raise AssertionError("rendered again although nothing changed")

        m.setattr(output, "_render", no_render)
        m.setattr("backlog_lint.cli.check._render", no_render)
        assert outputs() == expected  # every view from its kept report
    assert len({o for _, o in expected}) >= 5  # the views differ
    # a changed file: a new run, a new report
    (tmp_path / "TODO.md").write_text("- [ ] T-3: tidy up\n- [ ] T-1: duplicate id\n", encoding="utf-8")
    changed = cold()
    assert changed != expected and "BL301" in changed[0][1]
    assert outputs() == changed
    # what a rule looked up on disk changed (a linked file went): not the kept report
    (tmp_path / "notes" / "design.md").unlink()
    gone = cold()
    assert "BL305" in gone[0][1]
    assert outputs() == gone
    # back as it was: the first report again, its findings as a cold run finds them
    (tmp_path / "notes" / "design.md").write_text("# Design\n", encoding="utf-8")
    (tmp_path / "TODO.md").write_text("- [ ] T-3: tidy up\n", encoding="utf-8")
    assert outputs() == expected == cold()
    # another config: another run
    config_for(tmp_path, 'include = ["BACKLOG.md", "TODO.md"]\n')
    assert outputs() == cold() != expected


def test_run_cache__fix_always_builds_the_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    runner.invoke(main, ["check"])
    runner.invoke(main, ["check"])
    fixed = runner.invoke(main, ["check", "--fix"])
    assert fixed.exit_code in (0, 1), fixed.output
    assert "- **Dependencies:** T-2" in (tmp_path / "BACKLOG.md").read_text(encoding="utf-8")


def test_config_validation__remembered_per_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from backlog_lint import config

    calls: list[dict] = []
    real = config._validate
    monkeypatch.setattr(config, "_validate", lambda data, where: (calls.append(data), real(data, where)))
    (tmp_path / ".backlog-lint.toml").write_text('include = ["*.md"]\n', encoding="utf-8")
    config.load_config(tmp_path)
    config.load_config(tmp_path)
    assert len(calls) == 1  # the second load trusts the marker
    (tmp_path / ".backlog-lint.toml").write_text('include = ["*.md"]\nbogus = 1\n', encoding="utf-8")
    for _ in range(2):  # an invalid config is never remembered
        with pytest.raises(config.ConfigError, match="bogus"):
            config.load_config(tmp_path)
    assert len(calls) == 3
