"""Prefilters that let a rule skip text are only shortcuts: with them and without, the same findings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from backlog_lint.rules import misspelt_duplicate, unclosed_emphasis
from tests.helpers import brief, lint_text

_ANY = re.compile(r"")  # a prefilter that lets every text through

_GLOBBY = st.text(alphabet=st.sampled_from(list("*_.-ab1 `[]()#:\\")), min_size=1, max_size=30)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_GLOBBY, min_size=1, max_size=4))
@example(["ship release-*.*.*.gem", "**Status:** Done"])
def test_glob_prefilter__finds_what_reading_every_line_inline_finds(tmp_path: Path, lines: list[str]) -> None:
    text = "".join(f"- {line}\n" for line in lines)
    with_filter = brief(lint_text(tmp_path, text, select=("BL124",)))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(unclosed_emphasis, "_GLOB_STAR_RE", _ANY)
        without = brief(lint_text(tmp_path, text, select=("BL124",)))
    assert with_filter == without


def test_glob_prefilter__still_finds_a_glob(tmp_path: Path) -> None:
    assert unclosed_emphasis._GLOB_STAR_RE.search("ship release-*.*.*.gem")
    assert brief(lint_text(tmp_path, "- ship release-*.*.*.gem\n", select=("BL124",))) == ["BACKLOG.md:1:16 BL124"]
    for line in ("**Status:** Done", "- **[Docs](x)** (2 hours)", "*(2 hours)*", "**`code`**"):
        assert not unclosed_emphasis._GLOB_STAR_RE.search(line), line


@given(st.text(max_size=60))
def test_folded_words__ascii_shortcut_equals_casefolding_each_word(text: str) -> None:
    expected = [w.casefold() for w in misspelt_duplicate._WORD_RE.findall(text)]
    assert list(misspelt_duplicate._folded_words(text)) == expected
    ascii_text = text.encode("ascii", "ignore").decode()
    assert list(misspelt_duplicate._folded_words(ascii_text)) == [w.casefold() for w in
                                                           misspelt_duplicate._WORD_RE.findall(ascii_text)]
