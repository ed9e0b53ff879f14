"""A big text is formatted chunk by chunk (issue 19): the result is the whole text's, byte for byte.

``chunk_bytes=1`` cuts a text at every place ``chunks.cut_points`` allows, so small texts exercise
every cut; ``chunk_bytes`` far above the text's size formats it in one piece, as before chunking.
"""

from __future__ import annotations

import pytest
from hypothesis import given

from backlog_lint.errors import TooComplex, UnsafeFormat
from backlog_lint.format import canonical as formatter
from backlog_lint.format.canonical import format_text
from backlog_lint.format.chunks import cut_points, split
from tests.helpers import corpus_files
from tests.test_formatter import GOLDEN_INPUTS, SETTINGS, backlog_documents

WHOLE = 10**9


def _both(text: str, *, stable: bool = True) -> tuple[object, object]:
    """The text formatted in one piece and at every cut (or the refusal's kind)."""

    def run(chunk_bytes: int) -> object:
        try:
            return format_text(text, path="x.md", chunk_bytes=chunk_bytes, stable=stable)
        except (UnsafeFormat, TooComplex) as exc:
            return type(exc).__name__
    return run(WHOLE), run(1)


def _starts(text: str) -> list[str]:
    return [text[c:].splitlines()[0] for c in cut_points(text)]


# --------------------------------------------------------------------------- where a text is cut


def test_cut_points__before_a_top_level_heading_after_a_blank_line() -> None:
    text = "# A\n\npara\n# B\n\n- x\n\n## C\n  # D\n\n#E\n\n###### F\n"
    assert _starts(text) == ["## C", "###### F"]


def test_cut_points__never_inside_fences_html_blocks_or_front_matter() -> None:
    text = ("---\ntitle: x\n\n# in front matter\n---\n\n# A\n\n```\n\n# in a fence\n~~~\n\n# still\n```\n\n# B\n\n"
            "<!-- a comment\n\n# in a comment\n-->\n\n# C\n\n<pre>\n\n# in pre\n</pre>\n\n# D\n\n"
            "- item\n\n  ````\n\n# after a list item's fence: the scan errs the safe way\n  ````\n\n# E\n")
    assert _starts(text) == ["# A", "# B", "# C", "# D", "# E"]


def test_cut_points__none_with_link_definitions_mixed_newlines_or_open_front_matter() -> None:
    assert cut_points("# A\n\n[x]\n\n# B\n\n[x]: /y\n") == []
    assert cut_points("# A\r\n\r\n# B\n\n# C\n") == []
    assert cut_points("---\na: b\n\n# A\n") == []
    assert _starts("# A\r\n\r\n# B\r\n\r\n# C\r\n") == ["# B", "# C"]


def test_split__groups_pieces_into_chunks_of_at_least_the_size() -> None:
    text = "".join(f"# H{i}\n\n" + "word " * 20 + "\n\n" for i in range(100))
    pieces = split(text, 1_000)
    assert "".join(pieces) == text and len(pieces) > 3
    assert all(len(p) >= 1_000 for p in pieces)
    assert split(text, len(text)) == [text]


# --------------------------------------------------------------------------- chunked == whole


def test_format_chunks__golden_inputs_format_the_same_at_every_cut() -> None:
    for source in GOLDEN_INPUTS:
        text = source.read_bytes().decode("utf-8")
        whole, chunked = _both(text)
        assert chunked == whole, source.name


@pytest.mark.parametrize("text", [
    "# A\n\n***\n\n# B\n\n---\n\n# C\n\n* * *\n",  # the thematic break most used, across chunks
    "***\n\n# B\n\ntext\n",  # a break that starts the file
    "# A\n\na  \nb\n\n# B\n\nc\\\nd\n",  # hard breaks: one style for the file
    "# A\n\na  \nb\n\n# B\n\nc  \nd\n",
    "---\nid: 1\n---\n\n# A\n\n- x\n",  # front matter alone in the first chunk
    "\n\n# A\n\n- a\n\n\n# B\n\n1. x\n1. y\n",
    "# A\r\n\r\n- [ ] a\r\n\r\n# B\r\n\r\n| a | b |\r\n|---|---|\r\n| 1 | 2 |\r\n",
    "# A\n\n- list\n\n  | a | b |\n  |---|---|\n  | 1 | 2 | 3 |\n\n# B\n\n- x\n",  # refused in either way
    # a ragged table kept as written (careful pass): the stability pass of its chunk must be careful too
    "# A\n\n# B\n\n**Status**: Done\n\n| Status | Item |\n|---|---|\n| cache |",
])
def test_format_chunks__document_wide_style_and_refusals(text: str) -> None:
    whole, chunked = _both(text)
    assert chunked == whole
    checked_whole, checked_chunked = _both(text, stable=False)  # `--check`: would it change?
    assert (checked_chunked == text) == (checked_whole == text)


@pytest.mark.slow
@SETTINGS
@given(backlog_documents())
def test_format_chunks__property_chunked_is_whole(text: str) -> None:
    whole, chunked = _both(text)
    assert chunked == whole




@pytest.mark.slow
@pytest.mark.skipif(not corpus_files(), reason="the shared corpus (../shared/corpus) is not on this machine")
def test_format_chunks__corpus_chunked_is_whole() -> None:
    checked = 0
    for path in corpus_files():
        text = path.read_bytes().decode("utf-8", errors="replace")
        if "\x00" in text or len(split(text, 1)) < 2:
            continue
        whole, chunked = _both(text)
        assert chunked == whole, path.name
        checked += 1
    assert checked >= 100


# --------------------------------------------------------------------------- work skipped


def test_format_chunks__check_stops_at_the_first_chunk_that_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    canonical = "".join(f"# H{i}\n\n- [ ] TODO-{i}: word\n\n" for i in range(40))
    text = canonical.replace("# H5\n", "# H5 #\n") + "\n\n"
    calls: list[str] = []
    original = formatter._format_pass

    def counting(st: object, *args: object, **kwargs: object) -> str:
        calls.append("pass")
        return original(st, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(formatter, "_format_pass", counting)
    assert format_text(text, chunk_bytes=100, stable=False) != text
    stopped = len(calls)
    calls.clear()
    assert format_text(text, chunk_bytes=100) == canonical.rstrip("\n") + "\n"
    assert stopped < len(calls) // 3


def test_format_chunks__unchanged_chunks_are_not_parsed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "".join(f"# H{i}\n\n- [ ] TODO-{i}: word\n\n" for i in range(40)).rstrip("\n") + "\n"
    parses: list[str] = []
    original = formatter.parse_source

    def counting(st: object, *args: object, **kwargs: object) -> object:
        parses.append(st.text)  # type: ignore[attr-defined]
        return original(st, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(formatter, "parse_source", counting)
    assert format_text(text, chunk_bytes=100) == text
    assert parses == []
    messy = text.replace("# H20\n", "# H20 #\n")
    assert format_text(messy, chunk_bytes=100) == text
    assert len(parses) == 2 and all(len(p) < 200 for p in parses)  # the changed chunk, before and after


def test_format_chunks__a_chunk_over_the_limit_is_refused_with_its_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formatter, "FORMAT_MAX_BYTES", 300)
    text = "# A\n\n- a\n\n# B\n\n" + "".join(f"- [ ] entry {i}\n" for i in range(40)) + "\n# C\n\n- c\n"
    with pytest.raises(TooComplex) as info:
        format_text(text, chunk_bytes=10)
    assert "the part from line 5 is" in info.value.reason and "split the file" in info.value.reason
