"""The language server end to end: the real `backlog-lint server` over stdio, driven by pytest-lsp's
client. What the editor is told is compared with what the command line says of the same files."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="the language server needs the `lsp` extra: pip install -e '.[test]'")

from lsprotocol import types

from tests.lsp_harness import Session, apply_edits, codes

pytestmark = pytest.mark.slow  # end-to-end: real processes, real tools; not in the fast loop

BACKLOG = """\
# Backlog

### TODO-1: Write the parser
- **Status:** todo
- **Depends on:** TODO-2, TODO-77

---

---

| Item | Status |
|------|--------|
| Cache the model | todo | extra |

### TODO-3: Ship it
- **Status:** done
"""

MORE = """\
# More

### TODO-2: Design the model
- **Status:** in-progress
- **Priority:** P1

### TODO-3: Ship it again
"""


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("lsp")


@pytest.fixture(scope="module")
def lsp(root: Path) -> Iterator[Session]:
    session = Session(root)
    yield session
    session.close()


def project(root: Path, name: str, files: dict[str, str], config: str = 'include = ["**/*.md"]\n') -> Path:
    """A project folder of its own (its config pins its root) under the session's workspace."""
    folder = root / name
    folder.mkdir()
    (folder / ".backlog-lint.toml").write_text(config, encoding="utf-8")
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(text.encode("utf-8"))
    return folder


def cli(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "backlog_lint", *args, "--no-cache"], cwd=folder,
                          capture_output=True, text=True, check=False)


def cli_findings(folder: Path, rel: str) -> list[tuple[str, int, int, int, int, str]]:
    out = cli(folder, "check", "--output-format", "json", rel)
    found = json.loads(out.stdout)
    return sorted((f["code"], f["start"]["line"], f["start"]["column"], f["end"]["line"], f["end"]["column"],
                   f["message"]) for f in found if f["path"] == rel)


def lsp_findings(diagnostics: list[types.Diagnostic]) -> list[tuple[str, int, int, int, int, str]]:
    # the examples are ASCII, so UTF-16 characters are code points
    return sorted((str(d.code), d.range.start.line + 1, d.range.start.character + 1, d.range.end.line + 1,
                   d.range.end.character + 1, d.message) for d in diagnostics)


def at(text: str, needle: str, offset: int = 0) -> types.Position:
    """The position of ``needle`` (plus ``offset`` characters) in an ASCII text."""
    index = text.index(needle) + offset
    line = text.count("\n", 0, index)
    return types.Position(line, index - (text.rfind("\n", 0, index) + 1))


def doc(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri)


def actions(lsp: Session, uri: str, diagnostic: types.Diagnostic | None = None,
            only: list[str] | None = None) -> list[types.CodeAction]:
    rng = diagnostic.range if diagnostic else types.Range(types.Position(0, 0), types.Position(0, 0))
    context = types.CodeActionContext(diagnostics=[diagnostic] if diagnostic else [], only=only)
    return lsp.request(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionParams(doc(uri), rng, context)) or []


# -- diagnostics


def test_lsp__open_reports_what_check_reports(lsp: Session, root: Path) -> None:
    folder = project(root, "open", {"BACKLOG.md": BACKLOG, "tasks/more.md": MORE})
    uri = lsp.open(folder / "BACKLOG.md")
    diagnostics = lsp.diagnostics(uri)
    assert lsp_findings(diagnostics) == cli_findings(folder, "BACKLOG.md")
    assert {"BL101", "BL102", "BL304"} <= set(codes(diagnostics))
    for d in diagnostics:
        assert d.source == "backlog-lint"
        assert d.code_description is not None and d.code_description.href.endswith(f"/docs/rules/{d.code}.md")
        assert d.severity in (types.DiagnosticSeverity.Error, types.DiagnosticSeverity.Warning,
                              types.DiagnosticSeverity.Information)


def test_lsp__cross_file_finding_has_related_location(lsp: Session, root: Path) -> None:
    folder = project(root, "related", {"BACKLOG.md": BACKLOG, "tasks/more.md": MORE})
    uri = lsp.open(folder / "BACKLOG.md")
    duplicate = [d for d in lsp.diagnostics(uri) if d.code in ("BL301", "BL302")]
    assert duplicate, "TODO-3 is defined in both files"
    related = [r for d in duplicate for r in d.related_information or []]
    assert any(r.location.uri == (folder / "tasks" / "more.md").as_uri() and
               r.location.range.start.line == MORE.splitlines().index("### TODO-3: Ship it again") for r in related)


def test_lsp__cross_file_finding_appears_and_disappears(lsp: Session, root: Path) -> None:
    folder = project(root, "cross", {"BACKLOG.md": BACKLOG, "tasks/more.md": MORE})
    a = lsp.open(folder / "BACKLOG.md")
    b = lsp.open(folder / "tasks" / "more.md")
    dangling = lambda: [d for d in lsp.diagnostics(a) if d.code == "BL304" and "TODO-2" in d.message]  # noqa: E731
    assert not dangling()
    count = lsp.count
    lsp.change(b, MORE.replace("TODO-2", "TODO-20"))  # the editor's unsaved text, not the disk's
    lsp.diagnostics(b)
    assert any("TODO-2'" in d.message for d in lsp.next_publish(a, count) if d.code == "BL304")
    count = lsp.count
    lsp.change(b, MORE)
    assert not [d for d in lsp.next_publish(a, count) if d.code == "BL304" and "TODO-2'" in d.message]


def test_lsp__file_changed_on_disk_is_read_again(lsp: Session, root: Path) -> None:
    folder = project(root, "disk", {"BACKLOG.md": BACKLOG, "tasks/more.md": MORE})
    a = lsp.open(folder / "BACKLOG.md")
    assert not [d for d in lsp.diagnostics(a) if "TODO-2'" in d.message]
    other = folder / "tasks" / "more.md"
    other.write_text(MORE.replace("TODO-2", "TODO-20"), encoding="utf-8")
    count = lsp.count
    lsp.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        [types.FileEvent(other.as_uri(), types.FileChangeType.Changed)]))
    assert any("TODO-2'" in d.message for d in lsp.next_publish(a, count) if d.code == "BL304")


def test_lsp__config_is_the_files_own(lsp: Session, root: Path) -> None:
    folder = project(root, "config", {"BACKLOG.md": BACKLOG, "tasks/more.md": MORE},
                     config='include = ["**/*.md"]\nignore = ["BL102"]\n')
    uri = lsp.open(folder / "BACKLOG.md")
    found = codes(lsp.diagnostics(uri))
    assert "BL102" not in found and "BL304" in found


# -- code actions


def test_lsp__quick_fix_is_the_findings_fix(lsp: Session, root: Path) -> None:
    folder = project(root, "fix", {"BACKLOG.md": BACKLOG, "tasks/more.md": MORE})
    uri = lsp.open(folder / "BACKLOG.md")
    breaks = next(d for d in lsp.diagnostics(uri) if d.code == "BL102")
    fix = next(a for a in actions(lsp, uri, breaks) if a.is_preferred)
    assert fix.kind == types.CodeActionKind.QuickFix and fix.edit is not None and fix.edit.changes is not None
    lsp.apply(uri, list(fix.edit.changes[uri]))
    assert "BL102" not in codes(lsp.diagnostics(uri))
    assert cli(folder, "check", "--fix", "BACKLOG.md").returncode in (0, 1)
    assert lsp.texts[uri] == (folder / "BACKLOG.md").read_text(encoding="utf-8")  # what --fix writes


def test_lsp__unsafe_fix_is_labelled_and_not_preferred(lsp: Session, root: Path) -> None:
    text = "# Plan\n\n### 1. Fix tests\n\n### 2. Update config\n\n### 4. Run benchmarks\n"
    folder = project(root, "unsafe", {"BACKLOG.md": text})
    uri = lsp.open(folder / "BACKLOG.md")
    numbering = next(d for d in lsp.diagnostics(uri) if d.code == "BL105")
    fixes = [a for a in actions(lsp, uri, numbering) if a.title.startswith("Renumber")]
    assert fixes and all("unsafe" in a.title and not a.is_preferred for a in fixes)


def test_lsp__fix_all_is_check_fix(lsp: Session, root: Path) -> None:
    text = BACKLOG + "\n---\n\n---\n\n---\n"
    folder = project(root, "fixall", {"BACKLOG.md": text, "tasks/more.md": MORE})
    uri = lsp.open(folder / "BACKLOG.md")
    lsp.diagnostics(uri)
    offered = actions(lsp, uri, only=["source.fixAll"])
    assert [a.kind for a in offered] == ["source.fixAll.backlog-lint"]
    resolved = lsp.request(types.CODE_ACTION_RESOLVE, offered[0])
    assert resolved.edit is not None and resolved.edit.changes is not None
    lsp.apply(uri, list(resolved.edit.changes[uri]))
    assert "BL102" not in codes(lsp.diagnostics(uri))
    cli(folder, "check", "--fix", "BACKLOG.md")
    assert lsp.texts[uri] == (folder / "BACKLOG.md").read_text(encoding="utf-8")


SUPPRESSIBLE = """\
# Backlog

## Nothing here

## Section

### TODO-1: Depends on a missing item
- **Status:** todo
- **Depends on:** TODO-2, TODO-77

| Item | Status |
|------|--------|
| First | todo |
| Cache the model | todo | extra |

- [ ] TODO-5: first
- [ ] TODO-6: second, see TODO-404
"""


def test_lsp__suppress_on_the_line_hides_that_finding_only(lsp: Session, root: Path) -> None:
    # empty-section (BL104) is a preview rule: selected here, so that three rules' findings are suppressed
    folder = project(root, "suppress", {"BACKLOG.md": SUPPRESSIBLE},
                     config='include = ["**/*.md"]\nextend-select = ["BL104"]\n')
    uri = lsp.open(folder / "BACKLOG.md")
    before = lsp.diagnostics(uri)
    assert {"BL101", "BL104", "BL304"} <= set(codes(before))
    for target in before:
        if target.code == "BL005":
            continue
        lsp.change(uri, SUPPRESSIBLE)
        found = lsp.diagnostics(uri)
        current = next(d for d in found if d.code == target.code and d.message == target.message)
        action = next(a for a in actions(lsp, uri, current)
                      if a.title.startswith(f"Suppress {target.code}") and "file" not in a.title)
        assert action.edit is not None and action.edit.changes is not None
        lsp.apply(uri, list(action.edit.changes[uri]))
        after = lsp.diagnostics(uri)
        assert (target.code, target.message) not in {(d.code, d.message) for d in after}, action.title
        assert "BL005" not in codes(after), f"{action.title}: the comment suppresses nothing"
        def others(diagnostics: list[types.Diagnostic], code: str = str(target.code)) -> list[tuple[str, str]]:
            return sorted((str(d.code), d.message) for d in diagnostics if d.code != code)

        assert others(after) == others(found), f"{action.title} changed other findings: {lsp.texts[uri]}"
        if action.title.endswith("on this line"):  # the same code on other lines is still reported
            elsewhere = {d.message for d in found if d.code == target.code
                         and d.range.start.line != current.range.start.line}
            assert elsewhere <= {d.message for d in after if d.code == target.code}


def test_lsp__suppress_in_the_file(lsp: Session, root: Path) -> None:
    folder = project(root, "suppressfile", {"BACKLOG.md": "---\nid: x\n---\n" + SUPPRESSIBLE})
    uri = lsp.open(folder / "BACKLOG.md")
    dangling = [d for d in lsp.diagnostics(uri) if d.code == "BL304"]
    assert len(dangling) >= 2
    action = next(a for a in actions(lsp, uri, dangling[0]) if a.title == "Suppress BL304 in this file")
    assert action.edit is not None and action.edit.changes is not None
    text = lsp.apply(uri, list(action.edit.changes[uri]))
    assert text.startswith("---\nid: x\n---\n<!-- backlog-lint-disable-file BL304 -->\n")
    assert "BL304" not in codes(lsp.diagnostics(uri))


# -- formatting


def test_lsp__format_is_the_format_command(lsp: Session, root: Path) -> None:
    text = "# Backlog\n* [ ] TODO-1: one\n* [x] TODO-2: two\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    folder = project(root, "format", {"BACKLOG.md": text})
    uri = lsp.open(folder / "BACKLOG.md")
    edits = lsp.request(types.TEXT_DOCUMENT_FORMATTING,
                        types.DocumentFormattingParams(doc(uri), types.FormattingOptions(2, True)))
    assert edits
    cli(folder, "format", "BACKLOG.md")
    formatted = (folder / "BACKLOG.md").read_text(encoding="utf-8")
    assert formatted != text
    assert apply_edits(text, list(edits)) == formatted


def test_lsp__format_refuses_with_a_message(lsp: Session, root: Path) -> None:
    wild = "- [ ] TODO-1: " + "[" * 2500 + "x" * 20000 + "\n"
    folder = project(root, "refuse", {"BACKLOG.md": "# Backlog\n\n" + wild})
    uri = lsp.open(folder / "BACKLOG.md")
    assert cli(folder, "format", "--check", "BACKLOG.md").returncode != 0
    shown = len(lsp.client.messages)
    edits = lsp.request(types.TEXT_DOCUMENT_FORMATTING,
                        types.DocumentFormattingParams(doc(uri), types.FormattingOptions(2, True)))
    assert not edits
    assert any("BACKLOG.md" in m.message and "not formatted" in m.message for m in lsp.client.messages[shown:])


# -- navigation


def test_lsp__definition_in_another_file(lsp: Session, root: Path) -> None:
    folder = project(root, "definition", {"BACKLOG.md": BACKLOG, "tasks/more.md": MORE})
    uri = lsp.open(folder / "BACKLOG.md")
    found = lsp.request(types.TEXT_DOCUMENT_DEFINITION,
                        types.DefinitionParams(doc(uri), at(BACKLOG, "TODO-2", 3)))
    assert [(loc.uri, loc.range.start) for loc in found] == [
        ((folder / "tasks" / "more.md").as_uri(), at(MORE, "TODO-2"))]


def test_lsp__references_across_files(lsp: Session, root: Path) -> None:
    folder = project(root, "references", {"BACKLOG.md": BACKLOG, "tasks/more.md": MORE,
                                          "tasks/other.md": "# Other\n\nSee TODO-2 before starting.\n"})
    uri = lsp.open(folder / "tasks" / "more.md")
    params = types.ReferenceParams(context=types.ReferenceContext(include_declaration=True), text_document=doc(uri),
                                   position=at(MORE, "TODO-2", 1))
    found = {(loc.uri, loc.range.start.line) for loc in lsp.request(types.TEXT_DOCUMENT_REFERENCES, params)}
    assert found == {((folder / "tasks" / "more.md").as_uri(), 2), ((folder / "BACKLOG.md").as_uri(), 4),
                     ((folder / "tasks" / "other.md").as_uri(), 2)}
    params.context.include_declaration = False
    without = {loc.uri for loc in lsp.request(types.TEXT_DOCUMENT_REFERENCES, params)}
    assert (folder / "tasks" / "more.md").as_uri() not in without


def test_lsp__hover_tells_title_status_priority_and_place(lsp: Session, root: Path) -> None:
    folder = project(root, "hover", {"BACKLOG.md": BACKLOG, "tasks/more.md": MORE})
    uri = lsp.open(folder / "BACKLOG.md")
    hover = lsp.request(types.TEXT_DOCUMENT_HOVER, types.HoverParams(doc(uri), at(BACKLOG, "TODO-2", 2)))
    text = hover.contents.value
    for part in ("TODO-2", "Design the model", "in-progress", "P1", "tasks/more.md:3"):
        assert part in text
    missing = lsp.request(types.TEXT_DOCUMENT_HOVER, types.HoverParams(doc(uri), at(BACKLOG, "TODO-77", 2)))
    assert "no backlog file" in missing.contents.value


def test_lsp__completion_in_dependency_field_and_after_family(lsp: Session, root: Path) -> None:
    folder = project(root, "completion", {"BACKLOG.md": BACKLOG, "tasks/more.md": MORE})
    uri = lsp.open(folder / "BACKLOG.md")
    text = BACKLOG.replace("- **Depends on:** TODO-2, TODO-77", "- **Depends on:** TODO-2, Desi")
    lsp.change(uri, text)
    lsp.diagnostics(uri)
    in_field = lsp.request(types.TEXT_DOCUMENT_COMPLETION,
                           types.CompletionParams(doc(uri), at(text, "Desi", 4)))
    assert [(i.label, i.detail) for i in in_field.items] == [("TODO-2", "Design the model")]
    assert in_field.items[0].text_edit.range.start == at(text, "Desi")
    text2 = text + "\nNext up: TODO-"
    lsp.change(uri, text2)
    lsp.diagnostics(uri)
    family = lsp.request(types.TEXT_DOCUMENT_COMPLETION,
                         types.CompletionParams(doc(uri), at(text2, "up: TODO-", len("up: TODO-"))))
    assert {i.label for i in family.items} == {"TODO-1", "TODO-2", "TODO-3"}
    plain = lsp.request(types.TEXT_DOCUMENT_COMPLETION, types.CompletionParams(doc(uri), at(text2, "# Backlog", 3)))
    assert plain is None or not plain.items


def test_lsp__symbols(lsp: Session, root: Path) -> None:
    folder = project(root, "symbols", {"BACKLOG.md": BACKLOG, "tasks/more.md": MORE})
    uri = lsp.open(folder / "BACKLOG.md")
    outline = lsp.request(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL, types.DocumentSymbolParams(doc(uri)))
    names = [c.name for s in outline for c in (s.children or [])]
    assert "TODO-1: Write the parser" in names and "TODO-3: Ship it" in names
    found = [s for s in lsp.request(types.WORKSPACE_SYMBOL, types.WorkspaceSymbolParams("design model"))
             if s.location.uri.startswith(folder.as_uri() + "/")]  # other tests' projects are open too
    assert [(s.name, s.location.uri) for s in found] == [
        ("TODO-2: Design the model", (folder / "tasks" / "more.md").as_uri())]


# -- robustness


def test_lsp__survives_malformed_requests(lsp: Session, root: Path) -> None:
    folder = project(root, "malformed", {"BACKLOG.md": BACKLOG, "tasks/more.md": MORE})
    uri = lsp.open(folder / "BACKLOG.md")
    lsp.diagnostics(uri)
    far = types.Position(10_000, 10_000)
    for method, params in [
        (types.TEXT_DOCUMENT_HOVER, types.HoverParams(doc(uri), far)),
        (types.TEXT_DOCUMENT_DEFINITION, types.DefinitionParams(doc("file:///nowhere/x.md"), far)),
        (types.TEXT_DOCUMENT_COMPLETION, types.CompletionParams(doc("untitled:Untitled-1"), far)),
        (types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionParams(doc(uri), types.Range(far, far),
                                                                 types.CodeActionContext(diagnostics=[]))),
        (types.CODE_ACTION_RESOLVE, types.CodeAction("x", kind=types.CodeActionKind.SourceFixAll + ".backlog-lint",
                                                     data={"uri": 42})),
    ]:
        lsp.request(method, params)  # an answer, whatever it is: the point is that one comes
    for body in [b'{"jsonrpc": "2.0", "id": 9001, "method": "textDocument/hover", "params": {"textDocument": 3}}',
                 b'{"jsonrpc": "2.0", "id": 9002, "method": "textDocument/definition"}',
                 b'{"jsonrpc": "2.0", "id": 9003, "method": "backlog-lint/nonsense", "params": {}}',
                 b'{"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": '
                 b'{"uri": "file:///nowhere.md", "version": 3}, "contentChanges": [{"range": {"start": '
                 b'{"line": 99, "character": 0}, "end": {"line": 100, "character": 0}}, "text": "x"}]}}',
                 b'{"jsonrpc": "2.0", "id": 9004, "method": "textDocument/didOpen", "params": [1, 2]}',
                 b'{this is not json']:
        lsp.send_raw(body)
    lsp.change(uri, "\ud800 broken surrogate \x00 and a NUL\n")
    assert "BL001" in codes(lsp.diagnostics(uri))
    lsp.change(uri, BACKLOG)
    hover = lsp.request(types.TEXT_DOCUMENT_HOVER, types.HoverParams(doc(uri), at(BACKLOG, "TODO-2", 2)))
    assert hover is not None and "Design the model" in hover.contents.value
    assert lsp.alive


def test_lsp__registers_file_watchers(lsp: Session) -> None:
    assert any(r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES for r in lsp.registrations)


def test_lsp__close_reverts_to_the_disk_copy(lsp: Session, root: Path) -> None:
    folder = project(root, "close", {"BACKLOG.md": BACKLOG, "tasks/more.md": MORE})
    a = lsp.open(folder / "BACKLOG.md")
    b = lsp.open(folder / "tasks" / "more.md")
    lsp.change(b, MORE.replace("TODO-2", "TODO-20"))
    lsp.diagnostics(b)
    assert any("TODO-2'" in d.message for d in lsp.next_publish(a, 0) if d.code == "BL304")
    count = lsp.count
    lsp.client.text_document_did_close(types.DidCloseTextDocumentParams(doc(b)))
    assert not [d for d in lsp.next_publish(a, count) if d.code == "BL304" and "TODO-2'" in d.message]


def test_lsp__a_loose_file_outside_any_project_is_checked_without_reading_its_folder(
        lsp: Session, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No config, no git, outside the editor's folders (say /tmp/TODO.md): the project is the open files
    of that folder, not every Markdown file under it (for a file at the top of / or of the home folder,
    reading the folder took minutes and every later request waited for it)."""
    folder = tmp_path_factory.mktemp("loose")
    todo = "# Todo\n\n## TODO-1: Write it\n\n- **Status:** todo\n\n---\n\n---\n"
    (folder / "TODO.md").write_text(todo, encoding="utf-8")
    (folder / "sub").mkdir()
    (folder / "sub" / "BACKLOG.md").write_text("# More\n\n## TODO-1: Write it again\n", encoding="utf-8")
    on_disk = cli(folder, "check", "--output-format", "json", "TODO.md")
    assert {"BL102", "BL301"} <= {f["code"] for f in json.loads(on_disk.stdout)}  # the CLI reads the folder
    uri = lsp.open(folder / "TODO.md")
    assert codes(lsp.diagnostics(uri)) == ["BL102"]  # its own finding; the sibling file was not read
