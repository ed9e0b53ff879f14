"""A project as the language server holds it: every backlog file's model in memory, the editor's
unsaved text in place of the disk copy, checked the way `backlog-lint check` checks it.

This module is the server's one door into the core pipeline (``pipeline``, the fixer, the formatter),
so that when the core becomes one pipeline object (issue 16) only this module has to follow.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from backlog_lint import pipeline
from backlog_lint.collector import collector_off
from backlog_lint.config import Config
from backlog_lint.diagnostics import Diagnostic
from backlog_lint.discovery import matches
from backlog_lint.fix.edits import fix_text
from backlog_lint.ids import loose_key
from backlog_lint.model import Document, Item, Workspace
from backlog_lint.source import decode
from backlog_lint.workspace.index import WorkspaceIndex, build_index


@dataclass(frozen=True, slots=True)
class Formatted:
    """The canonical text of a document, or why the formatter refuses to give one."""

    text: str | None
    refusal: str = ""


def _bytes(text: str) -> bytes:
    # an editor buffer decoded from JSON may hold a lone surrogate: it becomes bytes that are not
    # UTF-8, which the parser reports (BL001) as it would for such a file on disk
    return text.encode("utf-8", "surrogatepass")


def display_path(cfg: Config, path: Path) -> str:
    """How a project names its file: the path relative to its root (as `check` run there names it)."""
    return pipeline.display_path(path, cfg.root)


class Project:
    """The backlog files under one configuration, by display path (relative to the project root)."""

    def __init__(self, cfg: Config, parsed: pipeline.Parsed) -> None:
        self.cfg = cfg
        self.rules = pipeline.select_rules(cfg)
        self._docs: dict[str, Document] = {d.path: d for d in parsed.documents}
        self._findings: dict[str, list[Diagnostic]] = dict(parsed.findings)  # per-file rules', by display path
        self._others: dict[str, Document] = {}  # open files that `include` does not select
        self._index: WorkspaceIndex | None = None
        self._by_key: dict[str, list[tuple[Document, Item]]] | None = None

    @classmethod
    def load(cls, cfg: Config, *, jobs: int = 0, scan: bool = True) -> Project:
        """Read and parse every backlog file of the project; files the cache knows are not parsed again.
        Without ``scan`` nothing is read from disk: the project holds the files the editor opens."""
        if not scan:
            return cls(cfg, pipeline.Parsed())
        root = cfg.root
        files = pipeline.resolve_paths(cfg, [], root)
        pairs, _ = pipeline.workspace_files(cfg, files, root, project=files)
        cache = pipeline.make_cache(cfg)
        srcs = pipeline.read_files(pairs, cache)
        # frozen out of the collector's sight: the models live as long as the server
        return cls(cfg, pipeline.parse_files(cfg, srcs, cache=cache, jobs=jobs, findings=True, freeze=True))

    # -- names

    @property
    def root(self) -> Path:
        return self.cfg.root

    def display(self, path: Path) -> str:
        """How findings and messages name a file: its path relative to the project root."""
        return display_path(self.cfg, path)

    def path(self, display: str) -> Path:
        return self.cfg.root / display

    def selects(self, display: str) -> bool:
        """Whether `backlog-lint check` checks this file: `include` matches it, `exclude` does not."""
        return matches(display, self.cfg.include) and not matches(display, self.cfg.exclude)

    # -- documents

    def document(self, display: str) -> Document | None:
        return self._docs.get(display) or self._others.get(display)

    @property
    def documents(self) -> list[Document]:
        """The backlog files' models (editor text where a file is open), in discovery order."""
        return list(self._docs.values())

    def set_text(self, display: str, text: str) -> Document:
        """Use the editor's text of a file in place of its disk copy."""
        with collector_off():
            doc, found = pipeline.parse_document(_bytes(text), display, self.cfg)
        if self.selects(display):
            self._docs[display] = doc
            self._findings[display] = found
            self._forget_index()
        else:
            self._others[display] = doc
        return doc

    def reload(self, display: str) -> None:
        """Back to the disk copy (the file changed on disk, or the editor closed it); gone if it is gone."""
        self._others.pop(display, None)
        self._forget_index()
        src = pipeline.read_files([(self.path(display), display)])[0]
        if src.data is None or not self.selects(display):
            self._docs.pop(display, None)
            self._findings.pop(display, None)
            return
        self._docs[display], self._findings[display] = pipeline.parse_document(src.data, display, self.cfg)

    def index(self) -> WorkspaceIndex:
        """The IDs, definitions and dependency edges of the whole project (rebuilt after a change)."""
        if self._index is None:
            self._index = build_index(self._workspace(self.documents), self.cfg)
        return self._index

    def definitions(self, key: str) -> list[tuple[Document, Item]]:
        """The items whose ID has this comparison form (``ids.loose_key(ids.normalise_id(id))``),
        in path/line order."""
        if self._by_key is None:
            index = self.index()
            by_key: dict[str, list[tuple[Document, Item]]] = {}
            for nid, defs in index.by_id.items():
                by_key.setdefault(loose_key(nid), []).extend(defs)
            for defs in by_key.values():
                defs.sort(key=lambda d: index.order.get(id(d[1]), 0))
            self._by_key = by_key
        return self._by_key.get(key, [])

    def _workspace(self, documents: list[Document]) -> Workspace:
        """The documents as a workspace; every file is at its display path under the root."""
        root = self.cfg.root
        return Workspace(str(root), documents, {doc.path: str(root / doc.path) for doc in documents})

    def _forget_index(self) -> None:
        self._index = None
        self._by_key = None

    # -- the pipeline

    def check(self, displays: list[str]) -> dict[str, list[Diagnostic]]:
        """Each file's findings against the whole project, as `check` reports them (suppressions,
        per-file-ignores, selection and preview from the config). Files it does not check get none."""
        wanted = [d for d in displays if d in self._docs]
        out: dict[str, list[Diagnostic]] = {d: [] for d in wanted}
        if not wanted:
            return out
        ws = self._workspace(self.documents)
        with collector_off():
            found = pipeline.run_rules(ws, self.cfg, self.rules, wanted, file_findings_of=self._findings)
        for finding in found:
            if finding.path in out:
                out[finding.path].append(finding)
        return out

    def fix_all(self, display: str) -> str | None:
        """The file's text with every safe fix applied, re-checked until none is left; None when
        there is nothing to fix. Raises ``FixLoopError`` (a bug) when fixes do not converge."""
        doc = self._docs.get(display)
        if doc is None:
            return None
        docs = dict(self._docs)

        def lint(text: str) -> list[Diagnostic]:
            docs[display], found = pipeline.parse_document(_bytes(text), display, self.cfg)
            ws = self._workspace(list(docs.values()))
            found = pipeline.run_rules(ws, self.cfg, self.rules, [display], file_findings_of={display: found})
            return [d for d in found if d.path == display]

        fixed = fix_text(doc.source.text, lint).text
        return fixed if fixed != doc.source.text else None

    def format(self, display: str, text: str) -> Formatted:
        """What `backlog-lint format` would write for this text, or its reason to refuse."""
        from backlog_lint.format.files import format_data

        result = format_data(_bytes(text), display, self.cfg, keep=True)
        if result.status == "unchanged":
            return Formatted(text)
        if result.status == "changed":
            return Formatted(decode(result.data)[0])
        return Formatted(None, result.message)
