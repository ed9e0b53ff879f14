"""Parse: models of the files read, from the cache or the parser (in worker processes when many),
with their per-file rules' findings and where each file is, beside the models (``Parsed``)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backlog_lint.config import Config
from backlog_lint.diagnostics import Diagnostic
from backlog_lint.errors import InternalError
from backlog_lint.model import IO_ERROR, UNPARSEABLE, Document, Problem, Section, Workspace
from backlog_lint.pipeline.paths import workspace_files
from backlog_lint.pipeline.reading import SourceFile, read_files
from backlog_lint.pipeline.running import file_findings
from backlog_lint.source import SourceText, Span


def _empty_doc(display: str) -> Document:
    return Document(display, SourceText.from_text(""), Section("", 0, Span(1, 1, 1, 1), None))


@dataclass(slots=True)
class Parsed:
    """What the parse stage hands on: the models, where their files are (display path -> absolute
    path), and the per-file rules' findings of the documents parsed or cached with them (display path ->
    findings; a document without an entry has its findings computed when the rules run)."""

    documents: list[Document] = field(default_factory=list)
    locations: dict[str, str] = field(default_factory=dict)
    findings: dict[str, list[Diagnostic]] = field(default_factory=dict)

    def workspace(self, root: str) -> Workspace:
        return Workspace(root, self.documents, self.locations)


def load_document(path: Path, display: str, cfg: Config) -> Document:
    """Read and parse one file; an I/O problem is a problem of the document (io-error), never an exception."""
    return load_documents(cfg, [(path, display)], jobs=1).documents[0]


PARALLEL_MIN_FILES = 48


_worker_cfg: Config | None = None


def _init_worker(cfg: Config) -> None:
    global _worker_cfg
    _worker_cfg = cfg


# what the cache holds for a file's content: (model, per-file findings or None)
Entry = tuple[Document, "list[Diagnostic] | None"]


def _parse_job(args: tuple[bytes, str, bool, bool]) -> tuple[bytes, bytes | None]:
    """In a worker: parse (and run the per-file rules); the pickled entry goes back to be cached as is,
    with its pickled workspace summary (summary.py) when ``summarise``."""
    import pickle

    data, display, findings, summarise = args
    assert _worker_cfg is not None
    entry = _parse_one(data, display, _worker_cfg, findings)
    blob = pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
    if summarise:
        from backlog_lint.summary import summarise as summary_of

        return blob, summary_of(entry[0])
    return blob, None


def parse_document(data: bytes, display: str, cfg: Config) -> tuple[Document, list[Diagnostic]]:
    """The model of one file's bytes, as read from disk or from an editor's buffer, with its
    per-file findings: what a run makes of a file that is not cached (the language server's entry)."""
    doc, found = _parse_one(data, display, cfg, True)
    return doc, found or []


def _parse_one(data: bytes, display: str, cfg: Config, findings: bool) -> Entry:
    if not findings:
        return _parse_guarded(data, display, cfg.vocab), None
    marks: dict[str, Any] = {}  # the parse's tokens, as the markup rules read them: not parsed twice
    doc = _parse_guarded(data, display, cfg.vocab, marks)
    return doc, file_findings(doc, cfg, marks=marks)


def _parse_guarded(data: bytes, display: str, vocab: Any, marks: dict[str, Any] | None = None) -> Document:
    from backlog_lint.parser import parse_bytes

    try:
        return parse_bytes(data, display, vocab, marks)
    except RecursionError:
        doc = _empty_doc(display)
        doc.problems.append(Problem(UNPARSEABLE, Span(1, 1, 1, 1),
                                    "the Markdown nests too deeply to read; flatten the nesting"))
        return doc
    except Exception as exc:  # a parser bug: say which file triggered it
        raise InternalError(f"parsing {display}", exc) from exc


def load_documents(cfg: Config, files: list[tuple[Path, str]], *, cache: Any = None, jobs: int = 0,
                   progress: Any = None, findings: bool = False) -> Parsed:
    """Read and parse files (cache hits skip the parse; misses parse in parallel when many)."""
    return parse_files(cfg, read_files(files, cache), cache=cache, jobs=jobs, progress=progress,
                       findings=findings)


def parse_files(cfg: Config, srcs: list[SourceFile], *, cache: Any = None, jobs: int = 0,
                progress: Any = None, findings: bool = False, freeze: bool = False,
                slim: frozenset[str] = frozenset()) -> Parsed:
    """Models of files already read; with ``findings`` the per-file rules' findings come along.

    A cache hit is unpickled instead of parsed; misses are parsed in worker processes when
    there are many, each worker returning the pickled model, which is cached byte for byte.
    The collector is off meanwhile. The objects made while it was off are all young to it:
    ``freeze`` (for models that live until the process ends) moves them out of its sight
    before it is on again, else its next collection scans every one of them.
    Files in ``slim`` (display paths: files not checked, only read by the cross-file rules) come
    from their cached workspace summary when there is one (summary.py).
    """
    import gc

    from backlog_lint.collector import collector_off

    docs: list[Entry | None] = [None] * len(srcs)
    todo: list[int] = []
    with collector_off():  # unpickling and parsing allocate many small objects and no cycles worth collecting
        _load_cached(cfg, srcs, docs, todo, cache, findings, slim)
        _parse_missing(cfg, srcs, docs, todo, cache, jobs, progress, findings)
        out = Parsed()
        for src, entry in zip(srcs, docs, strict=True):
            if entry is None:
                continue
            doc, found = entry
            out.documents.append(doc)
            out.locations[doc.path] = str(src.path.absolute())
            if found is not None:
                out.findings[doc.path] = found
        if freeze:
            gc.freeze()  # only once parsed: after an error there is nothing worth keeping out of sight
    return out


def cached_entry(hit: object) -> Entry | None:
    """A cache hit as (model, per-file findings or None), or None when it is not one."""
    if isinstance(hit, tuple) and len(hit) == 2 and isinstance(hit[0], Document):
        return hit
    return None


def _load_cached(cfg: Config, srcs: list[SourceFile], docs: list[Entry | None], todo: list[int], cache: Any,
                 findings: bool, slim: frozenset[str] = frozenset()) -> None:
    """Fill ``docs`` with unreadable files' stand-ins and cache hits; ``todo`` gets the rest."""
    for i, src in enumerate(srcs):
        if src.error is not None:
            docs[i] = (_io_error_doc(src.display, src.error), None)
            continue
        if cache is not None and src.key is not None:
            if src.display in slim:
                from backlog_lint import summary

                slim_doc = summary.load(cache, src.key, src.path, src.display, cfg)
                if slim_doc is not None:
                    docs[i] = (slim_doc, None)
                    continue
            hit = cached_entry(cache.get(src.key))
            if hit is not None and (hit[1] is not None or not findings):
                docs[i] = hit
                continue
        if src.unread:  # a miss: the bytes are needed after all
            from backlog_lint import statcache

            statcache.load(src, cache)
            if src.error is not None:
                docs[i] = (_io_error_doc(src.display, src.error), None)
                continue
        todo.append(i)
    if slim and cache is not None:
        from backlog_lint import summary

        summary.finish(cache)


def _parse_missing(cfg: Config, srcs: list[SourceFile], docs: list[Entry | None], todo: list[int], cache: Any,
                   jobs: int, progress: Any, findings: bool) -> None:
    """Parse the files at ``todo`` into ``docs``, in worker processes when there are many."""
    import pickle

    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    if len(todo) >= PARALLEL_MIN_FILES and workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        args = [(srcs[i].data or b"", srcs[i].display, findings, cache is not None) for i in todo]
        with ProcessPoolExecutor(max_workers=min(workers, len(todo)), initializer=_init_worker,
                                 initargs=(cfg,)) as pool:
            chunk = max(1, min(16, len(todo) // (workers * 8)))
            for n, (i, (blob, summary)) in enumerate(zip(todo, pool.map(_parse_job, args, chunksize=chunk),
                                                         strict=True), 1):
                docs[i] = pickle.loads(blob)
                if cache is not None and srcs[i].key is not None:
                    cache.put_bytes(srcs[i].key, blob, summary or b"")
                if progress is not None:
                    progress(n, len(todo))
    else:
        for n, i in enumerate(todo, 1):
            src = srcs[i]
            entry = _parse_one(src.data or b"", src.display, cfg, findings)
            docs[i] = entry
            if cache is not None and src.key is not None:
                from backlog_lint.summary import summarise

                cache.put(src.key, entry, summarise(entry[0]))
            if progress is not None:
                progress(n, len(todo))


def _io_error_doc(display: str, exc: OSError) -> Document:
    doc = _empty_doc(display)
    reason = exc.strerror or str(exc)
    doc.problems.append(Problem(IO_ERROR, Span(1, 1, 1, 1), f"cannot read file: {reason}"))
    return doc


def build_workspace(cfg: Config, requested: list[Path], cwd: Path, *, whole: bool = True, cache: Any = None,
                    jobs: int = 0, progress: Any = None) -> tuple[Workspace, list[str]]:
    """Parse the requested files and (for cross-file rules) every other backlog file of the project;
    returns the workspace and the display paths of the requested files."""
    files, checked = workspace_files(cfg, requested, cwd, whole=whole)
    parsed = load_documents(cfg, files, cache=cache, jobs=jobs, progress=progress)
    return parsed.workspace(str(cfg.root)), checked
