"""Drive the real language server (`python -m backlog_lint server`) over stdio with pytest-lsp's
client, from ordinary (synchronous) tests: the client lives on an event loop in its own thread,
one server process per test module."""

from __future__ import annotations

import asyncio
import re
import sys
import threading
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

import pytest

pytest.importorskip("pygls", reason="the language server needs the `lsp` extra: pip install -e '.[test]'")
pytest.importorskip("pytest_lsp", reason="the language server tests need pytest-lsp: pip install -e '.[test]'")

from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

T = TypeVar("T")
TIMEOUT = 30.0  # seconds: generous, a loaded CI machine is slow


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP edits (positions in UTF-16 units, as the server is asked to send them) to a text."""
    lines = re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text) or [""]
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(pos: types.Position) -> int:
        if pos.line >= len(lines):
            return len(text)
        line = lines[pos.line]
        units = 0
        for i, ch in enumerate(line):
            if units >= pos.character:
                return starts[pos.line] + i
            units += 2 if ord(ch) > 0xFFFF else 1
        return starts[pos.line] + len(line.rstrip("\r\n"))

    spans = sorted(((offset(e.range.start), offset(e.range.end), e.new_text) for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


class Session:
    """One server process and its client; every method blocks until the server has answered."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.published: dict[str, tuple[int | None, list[types.Diagnostic], int]] = {}
        self.count = 0
        self.versions: dict[str, int] = {}
        self.texts: dict[str, str] = {}
        self.registrations: list[types.Registration] = []
        self.client = self.run(self._start())

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = TIMEOUT) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    async def _start(self) -> LanguageClient:
        client = LanguageClient()

        def on_publish(_client: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
            self.count += 1
            self.published[params.uri] = (params.version, list(params.diagnostics), self.count)

        def on_register(_client: LanguageClient, params: types.RegistrationParams) -> None:
            self.registrations.extend(params.registrations)

        register_lsp_features(client, {**DEFAULT_CLIENT_FEATURES, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: on_publish,
                                       types.CLIENT_REGISTER_CAPABILITY: on_register})
        await client.start_io(sys.executable, "-m", "backlog_lint", "server")
        await client.initialize_session(types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=self.root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(self.root.as_uri(), self.root.name)],
            initialization_options={"debounceMs": 0}))
        return client

    def close(self) -> None:
        try:
            self.run(self.client.shutdown_session(), timeout=10)
            self.run(self.client.stop(), timeout=10)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(5)

    @property
    def alive(self) -> bool:
        server = self.client._server
        return server is not None and server.returncode is None

    # -- documents

    def open(self, path: Path, text: str | None = None) -> str:
        uri = path.as_uri()
        text = path.read_text(encoding="utf-8") if text is None else text
        self.versions[uri] = 1
        self.texts[uri] = text
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri, "markdown", 1, text)))
        return uri

    def change(self, uri: str, text: str) -> None:
        """Replace the whole text (as an incremental change over the whole old text)."""
        old = self.texts[uri]
        lines = old.split("\n")
        end = types.Position(len(lines) - 1, len(lines[-1].encode("utf-16-le")) // 2)
        self.edit(uri, [types.TextDocumentContentChangePartial(types.Range(types.Position(0, 0), end), text)], text)

    def edit(self, uri: str, changes: list[Any], text: str | None = None) -> None:
        self.versions[uri] += 1
        if text is not None:
            self.texts[uri] = text
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(version=self.versions[uri], uri=uri), changes))

    def apply(self, uri: str, edits: list[types.TextEdit]) -> str:
        text = apply_edits(self.texts[uri], edits)
        self.change(uri, text)
        return text

    def diagnostics(self, uri: str) -> list[types.Diagnostic]:
        """The diagnostics the server published for the document's current version."""
        wanted = self.versions[uri]
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            got = self.published.get(uri)
            if got is not None and got[0] is not None and got[0] >= wanted:
                return got[1]
            time.sleep(0.01)
        raise AssertionError(f"no diagnostics for version {wanted} of {uri} in {TIMEOUT:.0f} s")

    def next_publish(self, uri: str, after: int) -> list[types.Diagnostic]:
        """The first diagnostics published for ``uri`` after publish number ``after``."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            got = self.published.get(uri)
            if got is not None and got[2] > after:
                return got[1]
            time.sleep(0.01)
        raise AssertionError(f"no new diagnostics for {uri} in {TIMEOUT:.0f} s")

    def send_raw(self, body: bytes) -> None:
        """Write a message to the server as it is, bypassing the client (for malformed ones)."""
        server = self.client._server
        assert server is not None and server.stdin is not None
        server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.run(server.stdin.drain())

    def request(self, method: str, params: Any) -> Any:
        return self.run(self.client.protocol.send_request_async(method, params))


def codes(diagnostics: list[types.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in diagnostics)
