"""Parse: models of the files read, from the cache or the parser (in worker processes when many),
each with its per-file rules' findings."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from backlog_lint.config import Config
from backlog_lint.errors import InternalError
from backlog_lint.model import IO_ERROR, UNPARSEABLE, Document, Problem, Section, Workspace
from backlog_lint.pipeline.paths import workspace_files
from backlog_lint.pipeline.reading import SourceFile, read_files
from backlog_lint.pipeline.running import file_findings
from backlog_lint.source import SourceText, Span


def _empty_doc(display: str) -> Document:
    return Document(display, SourceText.from_text(""), Section("", 0, Span(1, 1, 1, 1), None))


def load_document(path: Path, display: str, cfg: Config) -> Document:
    """Read and parse one file; an I/O problem is a problem of the document (io-error), never an exception."""
    return load_documents(cfg, [(path, display)], jobs=1)[0]


PARALLEL_MIN_FILES = 48


_worker_cfg: Config | None = None


def _init_worker(cfg: Config) -> None:
    global _worker_cfg
    _worker_cfg = cfg


def _parse_job(args: tuple[bytes, str, str, bool, bool]) -> tuple[bytes, bytes | None]:
    """In a worker: parse (and run the per-file rules); the pickled model goes back to be cached as is,
    with its pickled workspace summary (summary.py) when ``summarise``."""
    import pickle

    data, display, abspath, findings, summarise = args
    assert _worker_cfg is not None
    doc = _parse_one(data, display, abspath, _worker_cfg, findings)
    if summarise:
        from backlog_lint.summary import summarise as summary_of

        return pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL), summary_of(doc)
    return pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL), None


def parse_document(data: bytes, display: str, cfg: Config, *, abspath: str = "") -> Document:
    """The model of one file's bytes, as read from disk or from an editor's buffer, with its
    per-file findings: what a run makes of a file that is not cached (the language server's entry)."""
    return _parse_one(data, display, abspath, cfg, True)


def _parse_one(data: bytes, display: str, abspath: str, cfg: Config, findings: bool) -> Document:
    doc = _parse_guarded(data, display, cfg.vocab)
    doc.abspath = abspath
    if findings:
        doc.file_findings = file_findings(doc, cfg)
    return doc


def _parse_guarded(data: bytes, display: str, vocab: Any) -> Document:
    from backlog_lint.parser import parse_bytes

    try:
        return parse_bytes(data, display, vocab)
    except RecursionError:
        doc = _empty_doc(display)
        doc.problems.append(Problem(UNPARSEABLE, Span(1, 1, 1, 1),
                                    "the Markdown nests too deeply to read; flatten the nesting"))
        return doc
    except Exception as exc:  # a parser bug: say which file triggered it
        raise InternalError(f"parsing {display}", exc) from exc


def load_documents(cfg: Config, files: list[tuple[Path, str]], *, cache: Any = None, jobs: int = 0,
                   progress: Any = None, findings: bool = False) -> list[Document]:
    """Read and parse files (cache hits skip the parse; misses parse in parallel when many)."""
    return parse_files(cfg, read_files(files, cache), cache=cache, jobs=jobs, progress=progress,
                       findings=findings)


def parse_files(cfg: Config, srcs: list[SourceFile], *, cache: Any = None, jobs: int = 0,
                progress: Any = None, findings: bool = False, freeze: bool = False,
                slim: frozenset[str] = frozenset()) -> list[Document]:
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

    docs: list[Document | None] = [None] * len(srcs)
    todo: list[int] = []
    gc_was_enabled = gc.isenabled()
    gc.disable()  # unpickling and parsing allocate many small objects and no cycles worth collecting
    try:
        _load_cached(cfg, srcs, docs, todo, cache, findings, slim)
        _parse_missing(cfg, srcs, docs, todo, cache, jobs, progress, findings)
        out = [d for d in docs if d is not None]
        if freeze:
            gc.freeze()  # only once parsed: after an error there is nothing worth keeping out of sight
    finally:
        if gc_was_enabled:
            gc.enable()
    return out


def _load_cached(cfg: Config, srcs: list[SourceFile], docs: list[Document | None], todo: list[int], cache: Any,
                 findings: bool, slim: frozenset[str] = frozenset()) -> None:
    """Fill ``docs`` with unreadable files' stand-ins and cache hits; ``todo`` gets the rest."""
    for i, src in enumerate(srcs):
        if src.error is not None:
            stand_in = _io_error_doc(src.display, src.error)
            stand_in.abspath = str(src.path.absolute())
            docs[i] = stand_in
            continue
        if cache is not None and src.key is not None:
            if src.display in slim:
                from backlog_lint import summary

                docs[i] = summary.load(cache, src.key, src.path, src.display, cfg)
                if docs[i] is not None:
                    continue
            hit = cache.get(src.key)
            if isinstance(hit, Document) and (hit.file_findings is not None or not findings):
                hit.abspath = str(src.path.absolute())
                docs[i] = hit
                continue
        if src.unread:  # a miss: the bytes are needed after all
            from backlog_lint import statcache

            statcache.load(src, cache)
            if src.error is not None:
                docs[i] = _io_error_doc(src.display, src.error)
                docs[i].abspath = str(src.path.absolute())
                continue
        todo.append(i)
    if slim and cache is not None:
        from backlog_lint import summary

        summary.finish(cache)


def _parse_missing(cfg: Config, srcs: list[SourceFile], docs: list[Document | None], todo: list[int], cache: Any,
                   jobs: int, progress: Any, findings: bool) -> None:
    """Parse the files at ``todo`` into ``docs``, in worker processes when there are many."""
    import pickle

    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    if len(todo) >= PARALLEL_MIN_FILES and workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        args = [(srcs[i].data or b"", srcs[i].display, str(srcs[i].path.absolute()), findings, cache is not None)
                for i in todo]
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
            doc = _parse_one(src.data or b"", src.display, str(src.path.absolute()), cfg, findings)
            docs[i] = doc
            if cache is not None and src.key is not None:
                from backlog_lint.summary import summarise

                cache.put(src.key, doc, summarise(doc))
            if progress is not None:
                progress(n, len(todo))


def _io_error_doc(display: str, exc: OSError) -> Document:
    doc = _empty_doc(display)
    reason = exc.strerror or str(exc)
    doc.problems.append(Problem(IO_ERROR, Span(1, 1, 1, 1), f"cannot read file: {reason}"))
    return doc


def build_workspace(cfg: Config, requested: list[Path], cwd: Path, *, whole: bool = True, cache: Any = None,
                    jobs: int = 0, progress: Any = None, findings: bool = False) -> tuple[Workspace, list[str]]:
    """Parse the requested files and (for cross-file rules) every other backlog file of the project."""
    files, checked = workspace_files(cfg, requested, cwd, whole=whole)
    ws = Workspace(str(cfg.root))
    ws.documents = load_documents(cfg, files, cache=cache, jobs=jobs, progress=progress, findings=findings)
    return ws, checked
