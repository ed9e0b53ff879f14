"""Workspace summaries (summary.py): a run over a few files of a cached project reads the other
files' summaries, not their models, and finds exactly what a run without the cache finds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from backlog_lint import pipeline, summary
from backlog_lint.config import load_config
from backlog_lint.diagnostics import Diagnostic
from backlog_lint.model import Document
from tests.conftest import SEEDS
from tests.helpers import config_for, seeds_twice, write_tree
from tests.test_checked_subset import SYNTHETIC
from tests.test_workspace_rules import _cases, _read_case


def _cold(root: Path, rules: list, path: str) -> list[Diagnostic]:
    cfg = load_config(root)
    return pipeline.Pipeline(cfg, rules, root).check([root / path], reuse=False).diagnostics


def _warm(root: Path, rules: list, path: str) -> tuple[list[Diagnostic], pipeline.CheckRun]:
    cfg = load_config(root)
    run = pipeline.Pipeline(cfg, rules, root, pipeline.make_cache(cfg)).check([root / path], reuse=False)
    return run.diagnostics, run


def _assert_warm_equals_cold(root: Path) -> int:
    """Each file checked alone with the others' summaries finds what it finds with no cache at all."""
    cfg = load_config(root)
    rules = pipeline.select_rules(cfg, ("ALL",))
    paths = [pipeline.display_path(p, root) for p in pipeline.resolve_paths(cfg, [], root)]
    pipeline.Pipeline(cfg, rules, root, pipeline.make_cache(cfg)).check([])  # fills the cache
    found = 0
    for path in paths:
        warm, run = _warm(root, rules, path)
        assert run.workspace is not None
        slim = [d for d in run.workspace.documents if isinstance(d, summary.SummaryDocument)]
        assert len(slim) == len(paths) - 1, "the files not checked come from their summaries"
        assert warm == _cold(root, rules, path), path
        found += len(warm)
    return found


def test_synthetic_project_warm_equals_cold(tmp_path: Path) -> None:
    write_tree(tmp_path, SYNTHETIC)
    config_for(tmp_path)
    before = summary.STATS["completed"]
    assert _assert_warm_equals_cold(tmp_path) > 10
    assert summary.STATS["completed"] == before, "a summary was not enough for the cross-file rules"


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.name)
def test_fixture_workspace_warm_equals_cold(case: Path, tmp_path: Path) -> None:
    files, _expected, _select, _checked, toml = _read_case(case)
    write_tree(tmp_path, files)
    config_for(tmp_path, toml)
    _assert_warm_equals_cold(tmp_path)


@pytest.mark.slow
def test_seeds_as_one_project_warm_equals_cold(tmp_path: Path) -> None:
    seeds = sorted(SEEDS.glob("*.md")) if SEEDS.is_dir() else []
    if not seeds:
        pytest.skip("shared corpus not available")
    seeds_twice(tmp_path, seeds)
    config_for(tmp_path)
    assert _assert_warm_equals_cold(tmp_path) > 50


def test_one_changed_file_is_the_only_one_parsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, SYNTHETIC)
    config_for(tmp_path)
    cfg = load_config(tmp_path)
    rules = pipeline.select_rules(cfg, ("ALL",))
    pipeline.Pipeline(cfg, rules, tmp_path, pipeline.make_cache(cfg)).check([])
    changed = tmp_path / "team" / "b.md"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n- [ ] Add retry policy to the Redis map store\n",
                       encoding="utf-8")
    import backlog_lint.parser

    parsed: list[str] = []
    real = backlog_lint.parser.parse_bytes

    def counting(data: bytes, display: str, *args: object, **kwargs: object) -> Document:
        parsed.append(display)
        return real(data, display, *args, **kwargs)

    monkeypatch.setattr(backlog_lint.parser, "parse_bytes", counting)
    cache = pipeline.make_cache(cfg)
    warm = pipeline.Pipeline(cfg, rules, tmp_path, cache).check([changed])
    assert parsed == ["team/b.md"]
    assert (cache.summary_hits, cache.hits) == (len(SYNTHETIC) - 1, 0)
    monkeypatch.setattr(backlog_lint.parser, "parse_bytes", real)
    assert warm.diagnostics == _cold(tmp_path, rules, "team/b.md")
    assert {d.code for d in warm.diagnostics} >= {"BL306", "BL404"}  # found with the other files


def test_a_summary_loads_its_full_model_when_more_is_read(tmp_path: Path) -> None:
    write_tree(tmp_path, SYNTHETIC)
    config_for(tmp_path)
    cfg = load_config(tmp_path)
    rules = pipeline.select_rules(cfg, ("ALL",))
    pipeline.Pipeline(cfg, rules, tmp_path, pipeline.make_cache(cfg)).check([])
    stages = pipeline.Pipeline(cfg, rules, tmp_path, pipeline.make_cache(cfg))
    run = stages.check([tmp_path / "team" / "a.md"], reuse=False)
    assert run.workspace is not None
    doc = next(d for d in run.workspace.documents if d.path == "BACKLOG.md")
    assert isinstance(doc, summary.SummaryDocument)
    items = list(doc.items)
    before = summary.STATS["completed"]
    assert "TASK-9" in doc.source.text and doc.headings  # not in the summary: the full model is loaded
    assert summary.STATS["completed"] == before + 1
    in_sections = [it for sec in doc.sections() for it in sec.items]
    assert all(any(it is s for s in items) for it in in_sections), "one object per item"
    assert doc.items == items and doc.tables


def test_a_summary_item_loads_its_tasks_when_read(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.md": "# A\n\n### T-1: One\n- **Status:** Done\n\n- [ ] left\n- [x] done\n",
                          "b.md": "# B\n\n### T-2: Two\n- **Dependencies:** T-1\n"})
    config_for(tmp_path)
    cfg = load_config(tmp_path)
    rules = pipeline.select_rules(cfg, ("ALL",))
    pipeline.Pipeline(cfg, rules, tmp_path, pipeline.make_cache(cfg)).check([])
    run = pipeline.Pipeline(cfg, rules, tmp_path, pipeline.make_cache(cfg)).check([tmp_path / "b.md"], reuse=False)
    assert run.workspace is not None
    doc = next(d for d in run.workspace.documents if d.path == "a.md")
    item = doc.items[0]
    assert isinstance(item, summary.SummaryItem)
    before = summary.STATS["completed"]
    assert [(t.text, t.checked) for t in item.tasks] == [("left", False), ("done", True)]
    assert summary.STATS["completed"] == before + 1
    assert doc.source.text.startswith("# A") and summary.STATS["completed"] == before + 1  # loaded once
    assert doc.root.walk() and any(it is item for sec in doc.sections() for it in sec.items)


def test_summaries_come_from_one_pack_once_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from backlog_lint import summarypack
    from backlog_lint.cache import Cache

    monkeypatch.setattr(summarypack, "STALE_MIN", 2)
    write_tree(tmp_path, SYNTHETIC)
    config_for(tmp_path)
    cfg = load_config(tmp_path)
    rules = pipeline.select_rules(cfg, ("ALL",))
    pipeline.Pipeline(cfg, rules, tmp_path, pipeline.make_cache(cfg)).check([])
    own: list[str] = []
    real = Cache.get_summary_bytes

    def counting(self: Cache, key: str) -> bytes | None:
        own.append(key)
        return real(self, key)

    monkeypatch.setattr(Cache, "get_summary_bytes", counting)

    def run(path: str) -> pipeline.CheckRun:
        return pipeline.Pipeline(cfg, rules, tmp_path, pipeline.make_cache(cfg)).check([tmp_path / path], reuse=False)

    first = run("team/a.md")
    assert len(own) == len(SYNTHETIC) - 1  # no pack yet: each from its own entry, then the pack is written
    own.clear()
    assert run("team/a.md").diagnostics == first.diagnostics and own == []
    other = tmp_path / "lists" / "later.md"
    other.write_text(other.read_text(encoding="utf-8") + "- [ ] One more\n", encoding="utf-8")
    run("lists/later.md")  # checked: parsed; of the others, only a.md (checked before) is not in the pack
    assert len(own) == 1
    own.clear()
    run("team/a.md")
    assert len(own) == 1  # the edited file's new summary, from its own entry; too few to write the pack again


@pytest.mark.slow
def test_ecosystem_as_one_project_warm_equals_cold(tmp_path: Path) -> None:
    """Every real backlog of the ecosystem corpus in one project: a sample of its files, each checked alone
    with the others' summaries, finds what the rules find on the whole project parsed without a cache."""
    from tests.conftest import SHARED

    corpus = SHARED / "corpus"
    sources = sorted(p for s in ("ecosystem", "public") if (corpus / s).is_dir() for p in (corpus / s).rglob("*.md"))
    if len(sources) < 100:
        pytest.skip("shared corpus not available")
    for n, src in enumerate(sources):
        dest = tmp_path / f"p{n:03d}" / src.name
        dest.parent.mkdir()
        shutil.copy(src, dest)
    config_for(tmp_path)
    cfg = load_config(tmp_path)
    rules = pipeline.select_rules(cfg, ("ALL",), preview=True)
    files = pipeline.resolve_paths(cfg, [], tmp_path)
    pipeline.Pipeline(cfg, rules, tmp_path, pipeline.make_cache(cfg)).check(files, project=files)  # fills the cache
    ws, _ = pipeline.build_workspace(cfg, [], tmp_path)  # no cache: every model parsed
    paths = sorted(d.path for d in ws.documents)
    assert len(paths) == len(sources)
    before = summary.STATS["completed"]
    found = 0
    for path in paths[::11]:
        cold = pipeline.run_rules(ws, cfg, rules, [path])
        warm, run = _warm(tmp_path, rules, path)
        assert run.workspace is not None and sum(isinstance(d, summary.SummaryDocument)
                                                 for d in run.workspace.documents) == len(paths) - 1
        assert warm == cold, path
        found += len(warm)
    assert found > 20
    assert summary.STATS["completed"] - before < len(paths[::11])  # summaries suffice, nearly always
