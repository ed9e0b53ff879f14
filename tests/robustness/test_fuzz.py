"""Fuzzing `--fix`: it converges, is idempotent and raises nothing, on backlog-shaped and arbitrary text.

The parser's own never-raises properties live in tests/test_parser_properties.py; here the whole
rule set and the fix loop run on every example. Profiles (tests/robustness/conftest.py): about
100 examples by default, many more with BACKLOG_LINT_FUZZ=1 (see tests/robustness/README.md).
"""

from __future__ import annotations

import codecs
import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st

from backlog_lint import pipeline
from backlog_lint.cli import main
from backlog_lint.config import Config
from backlog_lint.diagnostics import Diagnostic
from backlog_lint.fix.edits import fix_text
from backlog_lint.model import Workspace
from backlog_lint.parser import parse_text
from tests.robustness._support import CONFIG, FUZZ, HYPOTHESIS_PROFILE
from tests.strategies import BLOCK, backlog

PROFILE = settings.get_profile(HYPOTHESIS_PROFILE)
# a CLI run costs ~50 ms: fewer examples for the end-to-end property
CLI_SETTINGS = settings(PROFILE, max_examples=max(PROFILE.max_examples // 10, 10) if FUZZ else 50)

# Pieces that trigger every fixable rule (BL002 mojibake, BL102 breaks, BL105 numbering, BL204 aliases,
# BL207 spellings) and the structures that interact with them.
FIXY = st.sampled_from([
    "- **Prio:** P1", "**Prio:** high", "- **Depends on:** T-001", "- **Severity:** P2", "- **Tags:** a, b",
    "- **Status:** done.", "- **Status:** Done", "- **Status:** in progress", "- **Status:** In Progress",
    "- **Status:** IN PROGRESS", "---", "***", "___", "- - -", "### 1. One", "### 3. Three", "### 2) Two",
    "## 7. Seven", "CafÃ© â€” naÃ¯ve", "donâ€™t", "â€œquotedâ€\x9d", "Ã¼ber", "| Item | Prio |", "|---|---|",
    "| T-001: x | P1 |", "| a |", "> ---", "- ---", "    ---", "<!-- x -->", "```", "~~~", "", "# Title",
    "## Section (P1)", "- [ ] T-001: task", "- [x] done thing", "\t- [ ] sub", "Status: Done",
    "<!-- backlog-lint-disable-next-line BL204 -->", "<!-- backlog-lint-disable BL102 -->",
    "<!-- backlog-lint-enable -->", "[link](#t-001-task)", "---\nid: T-9\nstatus: done.\n---",
])
MUTATION = st.sampled_from(["\n", " ", "-", "*", "#", "|", "`", ">", "  ", "\t", "1.", "[", "]", "~~", "Ã", "\r",
                            "\u00a0", "\u200b", "\ufeff", "**", ":"])


@st.composite
def fixable_text(draw: st.DrawFn) -> str:
    """Backlog blocks and fix triggers, joined, then lightly mutated character by character."""
    parts = draw(st.lists(st.one_of(FIXY, BLOCK), max_size=25))
    text = draw(st.sampled_from(["\n", "\n\n", "\r\n"])).join(parts)
    for _ in range(draw(st.integers(0, 4))):
        i = draw(st.integers(0, len(text)))
        text = text[:i] + draw(MUTATION) + text[i:]
    return text


MARKDOWN_ALPHABET = st.sampled_from([*"#-*_|`>[]()!:~ \t\n\r0123456789TxX.\\<>", "Ã", "©", "—", "✅", "\u00a0"])
ARBITRARY = st.one_of(st.text(max_size=300), st.text(MARKDOWN_ALPHABET, max_size=300))


@pytest.fixture(scope="module")
def lint_one(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("fuzz")
    cfg = Config(root=root)
    rules = pipeline.select_rules(cfg)

    def lint(text: str) -> list[Diagnostic]:
        ws = Workspace(str(root), [parse_text(text, "BACKLOG.md", cfg.vocab)])
        return pipeline.run_rules(ws, cfg, rules, ["BACKLOG.md"])

    return lint


def assert_fix_converges(lint, text: str, unsafe: bool) -> None:
    result = fix_text(text, lint, unsafe=unsafe)  # FixLoopError would be a bug: no exception is expected
    left = [f"{d.span} {d.code} {d.message}" for d in lint(result.text)
            if d.fix is not None and (d.fix.safe or unsafe)]
    assert left == [], f"fixable findings remain after --fix:\n{left}\n--- fixed text ---\n{result.text!r}"
    again = fix_text(result.text, lint, unsafe=unsafe)
    assert again.text == result.text and again.count == 0, "a second --fix changed the text again"


@settings(PROFILE)
@given(text=st.one_of(backlog(), fixable_text()), unsafe=st.booleans())
def test_fuzz__fix_converges_on_backlog_shaped_text(lint_one, text: str, unsafe: bool) -> None:
    assert_fix_converges(lint_one, text, unsafe)


@settings(PROFILE)
@given(text=ARBITRARY, unsafe=st.booleans())
def test_fuzz__fix_converges_on_arbitrary_text(lint_one, text: str, unsafe: bool) -> None:
    assert_fix_converges(lint_one, text, unsafe)


@settings(CLI_SETTINGS)
@given(texts=st.lists(st.one_of(backlog(), fixable_text(), ARBITRARY), min_size=1, max_size=3),
       bom=st.booleans(), unsafe=st.booleans())
# a second BOM after the first is text of the file (it once made --fix refuse: "changed on disk")
@example(texts=["\ufeff**PRI:**\n**STATUS:**"], bom=True, unsafe=False)
def test_fuzz__cli_fix_on_files_is_idempotent_and_keeps_bom(texts: list[str], bom: bool, unsafe: bool) -> None:
    """The real `--fix` on 1-3 files: exit 0/1, a second run changes nothing, a BOM survives."""
    flags = ["--fix", "--no-cache", *(["--unsafe-fixes"] if unsafe else [])]
    runner = CliRunner()
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / ".backlog-lint.toml").write_text(CONFIG, encoding="utf-8")
        for i, text in enumerate(texts):
            (root / f"B{i}.md").write_bytes((codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8"))
        os.chdir(root)
        try:
            first = runner.invoke(main, flags)
            after_first = {p.name: p.read_bytes() for p in root.glob("*.md")}
            second = runner.invoke(main, flags)
            after_second = {p.name: p.read_bytes() for p in root.glob("*.md")}
        finally:
            os.chdir(cwd)
    for result in (first, second):
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            f"{type(result.exception).__name__}: {result.exception}\n{result.output}")
        assert result.exit_code in (0, 1), result.output
    assert after_second == after_first, "a second --fix changed files again"
    if bom:
        for name, data in after_first.items():
            assert data.startswith(codecs.BOM_UTF8), f"{name}: --fix dropped the BOM"
