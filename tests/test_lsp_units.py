"""The language server's pure parts, without a server: positions in the client's units, edits from
a text change, and where suppression comments go."""

from __future__ import annotations

import pytest

pytest.importorskip("lsprotocol", reason="the language server needs the `lsp` extra: pip install -e '.[test]'")

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backlog_lint.diagnostics import Diagnostic
from backlog_lint.fix.edits import apply_edits as apply_model_edits
from backlog_lint.format.equivalence import check_equivalent
from backlog_lint.lsp import suppression
from backlog_lint.lsp.positions import UTF8, UTF16, UTF32, column, diff_edits, units
from backlog_lint.parser import parse_text
from backlog_lint.source import SourceText, Span
from backlog_lint.suppress import parse as parse_suppressions
from tests.lsp_harness import apply_edits
from tests.strategies import backlog

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LINE = st.text(alphabet=st.sampled_from(list("ab -|é数😀\t")), max_size=30)


@pytest.mark.parametrize(("encoding", "width"), [(UTF16, 2), (UTF8, 4), (UTF32, 1)])
def test_positions__astral_character_width(encoding: str, width: int) -> None:
    assert units("😀", encoding) == width
    assert column("a😀b", 1 + width, encoding) == 3  # after the emoji: the third code point


@SETTINGS
@given(line=LINE, data=st.data())
def test_positions__column_inverts_units(line: str, data: st.DataObject) -> None:
    cut = data.draw(st.integers(0, len(line)))
    for encoding in (UTF8, UTF16, UTF32):
        assert column(line, units(line[:cut], encoding), encoding) == cut + 1


TEXTS = st.lists(st.sampled_from(["a\n", "b\r\n", "\n", "😀 x\n", "c", "| a | b |\n", "\r"]), max_size=12).map("".join)


@SETTINGS
@given(old=TEXTS, new=TEXTS)
def test_positions__diff_edits_turn_old_into_new(old: str, new: str) -> None:
    edits = diff_edits(old, new, UTF16)
    assert apply_edits(old, edits) == new
    assert (not edits) == (old == new)


def _suppressed(doc_text: str, line: int, code: str) -> tuple[str, int] | None:
    """The text with the comment that suppresses ``code`` on ``line``, and where that line is now."""
    doc = parse_text(doc_text, "BACKLOG.md")
    found = suppression.for_line(doc, line, code)
    if found is None:
        return None
    text, _ = apply_model_edits(SourceText.from_text(doc_text), [(code, e) for e in found.edits])
    shift = sum(1 for e in found.edits if e.span.line <= line and e.content.endswith(("\n", "\r")))
    return text, line + shift


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=backlog(), data=st.data())
def test_suppression__hides_the_line_and_keeps_the_backlog(text: str, data: st.DataObject) -> None:
    before = parse_text(text, "BACKLOG.md")
    lines = before.source.lines
    if not lines:
        return
    line = data.draw(st.integers(1, len(lines)))
    if not lines[line - 1].strip():
        return  # findings are never on blank lines
    done = _suppressed(text, line, "BL304")
    if done is None:
        return
    new_text, moved = done
    after = parse_text(new_text, "BACKLOG.md")
    assert after.source.line(moved) == lines[line - 1]
    finding = Diagnostic("BACKLOG.md", Span(moved, 1, moved, 2), "BL304", "dangling-reference", "x")
    other = Diagnostic("BACKLOG.md", Span(moved, 1, moved, 2), "BL999", "no-such-rule", "x")
    sup = parse_suppressions(after)
    assert sup.filter([finding]) == [], new_text
    assert sup.filter([other]) == [other]
    changes = [c for c in check_equivalent(before, after) if "HTML comments" not in c]
    assert changes == [], new_text


def test_suppression__none_in_front_matter_and_file_comment_after_it() -> None:
    text = "---\nid: task-1\ntitle: One\n---\n\n# Task\n"
    doc = parse_text(text, "tasks/task-1.md")
    assert suppression.for_line(doc, 2, "BL201") is None
    whole = suppression.for_file(doc, "BL201")
    new_text, _ = apply_model_edits(doc.source, [("BL201", e) for e in whole.edits])
    assert new_text.startswith("---\nid: task-1\ntitle: One\n---\n<!-- backlog-lint-disable-file BL201 -->\n")
    assert parse_text(new_text, "tasks/task-1.md").front_matter == doc.front_matter


def test_suppression__table_row_gets_a_region_and_list_item_stays_in_its_list() -> None:
    text = "# B\n\n| Item | Status |\n|---|---|\n| a | todo |\n| b | todo | x |\n\n- [ ] one\n- [ ] two\n"
    doc = parse_text(text, "BACKLOG.md")
    row = suppression.for_line(doc, 6, "BL101")
    assert row is not None and row.scope == "block"
    item = suppression.for_line(doc, 9, "BL304")
    assert item is not None and item.scope == "line"
    new_text, _ = apply_model_edits(doc.source, [("BL304", e) for e in item.edits])
    assert "- [ ] one\n  <!-- backlog-lint-disable-next-line BL304 -->\n- [ ] two\n" in new_text
