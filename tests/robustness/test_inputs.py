"""Hostile file contents through the real CLI: a clear finding naming file and line, never a traceback.

Every input is generated here; nothing large is committed. Each case is its own temp project so
that a slow or crashing input cannot hide behind another one.
"""

from __future__ import annotations

import codecs
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.robustness._support import HANG_TIMEOUT, HUGE_TIMEOUT, Run, assert_no_crash, write

pytestmark = pytest.mark.slow  # end-to-end: real processes, real tools; not in the fast loop

Cli = Callable[..., Run]

# Appended to generated inputs: two thematic breaks with nothing between (BL102, a warning). Seeing
# it reported at the right line proves the whole file was read, not skipped after the hard part.
TAIL = "\n---\n\n---\n"


def tail_line(text: str) -> int:
    """1-based line of the second thematic break of TAIL at the end of ``text``."""
    return text.count("\n")


# --------------------------------------------------------------------------- encodings and empty files

ENCODING_CASES = [
    # name, bytes, exit code, what the output must contain
    pytest.param("latin1.md", b"# Backlog\n\n### T-1: caf\xe9 au lait\n", 1,
                 ["latin1.md:3:13: BL001", "invalid UTF-8"], id="invalid-utf8"),
    pytest.param("truncated.md", b"# Backlog\n\n- [ ] ends mid-character \xe2\x82", 1,
                 ["truncated.md:3:26: BL001"], id="truncated-utf8-sequence"),
    pytest.param("utf16le.md", codecs.BOM_UTF16_LE + "# Backlog\n\n- [ ] task\n".encode("utf-16-le"), 1,
                 ["utf16le.md:1:1: BL001", "UTF-16"], id="utf16-le-bom"),
    pytest.param("utf16be.md", codecs.BOM_UTF16_BE + "# Backlog\n\n- [ ] task\n".encode("utf-16-be"), 1,
                 ["utf16be.md:1:1: BL001", "UTF-16"], id="utf16-be-bom"),
    pytest.param("utf16nobom.md", "# Backlog\n".encode("utf-16-le"), 1,
                 ["utf16nobom.md:1:2: BL001", "NUL"], id="utf16-without-bom"),
    pytest.param("nul.md", b"# Backlog\n\nsome\x00thing\n", 1, ["nul.md:3:5: BL001", "NUL"], id="nul-byte"),
    pytest.param("image.md", b"\x89PNG\r\n\x1a\n" + random.Random(8).randbytes(4096), 1,
                 ["image.md:1:1: BL001"], id="binary-named-md"),
    pytest.param("empty.md", b"", 0, ["All checks passed"], id="empty"),
    pytest.param("blank.md", b"  \n\n\t\n   \r\n", 0, ["All checks passed"], id="whitespace-only"),
    pytest.param("bom.md", codecs.BOM_UTF8, 0, ["All checks passed"], id="utf8-bom-only"),
    pytest.param("cr.md", b"# Backlog\r\r### T-1: old Mac newlines\r- **Status:** Todo\r\r---\r\r---\r", 1,
                 ["cr.md:8:1: BL102"], id="cr-only-newlines"),
]


@pytest.mark.parametrize(("name", "data", "code", "expected"), ENCODING_CASES)
def test_input__encoding_and_empty_files(cli: Cli, project: Path, name: str, data: bytes, code: int,
                                         expected: list[str]) -> None:
    write(project / name, data)
    run = cli(project, name)
    assert_no_crash(run)
    assert run.returncode == code, run.describe()
    for text in expected:
        assert text in run.output, run.describe()


def test_input__every_command_survives_undecodable_files(cli: Cli, project: Path) -> None:
    """show, format --check, --fix and graph over all the encoding cases at once: no crash, each file named."""
    names = []
    for case in ENCODING_CASES:
        name, data = case.values[0], case.values[1]
        write(project / name, data)
        names.append(name)
    bad = [c.values[0] for c in ENCODING_CASES if c.values[2] == 1 and "BL001" in c.values[3][0]]
    for args in (["show", *names], ["format", "--check", *names], ["check", "--fix", *names], ["graph"]):
        run = cli(project, *args)
        assert_no_crash(run)
        if args[0] != "graph":
            for name in bad:
                assert name in run.output, run.describe()
    assert (project / "latin1.md").read_bytes() == ENCODING_CASES[0].values[1], "--fix rewrote an undecodable file"


# --------------------------------------------------------------------------- huge inputs

_WORDS = ["the", "parser", "should", "keep", "every", "position", "exact", "while", "cache", "avoids", "work", "on",
          "files", "that", "did", "not", "change", "and", "report", "names", "each", "finding", "with", "its", "rule"]


def twenty_megabytes() -> str:
    """A 20 MB backlog: 2,000 heading items with fields, long descriptions, checklists, tables and links."""
    rnd = random.Random(20)
    paragraphs = [" ".join(rnd.choice(_WORDS) for _ in range(90)) + "." for _ in range(50)]
    parts = ["# Huge backlog\n\n## Now (P1)\n"]
    size = 0
    i = 0
    while size < 20_000_000:
        i += 1
        body = "\n\n".join(paragraphs[(i + k) % 50] for k in range(20))
        chunk = (f"\n### T-{i}: Work package {i}\n\n- **Status:** {'Done' if i % 3 == 0 else 'Todo'}\n"
                 f"- **Priority:** P{i % 3}\n- **Depends on:** T-{max(i - 1, 1)}\n\n{body}\n\n"
                 f"- [x] design for package {i}\n- [ ] build for package {i}\n"
                 f"  - [ ] see [the previous package](#t-{max(i - 1, 1)}-work-package-{max(i - 1, 1)})\n")
        if i % 100 == 0:
            chunk += "\n| Item | Status | Notes |\n|---|---|---|\n" + "".join(
                f"| Note {i}-{r} | Todo | {paragraphs[r][:60]} |\n" for r in range(10))
        parts.append(chunk)
        size += len(chunk)
    return "".join(parts) + TAIL


def test_input__20_mb_backlog(cli: Cli, project: Path) -> None:
    text = twenty_megabytes()
    assert len(text.encode("utf-8")) >= 20_000_000
    write(project / "BACKLOG.md", text)
    run = cli(project, "BACKLOG.md", timeout=HUGE_TIMEOUT)
    assert_no_crash(run, (1,))
    assert f"BACKLOG.md:{tail_line(text)}:1: BL102" in run.stdout, run.describe()


def test_input__20000_heading_items(cli: Cli, project: Path) -> None:
    text = "# Backlog\n" + "".join(
        f"\n### T-{i}: Task number {i} with a reasonably long title\n- **Status:** Todo\n- **Priority:** P1\n"
        f"- **Depends on:** T-{max(i - 1, 1)}\n\nSome description for the task.\n\n- [ ] step one\n- [x] step two\n"
        for i in range(1, 20_001)) + TAIL
    write(project / "BACKLOG.md", text)
    run = cli(project, "BACKLOG.md", timeout=HUGE_TIMEOUT)
    assert_no_crash(run, (1,))
    assert f"BACKLOG.md:{tail_line(text)}:1: BL102" in run.stdout, run.describe()


def test_input__200000_line_checklist(cli: Cli, project: Path) -> None:
    text = "# Checklist\n\n" + "".join(f"- [{'x' if i % 3 == 0 else ' '}] item {i}\n" for i in range(200_000))
    text += "\n```\nnever closed\n"
    write(project / "TODO.md", text)
    run = cli(project, "TODO.md", timeout=HUGE_TIMEOUT)
    assert_no_crash(run, (1,))
    assert "TODO.md:200004:1: BL106" in run.stdout, run.describe()


def test_input__table_with_5000_columns(cli: Cli, project: Path) -> None:
    cols = 5000
    header = "| Item | " + " | ".join(f"c{i}" for i in range(1, cols)) + " |"
    rows = [f"| T-{r}: row {r} | " + " | ".join("v" for _ in range(1, cols)) + " |" for r in range(1, 4)]
    short = "| T-9: short row | " + " | ".join("v" for _ in range(1, cols - 1)) + " |"
    text = "# Wide\n\n" + "\n".join([header, "|" + "---|" * cols, *rows, short]) + "\n" + TAIL
    write(project / "wide.md", text)
    run = cli(project, "wide.md", timeout=HUGE_TIMEOUT)
    assert_no_crash(run, (1,))
    assert "wide.md:8:" in run.stdout and "BL101" in run.stdout, run.describe()
    assert f"wide.md:{tail_line(text)}:1: BL102" in run.stdout, run.describe()


MEGABYTE = 1_000_000
ONE_MB_LINES = [
    pytest.param(" ".join(["word"] * (MEGABYTE // 5)), id="prose"),
    pytest.param("### T-1: " + "long title " * (MEGABYTE // 11), id="heading-title"),
    pytest.param("- [ ] " + "task words " * (MEGABYTE // 11), id="checklist-item"),
    pytest.param("| Item | Notes |\n|---|---|\n| T-1: x | " + "cell " * (MEGABYTE // 5) + " |", id="table-cell"),
    pytest.param("- **Status:** " + "Todo " * (MEGABYTE // 5), id="field-value"),
    pytest.param("code: " + "`" * MEGABYTE, id="backticks"),
    pytest.param("*" * (MEGABYTE // 2) + "x" + "_" * (MEGABYTE // 2), id="emphasis-markers"),
    pytest.param(
        "[" * MEGABYTE, id="open-brackets"),
]


@pytest.mark.parametrize("line", ONE_MB_LINES)
def test_input__1_mb_single_line(cli: Cli, project: Path, line: str) -> None:
    text = "# Backlog\n\n" + line + "\n" + TAIL
    write(project / "BACKLOG.md", text)
    run = cli(project, "BACKLOG.md", timeout=HUGE_TIMEOUT)
    assert_no_crash(run, (1,))
    assert f"BACKLOG.md:{tail_line(text)}:1: BL102" in run.stdout, run.describe()


# --------------------------------------------------------------------------- deep nesting

DEPTH = 10_000
DEEP = [
    pytest.param("- " * DEPTH + "[ ] T-1: deep task", id="nested-lists"),
    pytest.param("1. " * DEPTH + "deep", id="nested-ordered-lists"),
    pytest.param(">" * DEPTH + " deep", id="nested-quotes"),
    pytest.param("> " * DEPTH + "- [ ] deep", id="nested-quotes-spaced"),
    pytest.param("> - " * (DEPTH // 2) + "deep", id="quotes-and-lists"),
    pytest.param("".join("  " * i + f"- [ ] level {i}\n" for i in range(1000)), id="indented-checklist-1000"),
    pytest.param("".join("> " * i + f"- [ ] level {i}\n" for i in range(1000)), id="quoted-checklist-1000"),
]


@pytest.mark.parametrize("body", DEEP)
def test_input__10000_deep_nesting_never_reaches_the_recursion_limit(cli: Cli, project: Path, body: str) -> None:
    text = "# Deep\n\n" + body + "\n" + TAIL
    write(project / "deep.md", text)
    run = cli(project, "deep.md", timeout=HUGE_TIMEOUT)
    assert_no_crash(run, (0, 1))
    # BL006 is only reported when Python's recursion limit was hit while parsing
    assert "BL006" not in run.output and "RecursionError" not in run.output, run.describe()


# --------------------------------------------------------------------------- broken structure

def test_input__unterminated_code_fence(cli: Cli, project: Path) -> None:
    write(project / "fence.md", "# Backlog\n\n```python\nprint(1)\n\n### T-1: swallowed\n- [ ] task\n")
    run = cli(project, "fence.md")
    assert_no_crash(run, (1,))
    assert "fence.md:3:1: BL106" in run.stdout, run.describe()


def test_input__front_matter_never_closed(cli: Cli, project: Path) -> None:
    write(project / "task.md", "---\nid: T-1\nstatus: todo\n\n# Title\n\nbody text\n")
    run = cli(project, "task.md")
    assert_no_crash(run, (1,))
    assert "task.md:1:1: BL003" in run.stdout, run.describe()


def test_input__front_matter_with_too_many_aliases(cli: Cli, project: Path) -> None:
    body = "base: &a [x]\n" + "".join(f"k{i}: *a\n" for i in range(150))
    write(project / "task.md", f"---\n{body}---\n# T\n")
    run = cli(project, "task.md", timeout=30)
    assert_no_crash(run, (1,))
    assert "task.md:" in run.stdout and "BL003" in run.stdout, run.describe()


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    """The classic YAML alias bomb: 72 aliases (under the 100-alias cap) that expand to 9**9 strings."""
    lines = ["l0: &l0 [" + ", ".join(['"lol"'] * width) + "]"]
    lines += [f"l{k}: &l{k} [" + ", ".join([f"*l{k - 1}"] * width) + "]" for k in range(1, levels)]
    return "---\nid: T-1\n" + "\n".join(lines) + "\n---\n\n# Task\n"


def test_input__yaml_alias_bomb_under_the_alias_cap(cli: Cli, project: Path) -> None:
    write(project / "task.md", billion_laughs())
    run = cli(project, "task.md", timeout=HANG_TIMEOUT)
    assert_no_crash(run, (0, 1))


def test_input__deeply_nested_yaml(cli: Cli, project: Path) -> None:
    write(project / "task.md", "---\nid: T-1\nx: " + "[" * DEPTH + "]" * DEPTH + "\n---\n# Task\n")
    run = cli(project, "task.md", timeout=30)
    assert_no_crash(run, (1,))
    assert "task.md:" in run.stdout and "BL003" in run.stdout, run.describe()
