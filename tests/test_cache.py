"""The parse cache: hits, invalidation, corruption, forged entries, concurrency; parallel == serial."""

from __future__ import annotations

import multiprocessing
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest

from backlog_lint import pipeline
from backlog_lint.cache import Cache
from backlog_lint.config import Config, load_config
from backlog_lint.dump import document_dict
from backlog_lint.pipeline import parsing
from tests.conftest import SHARED
from tests.helpers import write_tree

TEXT = "# B\n\n### T-1: Cache\n- **Status:** Done\n"


@pytest.fixture(autouse=True)
def _user_cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


def _cfg(root: Path, extra: str = "") -> Config:
    (root / ".backlog-lint.toml").write_text('include = ["**/*.md"]\n' + extra, encoding="utf-8")
    return load_config(root)


def test_cache__second_run_hits_and_gives_same_model(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a/BACKLOG.md": TEXT, "TODO.md": "- [ ] x\n"})
    cfg = _cfg(tmp_path)
    c1 = pipeline.make_cache(cfg)
    ws1, _ = pipeline.build_workspace(cfg, [], tmp_path, cache=c1)
    assert (c1.hits, c1.misses) == (0, 2)
    c2 = pipeline.make_cache(cfg)
    ws2, _ = pipeline.build_workspace(cfg, [], tmp_path, cache=c2)
    assert (c2.hits, c2.misses) == (2, 0)
    assert [document_dict(d) for d in ws1.documents] == [document_dict(d) for d in ws2.documents]
    assert (tmp_path / ".backlog-lint-cache" / ".gitignore").read_text(encoding="utf-8").strip().endswith("*")


def test_cache__changed_bytes_or_config_miss(tmp_path: Path) -> None:
    write_tree(tmp_path, {"BACKLOG.md": TEXT})
    cfg = _cfg(tmp_path)
    pipeline.build_workspace(cfg, [], tmp_path, cache=pipeline.make_cache(cfg))
    (tmp_path / "BACKLOG.md").write_text(TEXT + "- **Priority:** P1\n", encoding="utf-8")
    c = pipeline.make_cache(cfg)
    ws, _ = pipeline.build_workspace(cfg, [], tmp_path, cache=c)
    assert c.misses == 1 and ws.documents[0].items[0].get("priority") is not None
    cfg2 = _cfg(tmp_path, 'status-aliases = { done = ["Shipped"] }\n')
    c = pipeline.make_cache(cfg2)
    pipeline.build_workspace(cfg2, [], tmp_path, cache=c)
    assert c.misses == 1


def test_cache__corrupt_and_forged_entries_are_ignored(tmp_path: Path) -> None:
    write_tree(tmp_path, {"BACKLOG.md": TEXT})
    cfg = _cfg(tmp_path)
    pipeline.build_workspace(cfg, [], tmp_path, cache=pipeline.make_cache(cfg))
    entries = [p for p in (tmp_path / ".backlog-lint-cache").rglob("*.pickle")]
    assert len(entries) == 1
    entries[0].write_bytes(entries[0].read_bytes()[:20])  # truncated
    c = pipeline.make_cache(cfg)
    ws, _ = pipeline.build_workspace(cfg, [], tmp_path, cache=c)
    assert c.misses == 1 and ws.documents[0].items
    # a forged entry (valid pickle, wrong signature) is never unpickled

    class Boom:
        def __reduce__(self):  # pragma: no cover - must never run
            return (exec, ("raise SystemExit('unpickled a forged cache entry')",))

    body = pickle.dumps(Boom())
    entries[0].write_bytes(b"BLC1" + b"\0" * 32 + body)
    c = pipeline.make_cache(cfg)
    ws, _ = pipeline.build_workspace(cfg, [], tmp_path, cache=c)
    assert c.misses == 1 and ws.documents[0].items


def _writer(directory: str, n: int) -> None:
    cache = Cache(Path(directory), "salt")
    for i in range(200):
        cache.put(cache.entry_key(f"v{i % 10}".encode(), "x.md"), {"n": i % 10, "payload": "x" * 5000})


def test_cache__concurrent_writers_never_leave_a_broken_entry(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_writer, args=(str(tmp_path / "c"), k)) for k in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    cache = Cache(tmp_path / "c", "salt")
    for i in range(10):
        assert cache.get(cache.entry_key(f"v{i}".encode(), "x.md")) == {"n": i, "payload": "x" * 5000}
    assert not list((tmp_path / "c").rglob(".tmp-*"))


@pytest.mark.slow
def test_parallel_parse__identical_to_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = sorted((SHARED / "corpus").rglob("*.md"))
    if not corpus:
        pytest.skip("shared corpus not available")
    cfg = Config(root=tmp_path)
    files = [(p, p.name) for p in corpus]
    monkeypatch.setattr(parsing, "PARALLEL_MIN_FILES", 2)
    serial = pipeline.load_documents(cfg, files, jobs=1, findings=True)
    parallel = pipeline.load_documents(cfg, files, jobs=2, findings=True)
    assert [document_dict(d) for d in serial.documents] == [document_dict(d) for d in parallel.documents]
    assert serial.findings == parallel.findings and serial.locations == parallel.locations
    assert len(serial.documents) == len(corpus) and any(serial.findings.values())


def test_cache__cached_models_load_with_the_collector_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Unpickling many models with the collector on scans them again and again (3x slower on 1,000 files)."""
    import gc

    write_tree(tmp_path, {f"d{n}/TODO.md": f"- [ ] T-{n}: task\n" for n in range(5)})
    cfg = _cfg(tmp_path)
    pipeline.build_workspace(cfg, [], tmp_path, cache=pipeline.make_cache(cfg), jobs=1)
    cache = pipeline.make_cache(cfg)
    collector_on: list[bool] = []
    real_get = cache.get

    def get(key: str) -> object:
        collector_on.append(gc.isenabled())
        return real_get(key)

    monkeypatch.setattr(cache, "get", get)
    ws, _ = pipeline.build_workspace(cfg, [], tmp_path, cache=cache, jobs=1)
    assert cache.hits == 5 and len(ws.documents) == 5
    assert collector_on == [False] * 5
    assert gc.isenabled()  # on again afterwards


@pytest.fixture
def _unfreeze() -> Iterator[None]:
    """check() freezes what the process holds (models live until a CLI run ends): undo it for the test session."""
    import gc

    yield
    gc.unfreeze()


@pytest.mark.usefixtures("_unfreeze")
def test_check__the_collector_never_scans_the_models(tmp_path: Path) -> None:
    """Made while the collector was off, the models would all be young to it when it is on again:
    its next collection would scan every one. check() freezes them first."""
    import gc

    write_tree(tmp_path, {f"d{n}/TODO.md": "".join(f"- [ ] T-{n}-{k}: task {k}\n" for k in range(50))
                          for n in range(5)})
    cfg = _cfg(tmp_path)
    rules = pipeline.select_rules(cfg, ("ALL",))
    young_at_start: list[int] = []

    def record(phase: str, info: dict) -> None:
        if phase == "start":
            young_at_start.append(gc.get_count()[0])  # allocations since the last collection

    for cache in (None, pipeline.make_cache(cfg), pipeline.make_cache(cfg)):  # parsed, parsed and cached, loaded
        gc.collect()
        young_at_start.clear()
        gc.callbacks.append(record)
        try:
            run = pipeline.Pipeline(cfg, rules, tmp_path, cache, jobs=1).check([], reuse=False)
        finally:
            gc.callbacks.remove(record)
        assert run.workspace is not None and gc.isenabled()
        items = {id(item) for doc in run.workspace.documents for item in doc.items}
        assert len(items) == 250
        assert max(young_at_start, default=0) < 2000, (cache, young_at_start)  # no collection saw them young
        seen = {id(o) for generation in (0, 1, 2) for o in gc.get_objects(generation)}
        assert items.isdisjoint(seen), cache  # and none will: they are frozen
        del run


# --------------------------------------------------------------------------- pruning

DAY = 24 * 3600


def _age(path: Path, seconds: float) -> None:
    import os
    import time

    t = time.time() - seconds
    os.utime(path, (t, t))


def test_cache__a_hit_marks_the_entry_used_at_most_once_a_day(tmp_path: Path) -> None:
    import time

    cache = Cache(tmp_path / "c", "salt")
    cache.put("ab12", {"x": 1})
    entry = cache._path("ab12")
    _age(entry, 2 * DAY)
    assert cache.get("ab12") == {"x": 1}
    assert entry.stat().st_mtime > time.time() - 60  # used now: kept by pruning
    _age(entry, 3600)
    before = entry.stat().st_mtime
    assert cache.get("ab12") == {"x": 1}
    assert entry.stat().st_mtime == before  # refreshed today already: no write on every hit


def test_cache__prune_removes_unused_entries_and_leftovers_once_a_day(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c", "salt")
    for key in ("aa01", "aa02", "bb03"):
        cache.put(key, key)
    _age(cache._path("aa02"), 31 * DAY)
    old_tmp = cache._path("aa01").parent / ".tmp-killed"
    new_tmp = cache._path("aa01").parent / ".tmp-writing"
    old_tmp.write_bytes(b"half")
    new_tmp.write_bytes(b"half")
    _age(old_tmp, 2 * 3600)
    assert cache.prune() == 2
    assert [cache.get(k) for k in ("aa01", "aa02", "bb03")] == ["aa01", None, "bb03"]
    assert not old_tmp.exists() and new_tmp.exists()
    assert (tmp_path / "c" / ".gitignore").exists()  # only entries and temporary files go
    _age(cache._path("bb03"), 40 * DAY)
    assert cache.prune() == 0  # pruned less than a day ago
    assert cache.prune(force=True) == 1
    _age(cache._path("aa01"), 40 * DAY)
    _age(tmp_path / "c" / ".last-pruned", 2 * DAY)
    assert cache.prune() == 1  # due again
    assert Cache(tmp_path / "missing", "salt").prune() == 0


def test_check__prunes_entries_of_old_file_versions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from click.testing import CliRunner

    from backlog_lint.cli import main

    write_tree(tmp_path, {"BACKLOG.md": TEXT, "TODO.md": "- [ ] x\n"})
    cfg = _cfg(tmp_path)
    monkeypatch.chdir(tmp_path)
    cache_dir = tmp_path / ".backlog-lint-cache"
    keys = pipeline.make_cache(cfg)

    def entry(name: str) -> Path:
        return keys._path(keys.entry_key((tmp_path / name).read_bytes(), name))

    def check() -> set[Path]:
        assert CliRunner().invoke(main, ["check"], catch_exceptions=False).exit_code in (0, 1)
        return set(cache_dir.rglob("*.pickle"))

    first = check()  # BACKLOG.md, TODO.md, the run and its report
    old_todo = entry("TODO.md")
    assert len(first) == 4 and {entry("BACKLOG.md"), old_todo} < first
    (tmp_path / "TODO.md").write_text("- [ ] y\n", encoding="utf-8")
    second = check()
    assert len(second) == 7 and first < second  # the old version's entries stay ...
    for path in second:
        _age(path, 31 * DAY)
    _age(cache_dir / ".last-pruned", 2 * DAY)
    third = check()  # nothing changed: the run's report comes from its entry, nothing is parsed
    # ... until the day's first run finds them unused for 30 days (the old TODO.md, the first run and report)
    assert third == second - (first - {entry("BACKLOG.md")})
    assert old_todo not in third and {entry("BACKLOG.md"), entry("TODO.md")} < third  # used by that run
    assert all(p.stat().st_mtime > time.time() - 60 for p in third)


def test_models_pickle_round_trip_whole(tmp_path: Path) -> None:
    """Models pickle through their constructors (model._pickled_by_constructor): nothing lost on the way."""
    from backlog_lint.model import Workspace
    from backlog_lint.parser import parse_bytes
    from tests.conftest import SEEDS

    paths = sorted(SEEDS.glob("*.md")) if SEEDS.is_dir() else []
    if not paths:
        pytest.skip("shared corpus not available")
    cfg = _cfg(tmp_path)
    for path in paths:
        doc = parse_bytes(path.read_bytes(), path.name, cfg.vocab)
        found = pipeline.file_findings(doc, cfg)
        back, found_back = pickle.loads(pickle.dumps((doc, found), protocol=pickle.HIGHEST_PROTOCOL))
        assert document_dict(back) == document_dict(doc)
        for name in ("items", "index", "links", "refdefs", "headings", "tables", "front_matter", "fields",
                     "problems", "code_lines", "html_comments", "thematic_breaks", "blank_lines", "loose_tasks",
                     "root"):
            assert getattr(back, name) == getattr(doc, name), (path.name, name)  # dataclass equality: deep
        assert found_back == found
        assert back.source.text == doc.source.text and back.source.lines == doc.source.lines
        ws = pickle.loads(pickle.dumps(Workspace("r", [doc], {doc.path: str(path)})))
        assert ws.root == "r" and ws.documents[0].items == doc.items and ws.locations == {doc.path: str(path)}
