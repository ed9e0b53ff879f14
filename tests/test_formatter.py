"""The canonical formatter: golden files, model preservation, idempotence, the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from backlog_lint.errors import UnsafeFormat
from backlog_lint.format import canonical as formatter
from backlog_lint.format.canonical import format_text
from backlog_lint.format.equivalence import check_equivalent, normalise_text
from backlog_lint.model import Document
from backlog_lint.parser import parse_text
from backlog_lint.source import DecodeError, SourceText, decode
from tests.conftest import SHARED
from tests.helpers import corpus_files, drifting_mdformat
from tests.strategies import ID, STATUS, TEXT, WORDS, backlog, checklist, field_line, front_matter, heading_item, table

FIXTURES = Path(__file__).parent / "fixtures" / "format"
GOLDEN_INPUTS = sorted(FIXTURES.glob("*.in.md"))
# Corpus files allowed to refuse (name -> why); keep this empty or short and explained.
KNOWN_CORPUS_REFUSALS: dict[str, str] = {}


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def _summary(doc: Document) -> list[tuple[object, ...]]:
    """An independent, coarse view of the model: what a reader of the backlog would notice."""
    out: list[tuple[object, ...]] = []
    for item in doc.items:
        tasks = [(normalise_text(t.text), t.checked) for t in item.all_tasks()]
        fields = [(f.key, normalise_text(f.value)) for f in item.fields if f.style != "table" or f.value.strip()]
        out.append((item.kind, item.id, normalise_text(item.title), normalise_text(item.status), tuple(fields),
                    tuple(tasks)))
    return out


def assert_safe_format(text: str, path: str = "x.md", refusals: dict[str, list[str]] | None = None) -> str | None:
    """Format; on success check the model, the newline style, front matter and idempotence.

    Returns the result, or None when the formatter refused (the reasons go to ``refusals``).
    """
    try:
        out = format_text(text, path=path)
    except UnsafeFormat as exc:
        assert exc.path == path
        assert exc.changes and all(isinstance(c, str) and c for c in exc.changes)
        if refusals is not None:
            refusals[path] = exc.changes
        return None
    before, after = parse_text(text, path), parse_text(out, path)
    assert check_equivalent(before, after) == []
    assert _summary(before) == _summary(after)
    assert format_text(out, path=path) == out, "not idempotent"
    if text.strip():
        src, res = SourceText.from_text(text), SourceText.from_text(out)
        assert res.newline == src.newline or "\n" not in out
        assert out.endswith(("\n", "\r")) or not out.strip()
    if before.front_matter_span is not None:
        st = SourceText.from_text(text)
        end = st.line_offsets[before.front_matter_span.end_line - 1]
        closing = st.lines[before.front_matter_span.end_line - 1]
        assert out.startswith(text[: end + len(closing)]), "front matter changed"
    return out


# --------------------------------------------------------------------------- golden files


@pytest.mark.parametrize("source", GOLDEN_INPUTS, ids=lambda p: p.name.removesuffix(".in.md"))
def test_formatter__golden(source: Path, update_goldens: bool) -> None:
    golden = source.with_name(source.name.replace(".in.md", ".out.md"))
    text = _read(source)
    out = format_text(text, path=source.name)
    if update_goldens:
        golden.write_bytes(out.encode("utf-8"))
    assert golden.exists(), f"{golden.name} is missing: run pytest with --update-goldens and review it"
    assert out == _read(golden)
    assert format_text(out, path=golden.name) == out
    assert check_equivalent(parse_text(text), parse_text(out)) == []


def test_formatter__golden_inputs_cover_the_brief() -> None:
    names = {p.name.removesuffix(".in.md") for p in GOLDEN_INPUTS}
    assert {"crlf", "front_matter", "code_fences", "suppression_comments", "nested_checklists", "ragged_table",
            "unicode", "hard_breaks", "no_final_newline"} <= names
    crlf = _read(FIXTURES / "crlf.in.md")
    assert "\r\n" in crlf and "\n" not in crlf.replace("\r\n", ""), "the CRLF fixture lost its CRLF newlines"
    assert _read(FIXTURES / "crlf.out.md").count("\r\n") == _read(FIXTURES / "crlf.out.md").count("\n")
    assert not _read(FIXTURES / "no_final_newline.in.md").endswith("\n")


def test_formatter__keeps_front_matter_code_and_comments_byte_for_byte() -> None:
    text = _read(FIXTURES / "front_matter.in.md")
    fm_end = text.index("---\n", 4) + 4
    assert format_text(text).startswith(text[:fm_end] + "\n# TASK-7")
    code = _read(FIXTURES / "code_fences.in.md")
    out = format_text(code)
    for block in ('~~~  python   title="x"\ndef f():\t\n\treturn 1   \n\n  # indented comment  \n~~~\n',
                  "    indented code block  \n\ttab-indented line\n",
                  "````markdown\n```\n* not a list   \n```\n````\n",
                  "  ```sh\n  make test   \n  \techo\ttabs\n  ```\n"):
        assert block in out
    comments = format_text(_read(FIXTURES / "suppression_comments.in.md"))
    assert "<!-- backlog-lint-disable BL101 -- legacy section -->\n" in comments
    assert "<!--\n  A multi-line comment\n    keeps   its   spacing\n-->\n" in comments


def test_formatter__bom_and_empty_text() -> None:
    assert format_text("") == ""
    assert format_text("\n\n") == ""
    assert format_text("\ufeff# T\n- [ ] a\n") == "\ufeff# T\n\n- [ ] a\n"
    assert format_text("# T\r- a\r") == "# T\r\r- a\r"


def test_formatter__canonical_input_is_returned_without_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "# Backlog\n\n### T-1: Title\n\n- **Status:** Done\n"

    def boom(*_args: object, **_kwargs: object) -> Document:
        raise AssertionError("an already canonical text needs no model comparison")

    monkeypatch.setattr(formatter, "parse_source", boom)
    assert format_text(text) == text


def test_formatter__hard_breaks_keep_the_file_style() -> None:
    assert format_text("a  \nb\n") == "a  \nb\n"
    assert format_text("a\\\nb\n") == "a\\\nb\n"
    assert format_text("a  \nb\n\nc\\\nd\n") == "a\\\nb\n\nc\\\nd\n"  # mixed: mdformat's backslash
    # a backslash inside an HTML block is not a hard break and stays
    assert format_text("a  \nb\n\n- x\n\n  <div>\n  y\\\n  </div>\n") == "a  \nb\n\n- x\n\n  <div>\n  y\\\n  </div>\n"


def test_formatter__ordered_lists_thematic_breaks_and_links() -> None:
    items = "".join(f"{n}. step {n}\n" for n in range(1, 13))
    assert format_text(items) == items
    assert format_text("a\n\n***\n\nb\n") == "a\n\n***\n\nb\n"
    assert format_text("***\n\nb\n\n---\n\nc\n\n---\n") == "***\n\nb\n\n---\n\nc\n\n---\n"
    link = "[план](./документы/план%20v2.md) [b](<./a b.md>) <https://例子.com/ü>\n"
    assert format_text(link) == link


def test_formatter__empty_tasks_and_wiki_links_stay_as_written() -> None:
    assert format_text("- [ ]\n- [x]\n- [ ] a\n") == "- [ ]\n- [x]\n- [ ] a\n"
    text = "- [ ] see [[Note name]] and ![[img.png]]\n"
    assert format_text(text) == text


@pytest.mark.parametrize(("source", "expected"), [
    pytest.param("See [a].\n\n[a]: ./one.md\n[a]: ./two.md\n[b]: ./unused.md\n\nText.\n",
                 "See [a].\n\n[b]: ./unused.md\n\nText.\n\n[a]: ./one.md\n[a]: ./two.md\n",
                 id="unused-and-second-link-definitions-kept"),
    # a row too short for the title column has an empty title, padded or not (it renders the same):
    # the rows are padded (this table was kept as written while the parser took the first cell as title)
    pytest.param("| Item | Item |\n|---|---|\n| TODO-002 |\n|  |\n\n* x\n",
                 "| Item     | Item |\n| -------- | ---- |\n| TODO-002 |      |\n|          |      |\n\n- x\n",
                 id="short-rows-are-padded-their-titles-stay-empty"),
    pytest.param("Some text\n[ref]: ./x.md\n\nsee [ref]\n* y\n", "Some text\n[ref]: ./x.md\n\nsee [ref]\n\n- y\n",
                 id="definition-like-line-in-a-paragraph"),
    pytest.param("| a | b |\n|---|---|\n| &nbsp; x | [[Note]] |\n",
                 "| a        | b        |\n| -------- | -------- |\n| &nbsp; x | [[Note]] |\n",
                 id="table-realigned-around-kept-text"),
    pytest.param("- item\n\n  <details>\n  <summary>x</summary>\n\n  </details>\n* y\n",
                 "- item\n\n  <details>\n  <summary>x</summary>\n\n  </details>\n\n* y\n", id="html-block-in-a-list"),
    pytest.param("* a\n    ~~~ sh  \n    x\t \n    ~~~\n* b\n", "- a\n  ~~~ sh  \n  x\t \n  ~~~\n- b\n",
                 id="fence-in-a-list-re-indented-verbatim"),
    pytest.param("- ```py\n  code  \n  ```\n- b\n", "- ```py\n  code  \n  ```\n- b\n", id="fence-on-the-marker-line"),
    pytest.param("> quote\n> ~~~\n> q  \n> ~~~\n", "> quote\n>\n> ```\n> q  \n> ```\n",
                 id="fence-in-a-quote-by-mdformat"),
    pytest.param("<a@example.com> <https://пример.рф/путь?q=ü> [x](<./my file.md> 'T')\n",
                 "<a@example.com> <https://пример.рф/путь?q=ü> [x](<./my file.md> \"T\")\n", id="link-destinations"),
])
def test_formatter__behaviour(source: str, expected: str) -> None:
    assert format_text(source) == expected
    assert format_text(expected) == expected
    assert assert_safe_format(source) == expected


def test_formatter__uses_the_configured_vocabulary(tmp_path: Path) -> None:
    from backlog_lint.config import Config

    config = Config(root=tmp_path, field_aliases={"status": ("zustand",)})
    text = "### T-1: A\n* **Zustand:** Done\n### T-2: B\n* **Zustand:** Offen\n"
    out = format_text(text, path="BACKLOG.md", config=config)
    assert out == "### T-1: A\n\n- **Zustand:** Done\n\n### T-2: B\n\n- **Zustand:** Offen\n"
    assert parse_text(out, vocab=config.vocab).items[0].get("status") is not None


# --------------------------------------------------------------------------- refusals


def test_formatter__refuses_to_drop_table_cells_in_a_list() -> None:
    text = "- list\n\n  | a | b |\n  |---|---|\n  | 1 | 2 | 3 |\n"
    with pytest.raises(UnsafeFormat) as info:
        format_text(text, path="BACKLOG.md")
    assert info.value.path == "BACKLOG.md"
    assert any("tables" in c for c in info.value.changes)
    assert "BACKLOG.md" in str(info.value)


def test_formatter__refuses_to_make_a_checkbox_outside_every_item() -> None:
    """mdformat writes the paragraph `[ ]` + `- [ ]` (an empty box, then a line indented into it) as
    `- [ ] &#10;- [ ]`, which is a checklist entry: under a section that is no item it was missed (a
    hypothesis case found chunked and whole formatting disagree on it)."""
    text = "# Plan\n\n### TASK-1: Ship\n\n## Notes\n\n- [ ] \n      - [ ] \n"
    with pytest.raises(UnsafeFormat) as info:
        format_text(text, path="BACKLOG.md")
    assert "0 checklist entries outside items -> 1 checklist entries outside items" in info.value.changes
    fine = "# Plan\n\n### TASK-1: Ship\n\n## Notes\n\n- [ ] a\n- [x] b\n"
    assert format_text(fine, path="BACKLOG.md") == fine  # loose entries that stay are no change


def test_formatter__refuses_unclosed_front_matter() -> None:
    with pytest.raises(UnsafeFormat) as info:
        format_text("---\nid: T-1\nstatus: Done\n\n# T-1\n")
    assert "BL003" in info.value.changes[0]
    broken_yaml = "---\nid: [T-1\n---\n# T-1\n"
    assert format_text(broken_yaml) == "---\nid: [T-1\n---\n\n# T-1\n"


def test_formatter__refuses_when_mdformat_fails() -> None:
    with pytest.raises(UnsafeFormat) as info:
        format_text("- [ ]\n  text on the next line\n")
    assert "mdformat" in info.value.changes[0]
    with pytest.raises(UnsafeFormat):
        format_text("a\x00b")


def test_formatter__detects_an_unstable_result(monkeypatch: pytest.MonkeyPatch) -> None:
    drifting_mdformat(monkeypatch)
    with pytest.raises(UnsafeFormat) as info:
        format_text("# T\n\n- [ ] a\n")
    assert info.value.changes[0] == "formatter is not stable on this file"


def test_formatter__check_only_skips_the_stability_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = drifting_mdformat(monkeypatch)
    out = format_text("# T\n\n- [ ] a\n", stable=False)  # `format --check`: is it canonical? no
    assert out == "# T\n\n- [ ] a\n\n.\n" and len(calls) == 1
    calls.clear()
    assert format_text("# T\n\n- [ ] a\n\n.\n", stable=False) == "# T\n\n- [ ] a\n\n.\n\n.\n"


# --------------------------------------------------------------------------- model comparison


def _diff(a: str, b: str) -> list[str]:
    return check_equivalent(parse_text(a, "x.md"), parse_text(b, "x.md"))


def test_check_equivalent__markup_canonicalisation_is_not_a_change() -> None:
    a = ("# B\n### TODO-5: Fix *the* cache_layer [x]\n* **Status:** Done\n* **Labels:** `a`, `b`\n"
         "+ [ ] sub &amp; task\n\n| ID | Status |\n|--|--|\n| T-1 | todo |\n| T-2 |\n\nline  \nnext\n")
    b = ("# B\n\n### TODO-5: Fix *the* cache_layer \\[x\\]\n\n- **Status:** Done\n- **Labels:** `a`, `b`\n\n"
         "- [ ] sub & task\n\n| ID  | Status |\n| --- | ------ |\n| T-1 | todo   |\n| T-2 |        |\n\nline\\\nnext\n")
    assert _diff(a, b) == []


def test_check_equivalent__reports_lost_or_altered_content() -> None:
    base = "### TODO-5: Title\n- **Status:** Done\n- [ ] a\n  - [x] b\n\n### TODO-6: Other\n"
    changed = _diff(base, base.replace("Done", "Done."))
    assert "item 'TODO-5' field 'status': 'Done' -> 'Done.'" in changed
    reopened = _diff(base, base.replace("Done", "Open"))
    assert "item 'TODO-5' status: 'done' -> 'todo'" in reopened
    assert "2 items -> 1 items" in _diff(base, base.replace("### TODO-6: Other\n", ""))
    assert any("tasks" in m for m in _diff(base, base.replace("[x] b", "[ ] b")))
    assert any("tasks" in m for m in _diff(base, base.replace("  - [x] b", "- [x] b")))
    code = "```\nx  \n```\n"
    assert any("code blocks" in m for m in _diff(code, code.replace("x  ", "x")))
    assert _diff(code, "    x  \n") == []
    assert any("HTML comments" in m for m in _diff("<!-- a -->\n", "<!-- b -->\n"))
    assert any("front matter" in m for m in _diff("---\nid: A-1\n---\n# T\n", "---\nid: A-2\n---\n# T\n"))
    assert any("link" in m for m in _diff("[a](./x.md)\n", "[a](./y.md)\n"))


def test_check_equivalent__message_shapes() -> None:
    changes = _diff("### TODO-5: T\n- **Status:** Done\n", "### TODO-5: T\n- **Status:** Done.\n")
    assert changes[0] == "item 'TODO-5' field 'status': 'Done' -> 'Done.'"
    assert _diff("- [ ] a\n- [ ] b\n- [ ] c\n", "- [ ] a\n- [ ] b\n")[0] == "3 items -> 2 items"


# --------------------------------------------------------------------------- properties

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

UNICODE = st.sampled_from(["Привет мир", "数据迁移", "🚀🔥", "✅ Done", "naïve café", "ключ-значение", "任务 🐛"])
LINE = st.lists(st.one_of(WORDS, UNICODE, st.sampled_from(["&amp;", "&nbsp;", "[[Note]]", "*em*", "_x_", "a_b"])),
                min_size=1, max_size=5).map(" ".join)


def fence() -> st.SearchStrategy[str]:
    body = st.lists(st.sampled_from(["x = 1   ", "\tindented\ttab", "", "  * not a list  ", "# not a heading",
                                     "<!-- not a comment -->", "数据 🚀  "]), max_size=4).map("\n".join)
    return st.builds(lambda f, info, b, indent: "\n".join(indent + ln if ln else ln
                                                         for ln in [f + info, *b.split("\n"), f]),
                     st.sampled_from(["```", "~~~", "````"]), st.sampled_from(["", "python", "  sh  x"]), body,
                     st.sampled_from(["", "  "]))


def hard_break() -> st.SearchStrategy[str]:
    return st.builds(lambda a, b, s: f"{a}{s}\n{b}", LINE, LINE, st.sampled_from(["  ", "   ", "\\"]))


def bullets() -> st.SearchStrategy[str]:
    entry = st.builds(lambda d, m, t, tab: ("\t" if tab else "    ") * d + f"{m} {t}", st.integers(0, 2),
                      st.sampled_from(["*", "-", "+", "1.", "2)"]), st.one_of(LINE, field_line()), st.booleans())
    return st.lists(entry, min_size=1, max_size=5).map("\n".join)


BLOCK = st.one_of(heading_item(), field_line(), checklist(), table(), bullets(), fence(), hard_break(), LINE,
                  st.just("---"), st.just("***"), st.just("<!-- backlog-lint-disable-next-line BL101 -->"),
                  st.builds(lambda i, s: f"### {i}: {s}\n- **Status:** {s}", ID, STATUS),
                  st.builds(lambda t: f"> {t}", TEXT), st.just("[ref]: ./docs/план.md"), st.just("see [ref]"))


@st.composite
def backlog_documents(draw: st.DrawFn) -> str:
    parts = []
    if draw(st.booleans()):
        parts.append(draw(front_matter()))
    parts.extend(draw(st.lists(BLOCK, max_size=10)))
    text = draw(st.sampled_from(["\n", "\n\n", "\n\n\n"])).join(parts)
    if draw(st.booleans()):
        text += "\n"
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return text


@pytest.mark.slow
@SETTINGS
@given(backlog_documents())
@example("---\nid: T-1\nstatus: Done\n---\n# T\n\n```\ncode  \n```\n")
@example("| ID | Status |\r\n|---|---|\r\n| T-1 | ✅ | extra |\r\n| T-2 |\r\n")
def test_formatter__property_model_preserved_or_refused(text: str) -> None:
    assert_safe_format(text)


@pytest.mark.slow
@SETTINGS
@given(backlog())
def test_formatter__property_parser_strategies(text: str) -> None:
    assert_safe_format(text)


# --------------------------------------------------------------------------- the corpus




@pytest.mark.slow
def test_formatter__corpus() -> None:
    files = corpus_files()
    if not files:
        pytest.skip("shared corpus not available")
    refused: dict[str, list[str]] = {}
    changed = 0
    undecodable = 0
    for path in files:
        try:
            text = decode(path.read_bytes())[0]
        except DecodeError:  # not UTF-8: check reports BL001 and format leaves it alone
            undecodable += 1
            continue
        name = str(path.relative_to(SHARED / "corpus"))
        out = assert_safe_format(text, name, refused)
        if out is not None and out != text:
            changed += 1
    print(f"\nformatter corpus: {len(files)} files, {undecodable} not UTF-8, {changed} reformatted, "
          f"{len(refused)} refused")
    assert undecodable < len(files) // 10
    for name, why in refused.items():
        print(f"  refused {name}: {why[:3]}")
    unexpected = {n: w for n, w in refused.items() if Path(n).name not in KNOWN_CORPUS_REFUSALS}
    assert not unexpected, f"corpus files the formatter refuses: {unexpected}"


def test_formatter__code_span_broken_over_lines_is_kept() -> None:
    # mdformat would put the span on one line with the continuation's indentation inside the code
    text = ("# T\n\n- [ ] **Fix the leak**: remove the `.x { size:\n      $base; }` rule from the theme\n"
            "- [ ] Run the tests\n")
    out = format_text(text)
    assert "`.x { size:\n      $base; }`" in out
    assert format_text(out) == out
    assert assert_safe_format(text) == out


def test_equivalence__refusal_shows_where_long_texts_differ() -> None:
    from backlog_lint.format.equivalence import _contrast

    before = "Fix the leak: remove the leftover rule from the theme's application stylesheet, then"
    after = before[:40] + "     $base; }" + before[40:]
    was, now = _contrast(before, after, 60)
    assert was != now and "$base" in now and "$base" not in was
    assert len(was) < 80 and len(now) < 80
