"""The cyclic garbage collector while `format` works (#19): off for one file, and a pass's cyclic
garbage freed as the pass ends, so the peak is what it was with the collector on."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest

from backlog_lint.collector import collector_off
from backlog_lint.config import Config
from backlog_lint.format import canonical as formatter
from backlog_lint.format import one_parse
from backlog_lint.format.files import format_data

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import scale_shapes


@pytest.mark.parametrize("enabled", [True, False])
def test_collector__off_while_a_file_is_formatted_then_as_it_was(enabled: bool,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    real = formatter.format_text

    def spy(*args: object, **kwargs: object) -> str:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(formatter, "format_text", spy)
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        result = format_data(b"# T\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", "t.md", Config(root=Path.cwd()))
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
    assert result.status == "changed"
    assert seen == [False]


def test_collector__a_pass_leaves_no_cyclic_garbage(monkeypatch: pytest.MonkeyPatch) -> None:
    """mdformat's render tree is cyclic: one_parse cuts it, so even without collect_young nothing is left
    for the collector (17,000 objects on a table of 300 rows before)."""
    monkeypatch.setattr(formatter, "collect_young", lambda: None)
    text = scale_shapes.table(300)
    formatter.format_text(text, path="t.md", stable=False)  # imports and caches made outside the count
    gc.collect()
    with collector_off():
        assert formatter.format_text(text, path="t.md", stable=False) != text
        left = gc.collect()
    assert left == 0


def test_collector__collect_young_frees_the_tree_mdformat_makes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A text with something set aside goes through ``mdformat.text``, whose tree is freed by ``collect_young``."""
    text = "# T\n\n```\ncode\n```\n\n" + scale_shapes.table(300)
    formatter.format_text(text, path="t.md", stable=False)
    gc.collect()
    with collector_off():
        offered: list[bool] = []
        real = one_parse.offer

        def spy(*args: object) -> None:
            real(*args)  # type: ignore[arg-type]
            offered.append(bool(one_parse.handoff))

        monkeypatch.setattr(one_parse, "offer", spy)
        formatter.format_text(text, path="t.md", stable=False)
        left = gc.collect()
    assert offered == [False]  # the fence is set aside: mdformat parsed the text itself
    assert left < 100
    with collector_off():
        monkeypatch.setattr(formatter, "collect_young", lambda: None)
        formatter.format_text(text, path="t.md", stable=False)
        assert gc.collect() > 1000  # without it, the tree would wait for the collector
