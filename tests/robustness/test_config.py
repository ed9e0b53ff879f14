"""Broken configuration: exit 2 with a message naming the file and the key, never a traceback.

Most cases run in-process (click's CliRunner: the same code path, a tenth of the time); a few run
the real command line in a subprocess to prove the path end to end.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from backlog_lint.cli import main
from tests.robustness._support import HANG_TIMEOUT, Run, assert_no_crash, write

Cli = Callable[..., Run]
BACKLOG = "# Backlog\n\n### T-1: Thing\n- **Status:** Todo\n\n---\n\n---\n"
TOML = ".backlog-lint.toml"


def invoke(args: list[str]) -> tuple[int, str]:
    """Exit code and stdout+stderr; an exception escaping the command is a crash (returned as exit 99)."""
    result = CliRunner().invoke(main, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return 99, f"{result.output}\n{type(result.exception).__name__}: {result.exception}"
    return result.exit_code, result.output


def setup(project: Path, config: str | bytes, extra: dict[str, str | bytes] | None = None,
          name: str = TOML) -> None:
    (project / TOML).unlink()
    write(project / name, config)
    write(project / "BACKLOG.md", BACKLOG)
    for rel, content in (extra or {}).items():
        write(project / rel, content)


def assert_config_error(project: Path, must_name: list[str], args: list[str] | None = None) -> str:
    for argv in ([*(args or []), "BACKLOG.md"], ["config", *(args or [])]):
        code, out = invoke(argv)
        assert code == 2, f"{argv}: exit {code}\n{out}"
        assert "Traceback" not in out, out
        for text in must_name:
            assert text in out, f"{argv}: {text!r} not named in\n{out}"
    return out


TOML_CASES = [
    # config text, what the message must name
    pytest.param('include = ["**/*.md"]\nbogus = 1\n', ["bogus", TOML], id="unknown-key"),
    pytest.param('selct = ["BL1"]\n', ["selct", "select", TOML], id="misspelt-key"),
    pytest.param('[tool]\nx = 1\n', ["tool", TOML], id="unknown-table"),
    pytest.param('include = "docs/*.md"\n', ["include", TOML], id="string-for-list"),
    pytest.param('select = [1]\n', ["select", TOML], id="number-in-list"),
    pytest.param('select = ["NOPE"]\n', ["select", "NOPE", TOML], id="unknown-rule-code"),
    pytest.param('per-file-ignores = { "a.md" = "BL1" }\n', ["per-file-ignores", TOML], id="string-for-code-list"),
    pytest.param('per-file-ignores = ["a.md"]\n', ["per-file-ignores", TOML], id="list-for-table"),
    pytest.param('field-aliases = { priority = "Urgency" }\n', ["field-aliases", TOML], id="alias-not-a-list"),
    pytest.param('status-emoji = { "x" = 3 }\n', ["status-emoji", TOML], id="emoji-not-a-string"),
    pytest.param('id-pattern = 5\n', ["id-pattern", TOML], id="pattern-not-a-string"),
    pytest.param('id-pattern = ""\n', ["id-pattern", TOML], id="empty-pattern"),
    pytest.param('schema = 5\n', ["schema", TOML], id="schema-not-a-string"),
    pytest.param('cache-dir = 5\n', ["cache-dir", TOML], id="cache-dir-not-a-string"),
    pytest.param('include = [\n', ["invalid TOML", TOML], id="toml-unterminated"),
    pytest.param('a = 1\nb = = 2\n', ["invalid TOML", "line 2", TOML], id="toml-syntax-line-2"),
    pytest.param('include = []\ninclude = []\n', ["invalid TOML", TOML], id="toml-duplicate-key"),
    pytest.param('id-pattern = "("\n', ["id-pattern", "regular expression", TOML], id="pattern-invalid-regex"),
    pytest.param('id-pattern = "(a+)+$"\n', ["id-pattern", TOML], id="pattern-catastrophic"),
    pytest.param('id-pattern = "(x+x+)+y"\n', ["id-pattern", TOML], id="pattern-catastrophic-2"),
    pytest.param('id-pattern = "([a-z]*)*$"\n', ["id-pattern", TOML], id="pattern-catastrophic-3"),
]


@pytest.mark.parametrize(("config", "must_name"), TOML_CASES)
def test_config__bad_setting_exits_2_naming_file_and_key(project: Path, in_process: Callable[[Path], None],
                                                         config: str, must_name: list[str]) -> None:
    setup(project, config)
    in_process(project)
    assert_config_error(project, must_name)


def test_config__pyproject_section(project: Path, in_process: Callable[[Path], None]) -> None:
    setup(project, "[tool.backlog-lint]\nbogus = 1\n", name="pyproject.toml")
    in_process(project)
    assert_config_error(project, ["bogus", "pyproject.toml"])
    write(project / "pyproject.toml", "[tool.backlog-lint\n")
    assert_config_error(project, ["invalid TOML", "pyproject.toml"])


def test_config__explicit_config_file(project: Path, in_process: Callable[[Path], None]) -> None:
    setup(project, 'include = ["**/*.md"]\n')
    write(project / "ci.toml", "labels = 3\n")
    in_process(project)
    assert_config_error(project, ["labels", "ci.toml"], ["--config", "ci.toml"])
    code, out = invoke(["--config", "nope.toml", "BACKLOG.md"])
    assert code == 2 and "nope.toml" in out, out


SCHEMA_CASES = [
    # schema file text, what the message must name
    pytest.param('{"type": ', ["s.json:1:10", "not valid JSON"], id="json-truncated"),
    pytest.param("{'type': 'object'}", ["s.json:1:2", "not valid JSON"], id="json-single-quotes"),
    pytest.param(b"\xff\xfe{\x00}\x00", ["s.json"], id="json-utf16"),
    pytest.param(b'{"title": "caf\xe9"}', ["s.json"], id="json-latin1"),
    pytest.param('{"type": "frobnicate"}', ["s.json", "type"], id="schema-bad-type"),
    pytest.param("[1, 2]", ["s.json"], id="schema-is-an-array"),
    pytest.param('{"properties": {"status": {"enum": 5}}}', ["s.json", "properties/status/enum"], id="schema-bad-enum"),
    pytest.param('{"properties": {"status": {"pattern": "("}}}', ["s.json", "pattern"], id="schema-bad-regex"),
    pytest.param('{"required": "status"}', ["s.json", "required"], id="schema-required-not-a-list"),
]


@pytest.mark.parametrize(("schema", "must_name"), SCHEMA_CASES)
def test_config__bad_schema_file_exits_2_naming_it(project: Path, in_process: Callable[[Path], None],
                                                   schema: str | bytes, must_name: list[str]) -> None:
    setup(project, 'include = ["**/*.md"]\nschema = "s.json"\n', {"s.json": schema})
    in_process(project)
    assert_config_error(project, must_name)


def test_config__schema_missing_or_a_directory(project: Path, in_process: Callable[[Path], None]) -> None:
    setup(project, 'include = ["**/*.md"]\nschema = "nope.json"\n')
    in_process(project)
    assert_config_error(project, ["schema", "nope.json", TOML])
    (project / "dir.json").mkdir()
    write(project / TOML, 'include = ["**/*.md"]\nschema = "dir.json"\n')
    assert_config_error(project, ["schema", "dir.json", TOML])


# --------------------------------------------------------------------------- crashes found (product bugs)

CRASHES = [
    pytest.param(b'include = ["**/*.md"]\n# caf\xe9\n', {}, ["invalid", TOML], id="toml-not-utf8"),
    pytest.param('id-pattern = "a{99999999999}"\n', {}, ["id-pattern", TOML], id="pattern-huge-repeat"),
    pytest.param('include = ["**/*.md"]\nschema = "s.json"\n', {"s.json": "[" * 100_000 + "]" * 100_000},
                 ["s.json"], id="schema-nested-100000-deep"),
    pytest.param('include = ["**/*.md"]\nschema = "s.json"\n', {"s.json": '{"$ref": "other.json"}'},
                 ["s.json", "other.json"], id="schema-unresolvable-ref"),
    pytest.param('include = ["**/*.md"]\nschema = "s.json"\n',
                 {"s.json": '{"properties": {"status": {"$ref": "#/$defs/nope"}}}'}, ["s.json", "#/$defs/nope"],
                 id="schema-dangling-pointer"),
    pytest.param('include = ["[z-a].md"]\n', {}, ["include", "[z-a].md", TOML], id="glob-bad-range"),
    pytest.param('include = ["**/*.md"]\nper-file-ignores = { "[!]" = ["BL1"] }\n', {},
                 ["per-file-ignores", "[!]", TOML], id="per-file-ignores-bad-glob"),
]


@pytest.mark.parametrize(("config", "extra", "must_name"), CRASHES)
def test_config__never_crashes(project: Path, in_process: Callable[[Path], None], config: str | bytes,
                               extra: dict[str, str], must_name: list[str]) -> None:
    setup(project, config, extra)
    in_process(project)
    code, out = invoke([])  # every backlog file of the project
    assert code == 2, f"exit {code}\n{out}"
    for text in must_name:
        assert text in out, out


def test_config__unknown_rule_code_on_the_command_line(project: Path, in_process: Callable[[Path], None]) -> None:
    setup(project, 'include = ["**/*.md"]\n')
    in_process(project)
    code, out = invoke(["--select", "NOPE", "BACKLOG.md"])
    assert code == 2 and "NOPE" in out, out


@pytest.mark.parametrize("pattern", ["([A-Z]+-?)+$", "(?:[A-Z]+-?)+$", "([A-Z]+[-_]?)*[0-9]+$"])
def test_config__catastrophic_id_pattern_with_optional_separator(cli: Cli, project: Path, pattern: str) -> None:
    setup(project, f"include = [\"**/*.md\"]\nid-pattern = '{pattern}'\n")
    run = cli(project, "config")
    assert_no_crash(run, (2,))
    assert "id-pattern" in run.stderr, run.describe()


# --------------------------------------------------------------------------- end to end through the real CLI

@pytest.mark.parametrize(("config", "must_name"), [
    pytest.param('include = ["**/*.md"]\nbogus = 1\n', ["bogus", TOML], id="unknown-key"),
    pytest.param('include = "x"\n', ["include", TOML], id="wrong-type"),
    pytest.param("include = [\n", ["invalid TOML", TOML], id="invalid-toml"),
    pytest.param('id-pattern = "(a+)+$"\n', ["id-pattern", TOML], id="catastrophic-pattern"),
])
def test_config__real_cli(cli: Cli, project: Path, config: str, must_name: list[str]) -> None:
    setup(project, config)
    run = cli(project, "BACKLOG.md")
    assert_no_crash(run, (2,))
    for text in must_name:
        assert text in run.stderr, run.describe()


def test_config__real_cli_bad_schema(cli: Cli, project: Path) -> None:
    setup(project, 'include = ["**/*.md"]\nschema = "s.json"\n', {"s.json": '{"type": '})
    run = cli(project, "BACKLOG.md")
    assert_no_crash(run, (2,))
    assert "s.json:1:10" in run.stderr, run.describe()


def test_config__catastrophic_pattern_in_the_item_schema(cli: Cli, project: Path) -> None:
    setup(project, 'include = ["**/*.md"]\nschema = "s.json"\n',
          {"s.json": '{"properties": {"status": {"pattern": "^(a+)+$"}}}',
           "BACKLOG.md": "# Backlog\n\n### T-1: Thing\n- **Status:** " + "a" * 40 + "!\n"})
    run = cli(project, "BACKLOG.md", timeout=HANG_TIMEOUT)
    assert_no_crash(run, (1, 2))
