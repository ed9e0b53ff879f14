"""The command line through click's CliRunner: exit codes, options, fixes written safely."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from backlog_lint import __version__
from backlog_lint.cli import main
from backlog_lint.resources import load_schema

BROKEN = """# Backlog

## Next (P1)

### T-1: Cache parsed models
- **Status:** Done
- **Prio:** P1

---

---

### T-2: Parallel parsing
- **Status:** Todo
- **Priority:** P1
"""

CLEAN = """# Backlog

### T-1: Cache parsed models
- **Status:** Done
- **Priority:** P1
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # BL204 (a preview rule: field names are a preference) is selected so these tests have a safe fix to apply
    (tmp_path / ".backlog-lint.toml").write_text('include = ["**/*.md"]\nextend-select = ["BL204"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_cli__clean_file_exits_0(project: Path) -> None:
    (project / "BACKLOG.md").write_text(CLEAN, encoding="utf-8")
    code, out, _ = run("BACKLOG.md")
    assert code == 0
    assert "All checks passed!" in out


def test_cli__findings_exit_1_and_concise_lines(project: Path) -> None:
    (project / "BACKLOG.md").write_text(BROKEN, encoding="utf-8")
    code, out, _ = run("check", "BACKLOG.md", "--no-color")
    assert code == 1
    assert "BACKLOG.md:11:1: BL102 [*] thematic break repeats the one on line 9 with nothing between" in out
    assert "BACKLOG.md:7:5: BL204 [*] field 'Prio' is an alias: write it as 'Priority'" in out
    assert "Found 2 problems (2 fixable with --fix)." in out


def test_cli__bare_invocation_is_check_on_project(project: Path) -> None:
    (project / "BACKLOG.md").write_text(BROKEN, encoding="utf-8")
    code, out, _ = run("--no-color")
    assert code == 1 and "BL102" in out


def test_cli__exit_zero_select_ignore(project: Path) -> None:
    (project / "BACKLOG.md").write_text(BROKEN, encoding="utf-8")
    assert run("BACKLOG.md", "--exit-zero")[0] == 0
    code, out, _ = run("BACKLOG.md", "--select", "BL1")
    assert "BL204" not in out and "BL102" in out and code == 1
    code, out, _ = run("BACKLOG.md", "--ignore", "BL102,BL204")
    assert code == 0


def test_cli__fix_writes_and_keeps_crlf_and_bom(project: Path) -> None:
    data = ("\ufeff" + BROKEN).replace("\n", "\r\n").encode("utf-8")
    path = project / "BACKLOG.md"
    path.write_bytes(data)
    os.chmod(path, 0o640)
    code, out, _ = run("--fix", "BACKLOG.md", "--no-color")
    assert code == 0, out
    fixed = path.read_bytes()
    assert fixed.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in fixed and b"\n" not in fixed.replace(b"\r\n", b"")
    text = fixed.decode("utf-8-sig").replace("\r\n", "\n")
    assert "- **Priority:** P1" in text and "**Prio:**" not in text
    assert text.count("---") == 1
    assert oct(path.stat().st_mode & 0o777) == oct(0o640)
    assert not list(project.glob(".backlog-lint-*.tmp"))


def test_cli__unchanged_file_not_rewritten(project: Path) -> None:
    path = project / "BACKLOG.md"
    path.write_text(CLEAN, encoding="utf-8")
    os.utime(path, (1_000_000_000, 1_000_000_000))
    assert run("--fix", "BACKLOG.md")[0] == 0
    assert path.stat().st_mtime == 1_000_000_000


def test_cli__diff_prints_and_writes_nothing(project: Path) -> None:
    path = project / "BACKLOG.md"
    path.write_text(BROKEN, encoding="utf-8")
    code, out, _ = run("check", "--diff", "BACKLOG.md")
    assert code == 1
    assert "--- a/BACKLOG.md" in out and "+- **Priority:** P1" in out and "-- **Prio:** P1" in out
    assert path.read_text(encoding="utf-8") == BROKEN


def test_cli__fix_read_only_file_reports_error_and_keeps_others(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ro = project / "A.md"
    rw = project / "B.md"
    ro.write_text(BROKEN, encoding="utf-8")
    rw.write_text(BROKEN, encoding="utf-8")
    os.chmod(ro, 0o444)
    if os.access(ro, os.W_OK):  # root ignores file modes: make the writer see what a user would
        import backlog_lint.writer as writer

        real = writer._writable
        monkeypatch.setattr(writer, "_writable", lambda p: p.name != "A.md" and real(p))
    try:
        code, _, err = run("--fix", "A.md", "B.md")
    finally:
        os.chmod(ro, 0o644)
    assert code == 2
    assert "A.md" in err and "read-only" in err
    assert ro.read_text(encoding="utf-8") == BROKEN
    assert "**Prio:**" not in rw.read_text(encoding="utf-8")


def test_cli__missing_path_is_usage_error(project: Path) -> None:
    code, _, err = run("check", "nope.md")
    assert code == 2 and "nope.md" in err


def test_cli__directory_as_file_is_a_finding(project: Path) -> None:
    (project / "dir.md").mkdir()
    (project / "dir.md" / "TODO.md").write_text(CLEAN, encoding="utf-8")
    code, _out, _ = run("check", "dir.md")
    assert code == 0


def test_cli__config_unknown_key_exit_2(project: Path) -> None:
    (project / ".backlog-lint.toml").write_text('includ = ["*.md"]\n', encoding="utf-8")
    code, _, err = run("check")
    assert code == 2
    assert "unknown key 'includ'" in err and "did you mean 'include'" in err


def test_cli__config_wrong_type_exit_2(project: Path) -> None:
    (project / ".backlog-lint.toml").write_text('select = "BL1"\n', encoding="utf-8")
    code, _, err = run("check")
    assert code == 2 and "'select'" in err and "expected array" in err


def test_cli__config_invalid_toml_exit_2(project: Path) -> None:
    (project / ".backlog-lint.toml").write_text('select = [\n', encoding="utf-8")
    code, _, err = run("check")
    assert code == 2 and "invalid TOML" in err


def test_cli__config_bad_regex_and_backtracking_pattern(project: Path) -> None:
    (project / ".backlog-lint.toml").write_text('id-pattern = "(a+)+$"\n', encoding="utf-8")
    code, _, err = run("check")
    assert code == 2 and "id-pattern" in err and "exponential" in err
    (project / ".backlog-lint.toml").write_text('id-pattern = "([A-Z"\n', encoding="utf-8")
    code, _, err = run("check")
    assert code == 2 and "invalid regular expression" in err


def test_cli__config_schema_not_json(project: Path) -> None:
    (project / "s.json").write_text("{ nope", encoding="utf-8")
    (project / ".backlog-lint.toml").write_text('schema = "s.json"\n', encoding="utf-8")
    code, _, err = run("check")
    assert code == 2 and "s.json:1:3" in err and "not valid JSON" in err
    (project / "s.json").write_text('{"type": 12}', encoding="utf-8")
    code, _, err = run("check")
    assert code == 2 and "not a valid JSON Schema" in err


def test_cli__user_schema_replaces_default(project: Path) -> None:
    (project / "s.json").write_text(json.dumps({
        "type": "object", "required": ["title", "owner"], "additionalProperties": False,
        "properties": {"id": {}, "title": {}, "status": {}, "owner": {}, "priority": {"enum": ["P1", "P2"]}}}),
        encoding="utf-8")
    (project / ".backlog-lint.toml").write_text('schema = "s.json"\ninclude = ["*.md"]\n', encoding="utf-8")
    (project / "BACKLOG.md").write_text(CLEAN.replace("- **Priority:** P1", "- **Priority:** P1\n- **Prio:** P3\n"
                                                      "- **Effrot:** 2d"), encoding="utf-8")
    code, out, _ = run("check", "--no-color", "--select", "BL2")
    assert code == 1
    assert "BACKLOG.md:3:10: BL201 item 'T-1' has no 'owner' field" in out
    assert "BL203 field 'Effrot' is not in the item schema; did you mean 'effort'" not in out  # effort not in schema
    assert "BL203 field 'Effrot' is not in the item schema" in out


def test_cli__config_command_shows_origins(project: Path) -> None:
    (project / ".backlog-lint.toml").write_text('ignore = ["BL104"]\n', encoding="utf-8")
    code, out, _ = run("config")
    assert code == 0
    assert 'ignore = ["BL104"]  # .backlog-lint.toml' in out
    assert "include = " in out and "# default" in out


def test_cli__rule_explain_and_list() -> None:
    code, out, _ = run("rule", "BL102")
    assert code == 0 and "# consecutive-thematic-breaks (BL102)" in out and "## Why is this bad?" in out
    code, out, _ = run("rule", "--all")
    assert code == 0 and "BL102 [*] consecutive-thematic-breaks" in out
    code, _, err = run("rule", "BL999")
    assert code == 2 and "unknown rule" in err


def test_cli__show_json_validates(project: Path) -> None:
    (project / "BACKLOG.md").write_text(BROKEN, encoding="utf-8")
    code, out, _ = run("show", "--json", "BACKLOG.md")
    assert code == 0
    data = json.loads(out)
    Draft202012Validator(load_schema("model.schema.json")).validate(data)
    assert [i["id"] for i in data["documents"][0]["items"]] == ["T-1", "T-2"]


def test_cli__show_tree(project: Path) -> None:
    (project / "BACKLOG.md").write_text(BROKEN, encoding="utf-8")
    code, out, _ = run("show", "BACKLOG.md")
    assert code == 0
    assert "heading 5:5 [T-1] 'Cache parsed models' status=done" in out
    assert "field 7:13 priority ('Prio'): 'P1'" in out


def test_cli__json_output_validates_against_findings_schema(project: Path) -> None:
    (project / "BACKLOG.md").write_text(BROKEN, encoding="utf-8")
    out_file = project / "report.json"
    code, out, _ = run("BACKLOG.md", "--output-format", "json", "--output-file", str(out_file))
    assert code == 1 and out == ""
    data = json.loads(out_file.read_text(encoding="utf-8"))
    Draft202012Validator(load_schema("findings.schema.json")).validate(data)
    assert {d["code"] for d in data} == {"BL102", "BL204"}


def test_cli__unknown_output_format(project: Path) -> None:
    code, _, err = run("--output-format", "yaml")
    assert code == 2 and "unknown --output-format" in err


def test_cli__no_color_env(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "BACKLOG.md").write_text(BROKEN, encoding="utf-8")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("FORCE_COLOR", "1")
    _, out, _ = run("BACKLOG.md")
    assert "\x1b[" not in out
    monkeypatch.delenv("NO_COLOR")
    _, out, _ = run("BACKLOG.md")
    assert "\x1b[" in out


def test_cli__statistics(project: Path) -> None:
    (project / "BACKLOG.md").write_text(BROKEN, encoding="utf-8")
    code, out, _ = run("BACKLOG.md", "--statistics", "--no-color")
    assert code == 1
    assert "BL102" in out and "BL204" in out and "consecutive-thematic-breaks" in out


def test_cli__version_does_not_import_heavy_modules() -> None:
    import subprocess
    import sys

    code = ("import sys; from backlog_lint.cli import main\n"
            "try:\n    main(['--version'])\nexcept SystemExit: pass\n"
            "heavy = [m for m in ('markdown_it', 'jsonschema', 'mdformat', 'yaml', 'rapidfuzz') if m in sys.modules]\n"
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("[]"), out
    code2 = code.replace("['--version']", "['rule', 'BL201']")
    out = subprocess.run([sys.executable, "-c", code2], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("[]"), out


def test_cli__parser_bug_is_exit_3_naming_the_file(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import backlog_lint.parser as parser_pkg

    (project / "BACKLOG.md").write_text(CLEAN, encoding="utf-8")

    def boom(*_a: object, **_k: object) -> None:
        raise ValueError("simulated parser bug")

    monkeypatch.setattr(parser_pkg, "parse_bytes", boom)
    code, _, err = run("check", "--no-cache", "BACKLOG.md")
    assert code == 3
    assert "parsing BACKLOG.md" in err and "bug in backlog-lint" in err and "simulated parser bug" in err


@pytest.mark.parametrize("per_file", [False, True], ids=["cross-file rule", "per-file rule"])
def test_cli__rule_bug_is_exit_3_naming_rule_and_file(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                      per_file: bool) -> None:
    import dataclasses

    from backlog_lint import rules

    (project / "BACKLOG.md").write_text(CLEAN, encoding="utf-8")

    def broken(_ctx: object) -> list:
        raise KeyError("simulated rule bug")

    target = next(r for r in rules.ALL_RULES if r.per_file == per_file and not r.preview)
    bad = dataclasses.replace(target, check=broken)
    monkeypatch.setattr(rules, "ALL_RULES", tuple(bad if r is target else r for r in rules.ALL_RULES))
    monkeypatch.setattr(rules, "PER_FILE_RULES", tuple(bad if r is target else r for r in rules.PER_FILE_RULES))
    code, _, err = run("check", "--no-cache", "BACKLOG.md")
    assert code == 3
    assert f"rule {bad.code}" in err and "BACKLOG.md" in err and "bug in backlog-lint" in err
    assert f"crashed while running rule {bad.code} ({bad.name}) on BACKLOG.md" in err  # a sentence, not "while rule"


@pytest.mark.slow
def test_cli__command_exits_fast_with_its_status_and_all_its_output(project: Path) -> None:
    """`entry` (the console script and `python -m backlog_lint`) flushes everything, then os._exit(status)."""
    import subprocess
    import sys

    for n in range(200):  # findings enough to fill a pipe's buffer several times
        (project / f"B{n}.md").write_text(BROKEN, encoding="utf-8")

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "backlog_lint", *args], capture_output=True, text=True,
                              cwd=project, check=False)

    found = cli("check", "--output-format", "json", "--no-cache")
    assert found.returncode == 1
    assert found.stdout == run("check", "--output-format", "json", "--no-cache")[1]  # as in-process: all of it
    assert len(json.loads(found.stdout)) > 500 and len(found.stdout) > 4 * 65536
    assert cli("check", "--output-format", "json", "--exit-zero").returncode == 0
    usage = cli("check", "--output-format", "bogus")
    assert usage.returncode == 2 and "unknown --output-format 'bogus'" in usage.stderr
    version = cli("--version")
    assert (version.returncode, version.stdout) == (0, f"backlog-lint, version {__version__}\n")
    assert cli("nonsense-command-or-missing-path").returncode == 2
    profiled = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(project / "out.prof"), "-m", "backlog_lint",
                               "check", "B0.md"], capture_output=True, text=True, cwd=project, check=False)
    assert "Found " in profiled.stdout and (project / "out.prof").stat().st_size > 0  # the profiler wrote it


def test_cli__term_dumb_gets_no_colour(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal that says it cannot show colour (TERM=dumb: Emacs shells, some CI logs) gets none."""
    import sys

    from backlog_lint.cli import _color

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setenv("TERM", "xterm-256color")
    assert _color(False)
    monkeypatch.setenv("TERM", "dumb")
    assert not _color(False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert _color(False)  # asked for explicitly


def test_cli__statistics_as_json(project: Path) -> None:
    (project / "BACKLOG.md").write_text(BROKEN, encoding="utf-8")
    code, out, _ = run("BACKLOG.md", "--statistics", "--output-format", "json")
    assert code == 1
    rows = json.loads(out)
    assert rows == [
        {"code": "BL102", "name": "consecutive-thematic-breaks", "count": 1, "fixable": True},
        {"code": "BL204", "name": "field-alias", "count": 1, "fixable": True},
    ]
    assert Draft202012Validator(load_schema("statistics.schema.json")).is_valid(rows)
    code, out, _ = run("BACKLOG.md", "--statistics", "--output-format", "json-lines", "--ignore", "BL204")
    assert [json.loads(line)["code"] for line in out.splitlines()] == ["BL102"]


def test_cli__statistics_with_a_format_that_cannot_show_them_is_usage_error(project: Path) -> None:
    (project / "BACKLOG.md").write_text(BROKEN, encoding="utf-8")
    code, out, err = run("BACKLOG.md", "--statistics", "--output-format", "sarif")
    assert code == 2 and out == ""
    assert "--statistics cannot be shown as --output-format sarif; use one of concise, full" in err


@pytest.mark.parametrize(("toml", "key", "code"), [
    ('select = ["BL999"]\n', "select", "BL999"),
    ('extend-select = ["BL9"]\n', "extend-select", "BL9"),
    ('ignore = ["BL201", "BL777"]\n', "ignore", "BL777"),
    ('[per-file-ignores]\n"legacy/*.md" = ["BL99"]\n', "per-file-ignores.legacy/*.md", "BL99"),
])
def test_cli__config_code_that_matches_no_rule_exit_2(project: Path, toml: str, key: str, code: str) -> None:
    """`select = ["BL999"]` used to turn every rule off silently; it is an error, as on the command line."""
    (project / ".backlog-lint.toml").write_text('include = ["**/*.md"]\n' + toml, encoding="utf-8")
    (project / "BACKLOG.md").write_text(BROKEN, encoding="utf-8")
    status, out, err = run("BACKLOG.md")
    assert status == 2, out
    assert f"key {key!r}: {code!r} matches no rule; `backlog-lint rule --all` lists the codes" in err
    assert ".backlog-lint.toml" in err


def test_cli__cross_file_finding_keeps_its_other_end_in_json_and_sarif(project: Path) -> None:
    (project / "BACKLOG.md").write_text("# Backlog\n\n### T-1: Cache parsed models\n", encoding="utf-8")
    (project / "docs").mkdir()
    (project / "docs" / "TODO.md").write_text("# Todo\n\n### T-1: Parallel parsing\n", encoding="utf-8")
    code, out, _ = run("check", "--output-format", "json", "--select", "BL301")
    assert code == 1
    (finding,) = json.loads(out)
    assert finding["code"] == "BL301"
    ends = {finding["path"], *(r["path"] for r in finding["related"])}
    assert ends == {"BACKLOG.md", "docs/TODO.md"}
    assert Draft202012Validator(load_schema("findings.schema.json")).is_valid([finding])
    _, out, _ = run("check", "--output-format", "sarif", "--select", "BL301")
    (result,) = json.loads(out)["runs"][0]["results"]
    related = result["relatedLocations"][0]["physicalLocation"]
    main_uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert {main_uri, related["artifactLocation"]["uri"]} == {"BACKLOG.md", "docs/TODO.md"}
    assert related["region"]["startLine"] == 3


def test_cli__markdown_links_point_at_the_commit_in_github_actions(project: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "BACKLOG.md").write_text(BROKEN, encoding="utf-8")
    _, out, _ = run("check", "--output-format", "markdown")
    assert "](BACKLOG.md#L11)" in out  # outside Actions: relative to where the Markdown lives
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "octo/backlog")
    monkeypatch.setenv("GITHUB_SHA", "0123abc")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(project.parent))
    _, out, _ = run("check", "--output-format", "markdown")
    assert f"](https://github.com/octo/backlog/blob/0123abc/{project.name}/BACKLOG.md#L11)" in out
