"""The stat cache (statcache.py): unchanged files are neither read nor hashed on a warm run; a
changed one is, whatever its size; a file modified too recently to trust its stat is always read."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from backlog_lint import pipeline, statcache
from backlog_lint.config import load_config
from tests.helpers import config_for, write_tree

FILES = {
    "BACKLOG.md": "# Backlog\n\n### TASK-1: Cache parser output\n- **Status:** Done\n- **Dependencies:** TASK-2\n",
    "team/a.md": "# A\n\n### TASK-2: Add a watch flag\n- **Status:** To Do\n",
    "team/b.md": "# B\n\n### TASK-3: Add a timeout\n- **Status:** To Do\n",
}
OLD = time.time() - 3600  # an hour ago: well outside the racy window


def _age(root: Path) -> None:
    for rel in FILES:
        os.utime(root / rel, (OLD, OLD))


def _run(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[pipeline.CheckRun, list[str]]:
    """A check of the whole project with the cache; which files were read."""
    read: list[str] = []
    real = statcache.read_regular

    def counting(path: Path) -> bytes:
        read.append(Path(path).relative_to(root).as_posix())
        return real(path)

    monkeypatch.setattr(statcache, "read_regular", counting)
    cfg = load_config(root)
    files = pipeline.resolve_paths(cfg, [], root)
    stages = pipeline.Pipeline(cfg, pipeline.select_rules(cfg, ("ALL",)), root, pipeline.make_cache(cfg))
    run = stages.check(files, reuse=False, project=files)
    monkeypatch.setattr(statcache, "read_regular", real)
    return run, sorted(read)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_tree(tmp_path, FILES)
    config_for(tmp_path)
    os.utime(tmp_path / ".backlog-lint.toml", (OLD, OLD))
    _age(tmp_path)
    return tmp_path


def test_warm_run_reads_no_unchanged_file(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cold, read = _run(project, monkeypatch)
    assert read == sorted(FILES)
    warm, read = _run(project, monkeypatch)
    assert read == []
    assert warm.diagnostics == cold.diagnostics and warm.diagnostics
    assert [s.display for s in warm.srcs if s.unread] == sorted(FILES)


def test_a_changed_file_of_the_same_size_is_read(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before, _ = _run(project, monkeypatch)
    assert any(d.code == "BL404" for d in before.diagnostics)  # TASK-1 is done, TASK-2 open
    path = project / "team" / "a.md"
    text = path.read_text(encoding="utf-8")
    new = text.replace("To Do", "Done!")
    assert len(new) == len(text)
    path.write_text(new, encoding="utf-8")
    os.utime(path, (OLD, OLD))  # the same size and the same mtime: only the inode's ctime tells
    after, read = _run(project, monkeypatch)
    assert read == ["team/a.md"]
    assert not any(d.code == "BL404" for d in after.diagnostics)


def test_a_recently_modified_file_is_read_every_time(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = project / "team" / "b.md"
    path.write_text(FILES["team/b.md"] + "- **Priority:** P1\n", encoding="utf-8")  # mtime now: racy
    _run(project, monkeypatch)
    for _ in range(2):
        _, read = _run(project, monkeypatch)
        assert read == ["team/b.md"]
    os.utime(path, (OLD, OLD))
    _run(project, monkeypatch)
    _, read = _run(project, monkeypatch)
    assert read == []


def test_reports_show_excerpts_of_files_taken_on_their_stat(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _run(project, monkeypatch)
    cfg = load_config(project)
    rules = pipeline.select_rules(cfg, ("ALL",))
    files = pipeline.resolve_paths(cfg, [], project)
    stages = pipeline.Pipeline(cfg, rules, project, pipeline.make_cache(cfg))
    stages.check(files, project=files)  # the run cache is filled
    run = pipeline.Pipeline(cfg, rules, project, pipeline.make_cache(cfg)).check(files, project=files)
    assert run.workspace is None  # reused whole
    assert run.sources()["BACKLOG.md"][2] == "### TASK-1: Cache parser output"


def test_a_file_gone_since_the_index_is_an_io_error(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _run(project, monkeypatch)
    cfg = load_config(project)
    cache = pipeline.make_cache(cfg)
    srcs = pipeline.read_files([(project / rel, rel) for rel in FILES], cache)
    assert all(s.unread for s in srcs)
    (project / "team" / "b.md").unlink()
    # the entries are there: no read needed
    docs = pipeline.parse_files(cfg, srcs, cache=pipeline.make_cache(cfg)).documents
    assert len(docs) == 3
    src = srcs[2]
    statcache.load(src, cache)
    assert src.error is not None and src.key is None and not src.unread
