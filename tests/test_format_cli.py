"""`backlog-lint format`: canonicalisation, --check / --diff exit codes, bytes kept, refusals."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from backlog_lint.cli import main
from backlog_lint.source import SourceText
from tests.helpers import drifting_mdformat

MESSY = """# B

### T-1: A
- **Effort:** 2d
- **Prio:** P1
- **Notes:** x
- **Status:** Done
  - sub

### T-2: B
- **Dependencies:** T-1
- **Status:** done
"""

CANONICAL = """# B

### T-1: A

- **Priority:** P1
- **Effort:** 2d
- **Notes:** x
- **Status:** Done
  - sub

### T-2: B

- **Status:** Done
- **Dependencies:** T-1
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / ".user-cache"))
    # field names and value spellings are canonicalised only when the config turns BL204 / BL207 on
    (tmp_path / ".backlog-lint.toml").write_text('include = ["**/*.md"]\nextend-select = ["BL204", "BL207"]\n',
                                                 encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, ["format", *args], catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


def test_format__canonical_names_spelling_and_order(project: Path) -> None:
    (project / "BACKLOG.md").write_text(MESSY, encoding="utf-8")
    code, out, _ = run("BACKLOG.md")
    assert code == 0 and "Reformatted: BACKLOG.md" in out
    assert (project / "BACKLOG.md").read_text(encoding="utf-8") == CANONICAL
    code, out, _ = run("--check", "BACKLOG.md")
    assert code == 0 and "1 already formatted" in out


def test_format__keeps_alias_names_and_spellings_by_default(project: Path) -> None:
    (project / ".backlog-lint.toml").write_text('include = ["**/*.md"]\n', encoding="utf-8")
    (project / "BACKLOG.md").write_text(MESSY, encoding="utf-8")
    code, out, _ = run("BACKLOG.md")
    assert code == 0 and "Reformatted: BACKLOG.md" in out
    text = (project / "BACKLOG.md").read_text(encoding="utf-8")
    assert "- **Prio:** P1" in text and "**Priority:**" not in text  # the project's own spelling stays
    assert "- **Status:** done" in text  # and so does its value spelling
    assert text.index("**Effort:**") < text.index("**Prio:**")  # and its field order: `field-order` is not set
    # field order is applied when the config sets it
    (project / ".backlog-lint.toml").write_text('include = ["**/*.md"]\nfield-order = ["priority", "effort"]\n',
                                                encoding="utf-8")
    assert run("BACKLOG.md")[0] == 0
    text = (project / "BACKLOG.md").read_text(encoding="utf-8")
    assert text.index("**Prio:**") < text.index("**Effort:**") and "**Priority:**" not in text


def test_format__check_and_diff_write_nothing(project: Path) -> None:
    (project / "BACKLOG.md").write_text(MESSY, encoding="utf-8")
    code, out, _ = run("--check", "BACKLOG.md")
    assert code == 1 and "Would reformat: BACKLOG.md" in out
    code, out, _ = run("--diff", "BACKLOG.md")
    assert code == 1 and "+- **Priority:** P1" in out
    assert (project / "BACKLOG.md").read_text(encoding="utf-8") == MESSY


def test_format__crlf_bom_and_mode_kept(project: Path) -> None:
    path = project / "BACKLOG.md"
    path.write_bytes(("\ufeff" + MESSY).replace("\n", "\r\n").encode("utf-8"))
    os.chmod(path, 0o600)
    assert run("BACKLOG.md")[0] == 0
    data = path.read_bytes()
    assert data == ("\ufeff" + CANONICAL).replace("\n", "\r\n").encode("utf-8")
    assert path.stat().st_mode & 0o777 == 0o600


def test_format__unchanged_file_not_rewritten(project: Path) -> None:
    path = project / "BACKLOG.md"
    path.write_text(CANONICAL, encoding="utf-8")
    os.utime(path, (1_000_000_000, 1_000_000_000))
    assert run("BACKLOG.md")[0] == 0
    assert path.stat().st_mtime == 1_000_000_000


def test_format__refusal_is_exit_3_and_file_untouched(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import backlog_lint.format.canonical as formatter

    path = project / "BACKLOG.md"
    path.write_text(MESSY, encoding="utf-8")

    def refuse(text: str, *, path: str = "", config: object = None, model: object = None,
               stable: bool = True) -> str:
        raise formatter.UnsafeFormat(path, ["item 'T-1' field 'status': 'Done' -> 'Done.'"])

    monkeypatch.setattr(formatter, "format_text", refuse)
    code, _, err = run("BACKLOG.md")
    assert code == 3
    assert "BACKLOG.md: not formatted: the rewrite would change the backlog" in err and "'Done.'" in err
    assert path.read_text(encoding="utf-8") == MESSY


def test_format__unstable_file_would_change_for_check_and_is_refused_for_writing(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--check` asks "is it canonical?" (no: exit 1); writing or diffing needs a stable result (exit 3)."""
    drifting_mdformat(monkeypatch)
    path = project / "BACKLOG.md"
    path.write_text(CANONICAL, encoding="utf-8")
    assert run("--check", "--no-cache", "BACKLOG.md")[:2] == (1, "Would reformat: BACKLOG.md\n"
                                                               "1 file would be reformatted, 0 already formatted\n")
    for args in (("--diff",), ()):
        code, _, err = run("--no-cache", *args, "BACKLOG.md")
        assert code == 3 and "formatter is not stable on this file" in err, args
    assert path.read_text(encoding="utf-8") == CANONICAL


def test_format__undecodable_file_is_an_error_others_still_formatted(project: Path) -> None:
    (project / "A.md").write_bytes(b"# A\n\xff\n")
    (project / "B.md").write_text(MESSY, encoding="utf-8")
    code, _, err = run("A.md", "B.md")
    assert code == 2
    assert "A.md:2:1: invalid UTF-8" in err
    assert (project / "B.md").read_text(encoding="utf-8") == CANONICAL


def test_format__one_field_style_per_document(project: Path) -> None:
    text = ("# B\n\n### T-1: A\n\n- **Status:** Done\n- **Priority:** P1\n\n### T-2: B\n\n**Status:** Todo\n"
            "**Priority:** P2\n\n### T-3: C\n\n- **Status:** Todo\n- **Priority:** P2\n\n**Tasks:**\n- [ ] x\n")
    (project / "BACKLOG.md").write_text(text, encoding="utf-8")
    assert run("BACKLOG.md")[0] == 0
    out = (project / "BACKLOG.md").read_text(encoding="utf-8")
    assert "### T-2: B\n\n- **Status:** Todo\n- **Priority:** P2\n" in out
    assert "**Tasks:**\n\n- [ ] x\n" in out  # a label over a list is not a field value: left as written


def test_format__pathological_line_is_too_big_to_format_not_a_hang(project: Path) -> None:
    """Too big to format safely has its own exit status, 4 (issue 19): not a usage error, not a bug."""
    (project / "BACKLOG.md").write_text("# B\n\n" + "[" * 30_000 + "\n", encoding="utf-8")
    code, _, err = run("BACKLOG.md")
    assert code == 4
    assert ("BACKLOG.md:3: not formatted: too deep or too big to format safely: "
            "the line is too long and full of '['") in err


def test_format__each_text_read_into_the_model_once(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import backlog_lint.format.canonical as formatter
    import backlog_lint.parser as parser

    texts: list[str] = []
    real = parser.parse_source

    def counting(st: SourceText, path: str, vocab: object = None) -> object:
        texts.append(st.text)
        return real(st, path, vocab)  # type: ignore[arg-type]

    monkeypatch.setattr(parser, "parse_source", counting)
    monkeypatch.setattr(formatter, "parse_source", counting)
    (project / "BACKLOG.md").write_text(MESSY, encoding="utf-8")
    assert run("--no-cache", "BACKLOG.md")[0] == 0
    assert (project / "BACKLOG.md").read_text(encoding="utf-8") == CANONICAL
    assert texts[0] == MESSY and texts[-1] == CANONICAL
    assert len(texts) == len(set(texts))  # fixes, field order and mdformat each parse only their result
    texts.clear()
    assert run("--no-cache", "BACKLOG.md")[0] == 0
    assert texts == [CANONICAL]  # canonical already: one parse (the canonicalising lint)
