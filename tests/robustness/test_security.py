"""Nothing in a backlog or a config is executed, evaluated or fetched; reads stay where they are expected."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from backlog_lint.cli import main
from tests.robustness._support import AuditLog, Run, assert_no_crash, write

pytestmark = pytest.mark.slow  # end-to-end: real processes, real tools; not in the fast loop

Cli = Callable[..., Run]
COMMANDS = [["check"], ["check", "--fix", "--unsafe-fixes"], ["show", "--json"], ["graph"], ["format", "--check"],
            ["check", "--output-format", "sarif"]]


def invoke(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{args}: {type(result.exception).__name__}: {result.exception}\n{result.output}")
    return result.exit_code, result.output


# --------------------------------------------------------------------------- YAML tags

def yaml_payloads(marker: Path) -> dict[str, str]:
    cmd = f"touch {marker}"
    return {
        "apply.md": f'---\nid: T-1\nx: !!python/object/apply:os.system ["{cmd}"]\n---\n# Task\n',
        "top.md": f'---\n!!python/object/apply:os.system ["{cmd}"]\n---\n# Task\n',
        "new.md": f'---\nid: T-3\nx: !!python/object/new:subprocess.check_output [["sh", "-c", "{cmd}"]]\n---\n# T\n',
        "name.md": "---\nid: T-4\nx: !!python/name:os.system\n---\n# Task\n",
        "module.md": "---\nid: T-5\nx: !!python/module:os\n---\n# Task\n",
        "eval.md": f'---\nid: T-6\nx: !!python/object/apply:builtins.eval ["__import__(\'os\').system(\'{cmd}\')"]\n'
                   "---\n# Task\n",
        "custom.md": "---\nid: T-7\nx: !custom {a: 1}\n---\n# Task\n",
        "merge.md": "---\nid: T-8\nbase: &b {status: todo}\nitem:\n  <<: *b\n---\n# Task\n",
    }


def test_security__yaml_tags_in_front_matter_are_never_executed(cli: Cli, project: Path) -> None:
    marker = project.parent / "pwned"
    payloads = yaml_payloads(marker)
    for name, text in payloads.items():
        write(project / name, text)
    for args in COMMANDS:
        run = cli(project, *args)
        assert_no_crash(run, (0, 1))
        assert not marker.exists(), f"{args} executed a YAML tag\n" + run.describe()
    run = cli(project)
    for name in ("apply.md", "top.md", "new.md", "name.md", "module.md", "eval.md"):
        assert f"{name}:" in run.stdout and "BL003" in run.stdout, run.describe()


def test_security__yaml_tags_spawn_nothing_in_process(project: Path, in_process: Callable[[Path], None]) -> None:
    marker = project.parent / "pwned"
    for name, text in yaml_payloads(marker).items():
        write(project / name, text)
    in_process(project)
    with AuditLog() as log:
        for args in COMMANDS:
            invoke([*args, "--no-cache"] if args[0] == "check" else args)
    assert not marker.exists()
    assert log.spawned == []  # no .git here, so not even `git ls-files`


# --------------------------------------------------------------------------- nothing is fetched

LINKS = """---
id: T-100
url: https://example.com/task/100
---

# Backlog [![CI](https://img.shields.io/badge/ci-passing-green.svg)](https://ci.example.com/job/1)

### T-1: Read [the RFC](https://www.rfc-editor.org/rfc/rfc9110#section-15) and [docs](http://example.com/a.md#x)
- **Status:** Todo
- **Links:** <https://example.org/autolink>, https://bare.example.net/path, ftp://files.example.com/x.md
- **Depends on:** [T-2](http://tracker.example.com/T-2)

![diagram](https://example.com/diagram.png "title")

See [the spec][spec] and [the wiki][wiki].

[spec]: https://spec.example.com/spec.md#anchor
[wiki]: //wiki.example.com/page

- [ ] [fetch me](http://127.0.0.1:9/should-not-be-fetched)
"""


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every socket creation, connection or name lookup fails and is recorded."""
    attempts: list[str] = []
    real_socket = socket.socket

    class Socket(real_socket):  # type: ignore[misc, valid-type]
        def __init__(self, *args: object, **kwargs: object) -> None:
            attempts.append(f"socket.socket{args!r}")
            raise NetworkUsed("backlog-lint opened a socket")

    def refuse(name: str) -> Callable[..., object]:
        def fn(*args: object, **kwargs: object) -> object:
            attempts.append(f"socket.{name}{args!r}")
            raise NetworkUsed(f"backlog-lint called socket.{name}")
        return fn

    monkeypatch.setattr(socket, "socket", Socket)
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        monkeypatch.setattr(socket, name, refuse(name))
    return attempts


def test_security__links_are_never_fetched(project: Path, in_process: Callable[[Path], None],
                                           no_network: list[str]) -> None:
    write(project / "BACKLOG.md", LINKS)
    write(project / "T-2.md", "---\nid: T-2\nstatus: todo\n---\n# T-2\n")
    in_process(project)
    with AuditLog() as log:
        for args in COMMANDS:
            code, out = invoke(args)
            assert code in (0, 1), f"{args}: exit {code}\n{out}"
    assert no_network == []
    assert log.sockets == []


def test_security__schema_ref_is_not_fetched(project: Path, in_process: Callable[[Path], None],
                                             no_network: list[str]) -> None:
    write(project / ".backlog-lint.toml", 'include = ["**/*.md"]\nschema = "s.json"\n')
    write(project / "s.json", '{"properties": {"status": {"$ref": "http://schemas.example.com/status.json"}}}')
    write(project / "BACKLOG.md", "# Backlog\n\n### T-1: Thing\n- **Status:** Todo\n")
    in_process(project)
    with AuditLog() as log:
        CliRunner().invoke(main, ["BACKLOG.md", "--no-cache"])
    assert no_network == [] and log.sockets == []


# --------------------------------------------------------------------------- reads stay where expected

def outside_tree(tmp_path: Path) -> tuple[Path, Path]:
    """A project and, beside it, a folder with a configured schema and files nobody asked for."""
    outside = tmp_path / "outside"
    write(outside / "schema.json", '{"type": "object"}')
    write(outside / "secret.md", "# Secret\n\n## Anchor\n")
    write(outside / "secret.json", '{"type": "object", "required": ["secret"]}')
    write(outside / "BACKLOG.md", "# Not in the project\n\n---\n\n---\n")
    project = tmp_path / "proj"
    write(project / ".backlog-lint.toml", 'include = ["**/*.md"]\nschema = "../outside/schema.json"\n')
    write(project / "BACKLOG.md", "# Backlog\n\n### T-1: Thing\n- **Status:** Todo\n\n"
          "See [secret](../outside/secret.md#anchor), [again][s], ![img](../outside/secret.png) and "
          "[abs](/../outside/secret.md#anchor).\n\n[s]: ../outside/secret.md#missing\n")
    write(project / "docs" / "TODO.md", "# Todo\n\n- [ ] [up](../../outside/secret.md#anchor)\n")
    return project, outside


def test_security__reads_only_the_project_and_the_configured_schema(tmp_path: Path,
                                                                     in_process: Callable[[Path], None]) -> None:
    project, outside = outside_tree(tmp_path)
    in_process(project)
    with AuditLog() as log:
        for args in COMMANDS:
            code, out = invoke(args)
            assert code in (0, 1), f"{args}: exit {code}\n{out}"
    assert log.opened_under(outside) == {outside / "schema.json"}, "read a file outside the project"
    assert log.spawned == []


def test_security__schema_file_ref_reads_nothing_else(tmp_path: Path, in_process: Callable[[Path], None]) -> None:
    project, outside = outside_tree(tmp_path)
    write(outside / "schema.json", f'{{"$ref": "{(outside / "secret.json").as_uri()}"}}')
    in_process(project)
    with AuditLog() as log:
        CliRunner().invoke(main, ["BACKLOG.md", "--no-cache"])
    assert log.opened_under(outside) == {outside / "schema.json"}
