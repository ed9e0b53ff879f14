"""Test helpers: lint small workspaces written to a temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from backlog_lint import pipeline
from backlog_lint.config import Config, load_config
from backlog_lint.diagnostics import Diagnostic

# Rules that compare a change with its base (`check --base`): no single file or workspace triggers
# them; tests/test_prmode.py runs them on real git histories.
NEEDS_A_BASE = frozenset({"BL310"})


def corpus_files() -> list[Path]:
    """Every Markdown file of the shared corpus (../shared/corpus), sorted; [] when it is not on this machine."""
    from tests.conftest import SHARED

    root = SHARED / "corpus"
    return sorted(p for p in root.rglob("*.md") if p.is_file()) if root.is_dir() else []


def corpus_texts() -> Iterator[tuple[str, str]]:
    """(path in the corpus, text) of each corpus file, read leniently with NULs dropped; the test is skipped
    when the corpus is not on this machine."""
    from tests.conftest import SHARED

    files = corpus_files()
    if not files:
        pytest.skip("the shared corpus (../shared/corpus) is not on this machine")
    for path in files:
        yield (str(path.relative_to(SHARED / "corpus")),
               path.read_text(encoding="utf-8", errors="replace").replace("\x00", ""))


def write_tree(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8", newline="")


def config_for(root: Path, toml: str | None = None) -> Config:
    """Config for a temp project: every .md file is a backlog unless the toml says otherwise."""
    body = toml if toml is not None else 'include = ["**/*.md"]\n'
    (root / ".backlog-lint.toml").write_text(body, encoding="utf-8")
    return load_config(root)


def lint_tree(root: Path, files: dict[str, str | bytes], *, select: tuple[str, ...] | None = None,
              checked: list[str] | None = None, toml: str | None = None) -> list[Diagnostic]:
    """Write files under root and lint them; `checked` limits the requested files (others are context)."""
    write_tree(root, files)
    cfg = config_for(root, toml)
    paths = [root / c for c in checked] if checked is not None else []
    run = pipeline.Pipeline.create(cfg, select=select, cwd=root)
    return run.check(run.files(paths), reuse=False).diagnostics


def lint_text(tmp_path: Path, text: str | bytes, *, select: tuple[str, ...] | None = None,
              name: str = "BACKLOG.md", preview: bool = False, toml: str | None = None) -> list[Diagnostic]:
    """Lint one file; ``toml`` is extra config (every .md file is a backlog in any case)."""
    body = 'include = ["**/*.md"]\n' + ("preview = true\n" if preview else "") + (toml or "")
    return lint_tree(tmp_path, {name: text}, select=select, toml=body)


def brief(diags: list[Diagnostic]) -> list[str]:
    """Compact, comparable form: 'path:line:col CODE'."""
    return [f"{d.path}:{d.span.line}:{d.span.col} {d.code}" for d in diags]


def drifting_mdformat(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make the formatter's mdformat call add one more line on every run (never stable); returns its calls."""
    from backlog_lint.format import canonical as formatter

    real = formatter._mdformat
    calls: list[int] = []

    def drifting(md: str, path: str) -> str:
        calls.append(1)
        return real(md, path) + "\n" + "." * len(calls) + "\n"

    monkeypatch.setattr(formatter, "_mdformat", drifting)
    return calls


def fix_one_rule(text: str, code: str, root: Path) -> tuple[str, list[Diagnostic]]:
    """Fix ``text`` (as BACKLOG.md) with only rule ``code`` selected, unsafe fixes allowed, as
    ``check --fix --unsafe-fixes --select CODE`` does; returns the text and its findings after."""
    from backlog_lint.config import Config
    from backlog_lint.fix.edits import fix_text
    from backlog_lint.model import Workspace
    from backlog_lint.parser import parse_text

    cfg = Config(root=root)
    rules = pipeline.select_rules(cfg, (code,))

    def lint(t: str) -> list[Diagnostic]:
        ws = Workspace(str(root), [parse_text(t, "BACKLOG.md", cfg.vocab)])
        return pipeline.run_rules(ws, cfg, rules, ["BACKLOG.md"])

    result = fix_text(text, lint, unsafe=True)
    return result.text, lint(result.text)


def seeds_twice(root: Path, seeds: list[Path]) -> None:
    """Two copies of every seed in one project (duplicate IDs and titles across files, in both orders)."""
    import shutil

    for n, src in enumerate(seeds):
        shutil.copy(src, root / src.name)
        (root / f"copy{n}").mkdir()
        shutil.copy(src, root / f"copy{n}" / src.name)
