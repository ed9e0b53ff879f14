"""Suppression comments are read strictly: a typo suppresses nothing and is a finding (BL007)."""

from __future__ import annotations

from pathlib import Path

import pytest

from backlog_lint.suppress import Directive, read_directive
from tests.helpers import brief, lint_text

EMPTY_SECTIONS = """# A

{comment}
## Empty

## Also empty

## Next

text
"""


@pytest.mark.parametrize("comment", [
    "<!-- backlog-lint-disable-nextline BL104 -->",  # missing hyphen: used to disable BL104 to the end
    "<!-- backlog-lint-disable-next-line bl104 -->",  # lower case: used to disable every rule
    "<!-- backlog-lint-disable-next-line XYZ -->",  # no such code: used to disable every rule
    "<!-- backlog-lint-disable-next-line BL999 -->",
    "<!-- backlog-lint-disable-filee -->",
    "<!-- backlog-lint disable BL104 -->",
    "<!-- backlog-lint-disableBL104 -->",
])
def test_suppress__typo_hides_nothing_and_is_reported(tmp_path: Path, comment: str) -> None:
    diags = lint_text(tmp_path, EMPTY_SECTIONS.format(comment=comment), select=("BL005", "BL007", "BL104"))
    assert brief(diags) == ["BACKLOG.md:3:1 BL007", "BACKLOG.md:4:4 BL104", "BACKLOG.md:6:4 BL104"]


def test_suppress__valid_directive_still_works(tmp_path: Path) -> None:
    comment = "<!-- backlog-lint-disable-next-line BL104 -- kept on purpose -->"
    diags = lint_text(tmp_path, EMPTY_SECTIONS.format(comment=comment), select=("BL005", "BL007", "BL104"))
    assert brief(diags) == ["BACKLOG.md:6:4 BL104"]


@pytest.mark.parametrize(("body", "expected"), [
    (" backlog-lint-disable ", Directive("disable", ())),
    ("backlog-lint-disable BL201,BL3 -- reason: legacy -- really", Directive("disable", ("BL201", "BL3"))),
    ("backlog-lint-disable-file BL5", Directive("disable-file", ("BL5",))),
    ("backlog-lint-enable BL201 BL202", Directive("enable", ("BL201", "BL202"))),
    ("backlog-lint-disable-next-line\n  BL104\n", Directive("disable-next-line", ("BL104",))),
    ("a note that mentions backlog-lint-disable", None),
    ("TODO: write more", None),
])
def test_suppress__grammar(body: str, expected: Directive | None) -> None:
    assert read_directive(body) == expected


def test_suppress__messages_say_what_to_write() -> None:
    assert read_directive("backlog-lint-disable-nextline BL104") == (
        "'backlog-lint-disable-nextline' is not a backlog-lint directive, so it suppresses nothing: did you mean "
        "'backlog-lint-disable-next-line'?")
    assert read_directive("backlog-lint-disable bl2") == (
        "rule codes are written in capitals: 'BL2', not 'bl2', so this backlog-lint-disable comment suppresses "
        "nothing")
    message = read_directive("backlog-lint-xyzzy")
    assert isinstance(message, str) and "write one of backlog-lint-disable, backlog-lint-enable" in message
