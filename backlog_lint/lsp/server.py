"""The language server's lifecycle: documents opened, changed, saved and closed, files changed on
disk, and the diagnostics that follow, on pygls over stdio.

Every change of state happens on the event loop's thread; only the first reading of a project
(a thousand files, parsed in parallel or taken from the cache) runs in a worker thread. A change
is checked after a short pause (``debounce``): a burst of keystrokes is checked once, for its
last text. A check re-parses the documents that changed and runs the rules for every open
document of the project against the whole project, so a cross-file finding appears and
disappears in every open file it concerns.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import sys
import traceback
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from backlog_lint import __version__
from backlog_lint.config import Config
from backlog_lint.diagnostics import Diagnostic
from backlog_lint.errors import ConfigError
from backlog_lint.lsp.findings import to_lsp
from backlog_lint.lsp.mentions import Mentions
from backlog_lint.lsp.positions import UTF16
from backlog_lint.lsp.project import Project, display_path
from backlog_lint.lsp.projects import Configs, ProjectKey, project_key
from backlog_lint.model import Document
from backlog_lint.source import SourceText

log = logging.getLogger("backlog_lint.lsp")

DEBOUNCE = 0.02  # seconds between a change and its check (initializationOptions: {"debounceMs": 20})
CONFIG_FILES = (".backlog-lint.toml", "pyproject.toml")
WATCHED = ("**/*.md", "**/*.markdown", "**/.backlog-lint.toml", "**/pyproject.toml")

F = TypeVar("F", bound=Callable[..., Any])


class BacklogServer(LanguageServer):
    """The state of one editor session: projects, open documents, their latest findings."""

    def __init__(self) -> None:
        super().__init__("backlog-lint", __version__,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.debounce = DEBOUNCE
        self.configs = Configs()
        self.projects: dict[ProjectKey, Project] = {}
        self.loading: dict[ProjectKey, asyncio.Future[Project]] = {}
        self.config_of: dict[ProjectKey, Config] = {}
        self.opened: dict[str, tuple[ProjectKey, str]] = {}  # uri -> (project, display path)
        self.dirty: set[str] = set()  # open documents whose text changed since it was parsed
        self.pending: dict[ProjectKey, asyncio.Task[None]] = {}
        self.findings: dict[str, tuple[int | None, list[Diagnostic]]] = {}  # uri -> (version, findings)
        self.published: dict[str, list[types.Diagnostic]] = {}
        self.mentions: dict[ProjectKey, Mentions] = {}
        self._told: set[str] = set()  # messages shown once
        self._background: set[asyncio.Task[Any]] = set()

    # -- positions

    @property
    def encoding(self) -> str:
        try:
            return str(getattr(self.workspace.position_encoding, "value", self.workspace.position_encoding) or UTF16)
        except RuntimeError:  # no workspace before `initialize`
            return UTF16

    # -- telling the user

    def tell(self, message: str, kind: types.MessageType = types.MessageType.Warning) -> None:
        """Show a message once per session (a broken config is not worth a popup per keystroke)."""
        log.warning("%s", message)
        if message in self._told:
            return
        self._told.add(message)
        self.window_show_message(types.ShowMessageParams(kind, message))

    def bug(self, what: str) -> None:
        """An exception in backlog-lint: logged whole, told once; the session goes on."""
        trace = traceback.format_exc()
        log.error("internal error while %s:\n%s", what, trace)
        self.window_log_message(types.LogMessageParams(types.MessageType.Error,
                                                       f"backlog-lint: internal error while {what}:\n{trace}"))
        self.tell(f"backlog-lint: internal error while {what} (a bug in backlog-lint, not in your files; "
                  "the output log has the details)", types.MessageType.Error)

    # -- projects

    def locate(self, uri: str) -> tuple[ProjectKey, str] | None:
        """The project and display path of a document (None: not a file, or its config is broken)."""
        if uri in self.opened:
            return self.opened[uri]
        fs = to_fs_path(uri) if uri.startswith("file:") else None
        if not fs:
            return None
        path = Path(fs)
        if not path.parent.is_dir():
            return None  # neither open nor in a folder on disk: no project to read it in (Configs.for_file)
        try:
            cfg = self.configs.for_file(path)
        except ConfigError as exc:
            self.tell(f"backlog-lint: configuration error: {exc}")
            return None
        key = project_key(cfg)
        self.config_of.setdefault(key, cfg)
        return key, display_path(cfg, path)

    def scans(self, cfg: Config) -> bool:
        """Whether a project's files are read from disk: its root is pinned by a config file or a git work
        tree, or lies in a folder the editor opened. A loose file elsewhere (``/tmp/notes.md``, a file at
        the top of the home folder or of ``/``) is checked with the other open files of its folder only:
        reading every Markdown file under that folder could take minutes."""
        root = cfg.root
        if cfg.path is not None or (root / ".git").exists():
            return True
        try:
            folders = [Path(fs) for f in self.workspace.folders.values() if (fs := to_fs_path(f.uri))]
        except RuntimeError:  # no workspace before `initialize`
            return False
        return any(root == folder or folder in root.parents for folder in folders)

    async def project(self, key: ProjectKey) -> Project | None:
        """The project, read on first use (in a worker thread; other requests wait for it)."""
        known = self.projects.get(key)
        if known is not None:
            return known
        future = self.loading.get(key)
        if future is None:
            cfg = self.config_of[key]
            load = functools.partial(Project.load, cfg, scan=self.scans(cfg))
            future = asyncio.get_running_loop().run_in_executor(None, load)
            self.loading[key] = future
        try:
            # shielded: a waiting check that a newer change cancels must not cancel the reading itself
            loaded = await asyncio.shield(future)
        except asyncio.CancelledError:
            raise
        except Exception:
            if self.loading.get(key) is future:
                del self.loading[key]
            self.bug(f"reading the project at {key[0]}")
            return None
        if key not in self.projects:
            if self.loading.get(key) is not future:
                return None  # a configuration file changed meanwhile: this reading is out of date
            del self.loading[key]
            self.projects[key] = loaded
            self.mentions[key] = Mentions()
            self.dirty.update(uri for uri, (k, _) in self.opened.items() if k == key)
        return self.projects[key]

    def sync(self, key: ProjectKey, project: Project) -> None:
        """Parse the open documents whose text changed."""
        for uri in [u for u in self.dirty if self.opened.get(u, (None,))[0] == key]:
            self.dirty.discard(uri)
            project.set_text(self.opened[uri][1], self.workspace.get_text_document(uri).source)

    async def document(self, uri: str) -> tuple[Project, Mentions, Document] | None:
        """A document's project and current model, for a request about it."""
        where = self.locate(uri)
        if where is None:
            return None
        key, display = where
        project = await self.project(key)
        if project is None:
            return None
        self.sync(key, project)
        doc = project.document(display)
        if doc is None:  # a file the editor has not opened: its disk copy, if it is a project file
            return None
        return project, self.mentions[key], doc

    def uri(self, project: Project, display: str) -> str:
        return self.uri_of_path(project.path(display))

    @staticmethod
    def uri_of_path(path: Path) -> str:
        return from_fs_path(str(path)) or path.absolute().as_uri()

    def warm_up(self) -> None:
        """Start reading the projects of the workspace folders, so that the first document opens fast."""
        folders = [f.uri for f in (self.workspace.folders or {}).values()] or \
            ([self.workspace.root_uri] if self.workspace.root_uri else [])
        for uri in folders:
            where = self.locate(uri.rstrip("/") + "/backlog-lint-probe.md")
            if where is not None and where[0] not in self.projects:
                task = asyncio.get_running_loop().create_task(self.project(where[0]))
                self._background.add(task)  # the loop keeps only a weak reference to a task
                task.add_done_callback(self._background.discard)

    # -- checking

    def schedule(self, key: ProjectKey, delay: float) -> None:
        """Check the project's open documents after ``delay`` seconds, unless another change comes first."""
        previous = self.pending.pop(key, None)
        if previous is not None:
            previous.cancel()
        self.pending[key] = asyncio.get_running_loop().create_task(self._check_later(key, delay))

    async def _check_later(self, key: ProjectKey, delay: float) -> None:
        try:
            if delay > 0:
                await asyncio.sleep(delay)
            project = await self.project(key)
            if self.pending.get(key) is asyncio.current_task():
                del self.pending[key]
            if project is not None:
                self.check(key, project)
        except asyncio.CancelledError:
            raise
        except Exception:
            self.bug("checking")

    def check(self, key: ProjectKey, project: Project) -> None:
        """Check every open document of the project and publish what changed (always for the
        documents whose text changed, so that each edit gets an answer)."""
        changed = {u for u in self.dirty if self.opened.get(u, (None,))[0] == key}
        self.sync(key, project)
        uris = [u for u, (k, _) in self.opened.items() if k == key]
        results = project.check([self.opened[u][1] for u in uris])
        for uri in uris:
            display = self.opened[uri][1]
            found = results.get(display, [])
            doc = project.document(display)
            version = self.workspace.get_text_document(uri).version
            self.findings[uri] = (version, found)
            diagnostics = [] if doc is None else \
                [to_lsp(f, doc.source, self._locator(project), self.encoding) for f in found]
            if uri in changed or self.published.get(uri) != diagnostics:
                self.published[uri] = diagnostics
                self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, diagnostics, version))

    def _locator(self, project: Project) -> Callable[[str], tuple[str, SourceText] | None]:
        def locate(display: str) -> tuple[str, SourceText] | None:
            doc = project.document(display)
            return None if doc is None else (self.uri(project, display), doc.source)

        return locate

    async def current_findings(self, uri: str) -> tuple[Project, Document, list[Diagnostic]] | None:
        """The findings of a document's current text (checked now if a check is pending)."""
        found = await self.document(uri)
        if found is None:
            return None
        project, _mentions, doc = found
        key = self.opened.get(uri, (None,))[0]
        version = self.workspace.get_text_document(uri).version if uri in self.opened else None
        known = self.findings.get(uri)
        if key is not None and (known is None or known[0] != version):
            self.check(key, project)
            known = self.findings.get(uri)
        return project, doc, (known[1] if known else [])

    def reset(self) -> None:
        """A configuration file changed: read every project again (lazily)."""
        for task in self.pending.values():
            task.cancel()
        self.pending.clear()
        self.configs.clear()
        self.projects.clear()
        self.loading.clear()
        self.config_of.clear()
        self.mentions.clear()
        self.findings.clear()
        self._told.clear()
        uris = list(self.opened)
        self.opened.clear()
        for uri in uris:
            where = self.locate(uri)
            if where is None:
                self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, []))
                self.published.pop(uri, None)
                continue
            self.opened[uri] = where
            self.dirty.add(uri)
        for key in {k for k, _ in self.opened.values()}:
            self.schedule(key, 0)


def guarded(what: str, fallback: Any = None) -> Callable[[F], F]:
    """Run a handler so that an exception in backlog-lint is reported and the session goes on."""

    def wrap(fn: F) -> F:
        if asyncio.iscoroutinefunction(fn):
            @wraps(fn)
            async def run_async(ls: BacklogServer, params: Any) -> Any:
                try:
                    return await fn(ls, params)
                except Exception:
                    ls.bug(what)
                    return fallback

            return run_async  # type: ignore[return-value]

        @wraps(fn)
        def run(ls: BacklogServer, params: Any) -> Any:
            try:
                return fn(ls, params)
            except Exception:
                ls.bug(what)
                return fallback

        return run  # type: ignore[return-value]

    return wrap


def create_server() -> BacklogServer:
    """A server with every feature registered."""
    from backlog_lint.lsp import features, lifecycle

    server = BacklogServer()
    lifecycle.register(server)
    features.register(server)
    return server


def serve() -> None:
    """Run the server over stdin and stdout until the client says exit."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="backlog-lint server: %(message)s")
    create_server().start_io()
