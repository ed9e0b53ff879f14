"""Mutation fuzzing over the real backlogs of the shared corpus (issue 19).

Each round takes a corpus file and mutates it the way hostile or careless edits do: lines deleted
and duplicated; `|`, `---`, code fences, `- [ ]`, `#` and front-matter fences inserted; random
Unicode; CRLF and CR mixed into LF text. Then:

- `check` (the real command line, in-process) exits 0 or 1, or exits 2 with a message; never 3
  and never with an exception;
- `--fix` converges (a second `--fix` changes nothing), and every line it deletes is on a line
  that a fix of that round targeted;
- `format` is idempotent (formatting the result changes nothing) or refuses with a message.

The seed is fixed (``BACKLOG_LINT_MUTATION_SEED``) and the run has a time budget: a few seconds by
default (``BACKLOG_LINT_MUTATION_SECONDS``; a release run sets e.g. 600). The corpus is read from
``../shared/corpus`` at test time and never copied into the repository; without it the test is
skipped. A failure prints the seed, the round and the file, and writes the mutated text to the
test's temporary folder so it can be replayed.
"""

from __future__ import annotations

import difflib
import itertools
import os
import random
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from backlog_lint import pipeline
from backlog_lint.cli import main
from backlog_lint.config import Config, load_config
from backlog_lint.diagnostics import Diagnostic
from backlog_lint.fix.edits import fix_text
from backlog_lint.format.files import format_data
from backlog_lint.model import Workspace
from backlog_lint.parser import parse_text
from backlog_lint.source import decode

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
SEED = int(os.environ.get("BACKLOG_LINT_MUTATION_SEED", "20261205"))
BUDGET = float(os.environ.get("BACKLOG_LINT_MUTATION_SECONDS", "6"))
MAX_BYTES = 20_000  # small files: more rounds in the budget (a release run can raise it)
MAX_BYTES = int(os.environ.get("BACKLOG_LINT_MUTATION_MAX_BYTES", str(MAX_BYTES)))

INSERTS = ["|", "| a | b |", "|---|---|", "---", "***", "```", "~~~", "```python", "- [ ] ", "- [x] done",
           "#", "## ", "# TODO-1: again", "---\nstatus: done\n---", "  - [ ] nested", "> ", "1. ", "[x]: #"]
UNICODE = ["\u00e9", "\u2014", "\u00a0", "\u200b", "\ufeff", "\u202e", "\U0001f680", "\u0301", "\u2028",
           "\u00e2\u20ac\u201d", "\t", "\\", "`", "*", "_", "<!--", "-->", "<", "&amp;"]


def _corpus_files() -> list[Path]:
    files = sorted(p for p in CORPUS.rglob("*.md") if p.is_file() and 0 < p.stat().st_size <= MAX_BYTES)
    return files


def mutate(text: str, rnd: random.Random) -> str:
    """One to four random edits of the kinds listed in the module docstring."""
    lines = text.split("\n")
    for _ in range(rnd.randint(1, 4)):
        kind = rnd.randrange(7)
        i = rnd.randrange(len(lines) + 1)
        if kind == 0 and lines:
            del lines[min(i, len(lines) - 1)]
        elif kind == 1 and lines:
            j = min(i, len(lines) - 1)
            lines[j:j] = [lines[j]] * rnd.randint(1, 3)
        elif kind == 2:
            lines.insert(i, rnd.choice(INSERTS))
        elif kind == 3 and lines:
            j = min(i, len(lines) - 1)
            col = rnd.randint(0, len(lines[j]))
            lines[j] = lines[j][:col] + rnd.choice(INSERTS + UNICODE) + lines[j][col:]
        elif kind == 4:
            lines.insert(i, "".join(chr(rnd.randint(0x20, 0x2FFF)) for _ in range(rnd.randint(1, 12))))
        elif kind == 5 and lines:
            j = min(i, len(lines) - 1)
            lines[j] = lines[j] + rnd.choice(["\r", "\r\r", " \r"])
        elif kind == 6:
            lines.insert(0, "---") if rnd.random() < 0.5 else lines.insert(i, "---\ntitle: x")
    out = "\n".join(lines)
    if rnd.random() < 0.2:
        out = out.replace("\n", rnd.choice(["\r\n", "\r"]), rnd.randint(1, 20))
    return out


def _lint(cfg: Config, rules: list) -> Callable[[str], list[Diagnostic]]:
    def lint_text(text: str) -> list[Diagnostic]:
        doc = parse_text(text, "BACKLOG.md", cfg.vocab)
        ws = Workspace(str(cfg.root), [doc])
        return [d for d in pipeline.run_rules(ws, cfg, rules, ["BACKLOG.md"]) if d.path == "BACKLOG.md"]

    return lint_text


def _fix_targets_every_deleted_line(text: str, lint_text: Callable[[str], list[Diagnostic]]) -> str:
    """``--fix``'s loop, checking each round: a line that disappears lies on a line some fix edits."""
    rounds: list[tuple[str, set[int]]] = []

    def recording(t: str) -> list[Diagnostic]:
        diags = lint_text(t)
        lines = {n for d in diags if d.fix is not None and d.fix.safe
                 for e in d.fix.edits for n in range(e.span.line, e.span.end_line + 1)}
        rounds.append((t, lines))
        return diags

    result = fix_text(text, recording)
    for (before, targeted), (after, _) in itertools.pairwise([*rounds, (result.text, set())]):
        a, b = before.splitlines(), after.splitlines()
        for op, i1, i2, _j1, _j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if op in ("delete", "replace"):
                # identical lines are interchangeable: the diff may name another copy than the one fixed
                same = {a[m - 1] for m in targeted if m <= len(a)}
                untargeted = [n for n in range(i1 + 1, i2 + 1)
                              if n not in targeted and a[n - 1].strip() and a[n - 1] not in same]
                assert not untargeted, f"--fix changed or deleted lines no fix targets: {untargeted[:5]}"
    return result.text


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus (../shared/corpus) is not on this machine")
def test_mutation_fuzz__check_fix_and_format_hold_on_mutated_backlogs(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    files = _corpus_files()
    if not files:
        pytest.skip(f"no corpus file of at most {MAX_BYTES} bytes")
    project = tmp_path / "proj"
    project.mkdir()
    (project / ".backlog-lint.toml").write_text('include = ["**/*.md"]\n', encoding="utf-8")
    monkeypatch.chdir(project)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    cfg = load_config(project)
    lint_text = _lint(cfg, pipeline.select_rules(cfg))
    rnd = random.Random(SEED)
    runner = CliRunner()
    deadline = time.monotonic() + BUDGET
    rounds = 0
    while time.monotonic() < deadline or rounds < 3:
        rounds += 1
        source = rnd.choice(files)
        text = mutate(source.read_text(encoding="utf-8", errors="replace"), rnd)
        where = f"seed {SEED}, round {rounds}, {source.name} (mutant in {tmp_path / 'mutant.md'})"
        (tmp_path / "mutant.md").write_text(text, encoding="utf-8", newline="")
        (project / "BACKLOG.md").write_text(text, encoding="utf-8", newline="")

        run = runner.invoke(main, ["check", "--no-cache", "BACKLOG.md"])
        assert run.exception is None or isinstance(run.exception, SystemExit), f"{where}: {run.exception!r}"
        assert run.exit_code in (0, 1, 2), f"{where}: check exited {run.exit_code}: {run.output[-2000:]}"
        if run.exit_code == 2:
            assert run.output.strip(), f"{where}: exit 2 without a message"

        decoded, _bom, _ = decode(text.encode("utf-8"))  # as `--fix` reads the file: a leading BOM is a flag
        try:
            fixed = _fix_targets_every_deleted_line(decoded, lint_text)
        except AssertionError as exc:
            raise AssertionError(f"{where}: {exc}") from None
        assert fix_text(fixed, lint_text).text == fixed, f"{where}: a second --fix changed the text again"

        result = format_data(text.encode("utf-8"), "BACKLOG.md", cfg, keep=True)
        assert result.status != "error" or result.message, where
        if result.status in ("refused", "too complex", "error"):
            assert "BACKLOG.md" in result.message, f"{where}: {result.message}"
        elif result.status == "changed":
            again = format_data(result.data, "BACKLOG.md", cfg, keep=True)
            assert again.status == "unchanged", f"{where}: format is not idempotent ({again.status}: {again.message})"
    print(f"mutation fuzz: {rounds} mutants of {len(files)} corpus files in {BUDGET:.0f} s (seed {SEED})")
