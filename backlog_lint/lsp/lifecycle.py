"""The notifications: initialize, documents opened, changed, saved and closed, files changed on
disk. Each updates the server's state and schedules a check; none answers anything."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pygls.uris import to_fs_path

from backlog_lint.lsp.projects import ProjectKey
from backlog_lint.lsp.server import CONFIG_FILES, WATCHED, BacklogServer, guarded, log


def register(server: BacklogServer) -> None:
    @server.feature(types.INITIALIZE)
    @guarded("initializing")
    def initialize(ls: BacklogServer, params: types.InitializeParams) -> None:
        options = params.initialization_options
        if isinstance(options, dict) and isinstance(options.get("debounceMs"), int | float):
            ls.debounce = max(0.0, float(options["debounceMs"]) / 1000)

    @server.feature(types.INITIALIZED)
    @guarded("starting")
    async def initialized(ls: BacklogServer, params: types.InitializedParams) -> None:
        ls.warm_up()
        caps = ls.client_capabilities.workspace
        watch = caps.did_change_watched_files if caps is not None else None
        if watch is not None and watch.dynamic_registration:
            options = types.DidChangeWatchedFilesRegistrationOptions(
                watchers=[types.FileSystemWatcher(glob_pattern=g) for g in WATCHED])
            try:
                await ls.client_register_capability_async(types.RegistrationParams(registrations=[
                    types.Registration("backlog-lint-files", types.WORKSPACE_DID_CHANGE_WATCHED_FILES, options)]))
            except Exception as exc:  # the client's to refuse: files changed outside the editor go unseen
                log.info("the client did not register the file watchers: %s", exc)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @guarded("opening a document")
    def did_open(ls: BacklogServer, params: types.DidOpenTextDocumentParams) -> None:
        uri = params.text_document.uri
        where = ls.locate(uri)
        if where is None:
            return
        ls.opened[uri] = where
        ls.dirty.add(uri)
        ls.schedule(where[0], 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @guarded("updating a document")
    def did_change(ls: BacklogServer, params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri in ls.opened:
            ls.dirty.add(uri)
            ls.schedule(ls.opened[uri][0], ls.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    @guarded("saving a document")
    def did_save(ls: BacklogServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri.rsplit("/", 1)[-1] in CONFIG_FILES:
            ls.reset()
        elif uri in ls.opened:
            ls.dirty.add(uri)
            ls.schedule(ls.opened[uri][0], 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @guarded("closing a document")
    def did_close(ls: BacklogServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        where = ls.opened.pop(uri, None)
        ls.dirty.discard(uri)
        ls.findings.pop(uri, None)
        if ls.published.pop(uri, None):
            ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, []))
        if where is None:
            return
        key, display = where
        project = ls.projects.get(key)
        if project is not None:
            project.reload(display)  # unsaved changes are gone: the disk copy counts again
            ls.schedule(key, 0)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @guarded("reading changed files")
    def did_change_files(ls: BacklogServer, params: types.DidChangeWatchedFilesParams) -> None:
        touched: set[ProjectKey] = set()
        for change in params.changes:
            if change.uri.rsplit("/", 1)[-1] in CONFIG_FILES:
                ls.reset()
                return
            fs = to_fs_path(change.uri) if change.uri.startswith("file:") else None
            if not fs or change.uri in ls.opened:
                continue  # the editor's text counts for an open document, not the disk's
            for key, project in ls.projects.items():
                display = project.display(Path(fs))
                if not display.startswith("../") and (project.selects(display) or project.document(display)):
                    project.reload(display)
                    touched.add(key)
        for key in touched:
            ls.schedule(key, ls.debounce)
