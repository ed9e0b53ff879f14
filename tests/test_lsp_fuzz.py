"""The language server never falls over: random edits (backlog-shaped text, arbitrary text, ranges
past the end, lone surrogates, NUL) and requests at random places, then the same text as at the
start gives the same findings as at the start."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

pytest.importorskip("pygls", reason="the language server needs the `lsp` extra: pip install -e '.[test]'")

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types

from tests.lsp_harness import Session
from tests.strategies import backlog

pytestmark = pytest.mark.slow  # end-to-end: real processes, real tools; not in the fast loop

START = "# Backlog\n\n### TODO-1: One\n- **Depends on:** TODO-2, TODO-9\n\n---\n\n---\n"
OTHER = "# Other\n\n### TODO-2: Two\n- **Status:** done\n"

positions = st.builds(types.Position, st.integers(0, 40), st.integers(0, 120))
texts = st.one_of(backlog(), st.text(max_size=80),
                  st.sampled_from(["\ud800", "\x00", "\r\n", "\r", "|", "- [ ] ", "TODO-", "<!-- ", "---\n", "😀"]))
changes = st.tuples(positions, positions, texts)


def _sorted(a: types.Position, b: types.Position) -> types.Range:
    if (a.line, a.character) > (b.line, b.character):
        a, b = b, a
    return types.Range(a, b)


@pytest.fixture(scope="module")
def fuzz(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Session, str, list[str]]]:
    root = tmp_path_factory.mktemp("lsp-fuzz")
    (root / ".backlog-lint.toml").write_text('include = ["**/*.md"]\n', encoding="utf-8")
    (root / "BACKLOG.md").write_text(START, encoding="utf-8")
    (root / "OTHER.md").write_text(OTHER, encoding="utf-8")
    session = Session(root)
    uri = session.open(root / "BACKLOG.md")
    session.open(root / "OTHER.md")
    first = sorted((str(d.code), d.range.start.line, d.message) for d in session.diagnostics(uri))
    assert first, "the starting text has findings to compare with"
    yield session, uri, [repr(x) for x in first]
    session.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(edits=st.lists(changes, min_size=1, max_size=12), probes=st.lists(positions, max_size=4))
def test_lsp__random_edits_never_break_the_server(fuzz: tuple[Session, str, list[str]],
                                                 edits: list[tuple[types.Position, types.Position, str]],
                                                 probes: list[types.Position]) -> None:
    session, uri, first = fuzz
    for a, b, text in edits:  # sent at once: the server sees a burst, as from fast typing
        session.edit(uri, [types.TextDocumentContentChangePartial(_sorted(a, b), text)])
    session.diagnostics(uri)
    doc = types.TextDocumentIdentifier(uri)
    for pos in probes:
        session.request(types.TEXT_DOCUMENT_HOVER, types.HoverParams(doc, pos))
        session.request(types.TEXT_DOCUMENT_DEFINITION, types.DefinitionParams(doc, pos))
        session.request(types.TEXT_DOCUMENT_COMPLETION, types.CompletionParams(doc, pos))
        session.request(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionParams(
            doc, types.Range(pos, pos), types.CodeActionContext(diagnostics=[])))
    session.request(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL, types.DocumentSymbolParams(doc))
    session.request(types.TEXT_DOCUMENT_FORMATTING,
                    types.DocumentFormattingParams(doc, types.FormattingOptions(2, True)))
    assert session.alive
    # whatever happened, the server's copy of the text follows the editor's: the start text again
    # (sent whole) gives the findings it gave at the start
    session.edit(uri, [types.TextDocumentContentChangeWholeDocument(START)], START)
    again = sorted((str(d.code), d.range.start.line, d.message) for d in session.diagnostics(uri))
    assert [repr(x) for x in again] == first
    assert not [m for m in session.client.messages if "internal error" in m.message]
