"""The pipeline: discover -> read -> parse -> workspace -> rules -> suppressions."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backlog_lint.config import Config
from backlog_lint.diagnostics import Diagnostic
from backlog_lint.model import IO_ERROR, UNPARSEABLE, Document, Problem, Section, Workspace
from backlog_lint.source import SourceText, Span, read_regular


class UsageError(Exception):
    """A problem with what the user asked for (exit 2)."""


class InternalError(Exception):
    """A bug in backlog-lint, with the file (and rule) that triggered it (exit 3)."""

    def __init__(self, where: str, cause: BaseException) -> None:
        super().__init__(f"{where}: {type(cause).__name__}: {cause}")
        self.where = where
        self.cause = cause

    def __reduce__(self) -> tuple[Any, ...]:  # raised in a worker process, re-raised here
        return (type(self), (self.where, self.cause))


@dataclass(slots=True)
class LintResult:
    diagnostics: list[Diagnostic]
    workspace: Workspace
    checked: list[str] = field(default_factory=list)


def display_path(path: Path, cwd: Path) -> str:
    """The path as the user sees it: relative to cwd, links not followed, printable as UTF-8."""
    absolute = os.path.normpath(os.path.join(os.fspath(cwd), os.fspath(path)))
    try:
        shown = os.path.relpath(absolute, os.path.normpath(os.fspath(cwd)))
    except ValueError:
        shown = absolute
    shown = shown.replace(os.sep, "/")
    # a file name that is not valid UTF-8 carries surrogates: show them replaced, never crash printing
    return shown.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _key(path: Path) -> Path:
    """A stable identity for a path; a symlink loop or broken link keeps its absolute spelling."""
    try:
        return path.resolve(strict=False)
    except (OSError, RuntimeError):
        return path.absolute()


def _distinct_files(paths: list[Path]) -> list[Path]:
    """The paths without a second name for the same file (a symlink, a hard link): one stat each."""
    seen: set[tuple[int, int]] = set()
    out: list[Path] = []
    for p in paths:
        try:
            st = os.stat(p)
        except OSError:
            out.append(p)
            continue
        ident = (st.st_dev, st.st_ino)
        if ident not in seen:
            seen.add(ident)
            out.append(p)
    return out


def _empty_doc(display: str) -> Document:
    return Document(display, SourceText.from_text(""), Section("", 0, Span(1, 1, 1, 1), None))


def load_document(path: Path, display: str, cfg: Config) -> Document:
    """Read and parse one file; an I/O problem is a problem of the document (io-error), never an exception."""
    return load_documents(cfg, [(path, display)], jobs=1)[0]


def resolve_paths(cfg: Config, paths: list[Path], cwd: Path, *, respect_include: bool = False) -> list[Path]:
    """Files to check: explicit files as given, folders expanded to the Markdown files in them
    (minus exclude and git-ignored files), no paths: the project's backlog files (include)."""
    from backlog_lint.discovery import backlog_files, markdown_files, matches

    if not paths:
        return backlog_files(cfg)
    out: list[Path] = []
    for p in paths:
        try:
            exists = p.exists() or p.is_symlink()
            is_dir = p.is_dir()
        except OSError:  # a symlink loop: read it as a file, which reports the loop
            exists, is_dir = True, False
        if not exists:
            raise UsageError(f"{p}: no such file or directory")
        if is_dir:
            out.extend(markdown_files(cfg, p))
            continue
        if respect_include:
            rel = display_path(p, cfg.root)
            if not matches(rel, cfg.include) or matches(rel, cfg.exclude):
                continue
        out.append(p)
    seen: set[Path] = set()
    unique = []
    for p in out:
        key = _key(p)
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


PARALLEL_MIN_FILES = 48


@dataclass(slots=True)
class SourceFile:
    """One file of the run as read from disk: its bytes (or why not) and its cache key."""

    path: Path
    display: str
    data: bytes | None = None
    error: OSError | None = None
    key: str | None = None  # content key (cache.entry_key); None without a cache
    unread: bool = False  # its key comes from its unchanged stat (statcache.py): data not read yet


def read_files(files: list[tuple[Path, str]], cache: Any = None) -> list[SourceFile]:
    """Read every file once (pipes and devices refused); keys come from the bytes read, or with a
    cache from the stat cache for files whose stat did not change (not read then: ``unread``)."""
    if cache is not None:
        from backlog_lint import statcache

        return statcache.read_files(files, cache)
    out: list[SourceFile] = []
    for path, display in files:
        src = SourceFile(path, display)
        try:
            src.data = read_regular(path)
        except OSError as exc:
            src.error = exc
        else:
            if cache is not None:
                src.key = cache.entry_key(src.data, display)
        out.append(src)
    return out


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


def file_findings(doc: Document, cfg: Config, codes: set[str] | None = None) -> list[Diagnostic]:
    """Findings of the per-file rules on one document (all of them, or those in ``codes``),
    before suppressions."""
    from backlog_lint.rules import PER_FILE_RULES
    from backlog_lint.rules._rule import Context

    ctx = Context(Workspace(str(cfg.root), [doc]), cfg, checked={doc.path})
    out: list[Diagnostic] = []
    for r in PER_FILE_RULES:
        if codes is not None and r.code not in codes:
            continue
        ctx.rule = r
        try:
            out.extend(r.check(ctx))
        except UsageError:
            raise
        except Exception as exc:  # a rule bug: name the rule and the file
            raise InternalError(f"running rule {r.code} ({r.name}) on {doc.path}", exc) from exc
    return out


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
            docs[i] = _io_error_doc(src.display, src.error)
            docs[i].abspath = str(src.path.absolute())
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


def make_cache(cfg: Config, enabled: bool = True) -> Any:
    if not enabled:
        return None
    from backlog_lint.cache import Cache

    return Cache(cfg.root / cfg.cache_dir, cfg.fingerprint())


def workspace_files(cfg: Config, requested: list[Path], cwd: Path, *, whole: bool = True,
                    project: list[Path] | None = None) -> tuple[list[tuple[Path, str]], list[str]]:
    """(path, display) of the requested files then (for cross-file rules) every other backlog file.

    ``project`` is the project's backlog files when the caller has them already (`resolve_paths`
    without paths); when it is ``requested`` itself, nothing needs merging.
    """
    from backlog_lint.discovery import backlog_files

    if whole and project is not None and project is requested:
        pairs = [(p, display_path(p, cwd)) for p in _distinct_files(requested)]
        return pairs, [d for _, d in pairs]
    files: dict[Path, str] = {}
    checked: list[str] = []
    for p in requested:
        display = display_path(p, cwd)
        files[_key(p)] = display
        checked.append(display)
    if whole:
        for p in project if project is not None else backlog_files(cfg):
            key = _key(p)
            if key not in files:
                files[key] = display_path(p, cwd)
    return list(files.items()), checked


def build_workspace(cfg: Config, requested: list[Path], cwd: Path, *, whole: bool = True, cache: Any = None,
                    jobs: int = 0, progress: Any = None, findings: bool = False) -> tuple[Workspace, list[str]]:
    """Parse the requested files and (for cross-file rules) every other backlog file of the project."""
    files, checked = workspace_files(cfg, requested, cwd, whole=whole)
    ws = Workspace(str(cfg.root))
    ws.documents = load_documents(cfg, files, cache=cache, jobs=jobs, progress=progress, findings=findings)
    return ws, checked


@dataclass(slots=True)
class CheckRun:
    """The findings of `check` on the files asked for, with what is needed to show them."""

    diagnostics: list[Diagnostic]
    checked: list[str]
    srcs: list[SourceFile]
    workspace: Workspace | None  # None when the findings came from the run cache

    def sources(self) -> dict[str, list[str]]:
        """Lines of the checked files (for excerpts in reports)."""
        wanted = set(self.checked)
        if self.workspace is not None:
            return {d.path: d.source.lines for d in self.workspace.documents if d.path in wanted}
        from backlog_lint.source import DecodeError, decode

        out: dict[str, list[str]] = {}
        for src in self.srcs:
            if src.display in wanted and src.unread:
                from backlog_lint import statcache

                statcache.load(src, None)
            if src.display in wanted and src.data is not None:
                try:
                    text, bom, _ = decode(src.data)
                except DecodeError:
                    continue
                out[src.display] = SourceText.from_text(text, bom=bom).lines
        return out


def run_key(cache: Any, cfg: Config, rules: list, checked: list[str], srcs: list[SourceFile],
            cwd: Path) -> str | None:
    """Cache key of a whole run: every file's content key, the files asked for, rules, config, cwd."""
    import hashlib

    if any(src.key is None for src in srcs):
        return None  # an unreadable file: always run
    h = hashlib.sha256(b"run\0" + cache.salt + b"\0")
    h.update(os.fsencode(str(cwd)) + b"\0")
    h.update(",".join(r.code for r in rules).encode() + b"\0")
    for name in checked:
        h.update(name.encode("utf-8", "surrogateescape") + b"\0")
    h.update(b"\1")
    for src in srcs:
        h.update(f"{src.key}\0".encode())
    return cache.entry_key(h.digest(), "<run>")


def check(cfg: Config, requested: list[Path], cwd: Path, rules: list, *, cache: Any = None, jobs: int = 0,
          progress: Any = None, reuse: bool = True, project: list[Path] | None = None,
          texts: dict[Path, bytes] | None = None, hints: dict[str, object] | None = None) -> CheckRun:
    """Check the requested files against the whole project.

    With a cache, a run over exactly the same files, config and rules as an earlier one (and
    the same answers on disk for what its rules looked up, see fsprobe.py) reuses its findings
    without parsing anything (``reuse=False`` always builds the workspace, as `--fix` needs).
    ``texts`` stand in for what is on disk at those paths (text from stdin, see stdin.py);
    ``hints`` go to the rules' shared cache (``since.REMOVED_IDS``); with them no run is reused.
    Otherwise unchanged files come from the per-file cache and only changed ones are parsed.
    The models are frozen out of the garbage collector's sight (``gc.freeze``, with everything
    else the process holds then): they live until a CLI run ends. A long-lived caller that
    checks again and again may want ``gc.unfreeze()`` after each run.
    """
    from backlog_lint import fsprobe

    files, checked = workspace_files(cfg, requested, cwd, project=project)
    srcs = read_files(files, cache)
    if texts:
        _use_texts(srcs, texts, cache)
    key = run_key(cache, cfg, rules, checked, srcs, cwd) if cache is not None and reuse and not hints else None
    if key is not None:
        hit = cache.get(key)
        if isinstance(hit, tuple) and len(hit) == 3 and hit[0] == "run" and fsprobe.unchanged(hit[2]):
            if cache.refreshed:  # first use today: the files' entries count as used too (pruning keeps them)
                cache.touch(src.key for src in srcs if src.key is not None)
            return CheckRun(hit[1], checked, srcs, None)
    ws = Workspace(str(cfg.root))
    # the models live until the run ends: frozen, the collector does not scan them again and again
    slim = frozenset(display for _, display in files) - frozenset(checked)  # read by cross-file rules only
    ws.documents = parse_files(cfg, srcs, cache=cache, jobs=jobs, progress=progress, findings=True, freeze=True,
                               slim=slim)
    for src in srcs:
        src.data = None  # the models hold the text now (memory)
    if progress is not None:
        progress(-1, -1)
    probes: dict = {}
    diagnostics = run_rules(ws, cfg, rules, checked, probes=probes, hints=hints)
    if key is not None:
        cache.put(key, ("run", diagnostics, probes))
    return CheckRun(diagnostics, checked, srcs, ws)


def _use_texts(srcs: list[SourceFile], texts: dict[Path, bytes], cache: Any) -> None:
    wanted = {_key(p): data for p, data in texts.items()}
    for src in srcs:
        data = wanted.get(_key(src.path))
        if data is not None:
            src.data, src.error, src.unread = data, None, False
            src.key = cache.entry_key(data, src.display) if cache is not None else None


def select_rules(cfg: Config, select: tuple[str, ...] | None = None, ignore: tuple[str, ...] = (),
                 extend_select: tuple[str, ...] = (), *, preview: bool = False):
    """The rules a run uses. A preview rule is on only in preview mode (``--preview`` or
    ``preview = true``) or when selected by its exact code; prefixes and ``ALL`` leave it off."""
    from backlog_lint.rules import ALL_RULES

    # as in ruff: a selection on the command line replaces the config's select and extend-select
    chosen = select if select else cfg.select
    extend = (*(() if select else cfg.extend_select), *extend_select)
    ignored = (*cfg.ignore, *ignore)
    preview = preview or cfg.preview

    def hit(code: str, prefixes: tuple[str, ...], exact: bool) -> bool:
        if exact:
            return code in prefixes
        return any(p == "ALL" or code.startswith(p) for p in prefixes)

    out = []
    for r in ALL_RULES:
        exact = r.preview and not preview
        if (hit(r.code, chosen, exact) or hit(r.code, extend, exact)) and not hit(r.code, ignored, False):
            out.append(r)
    return out


def run_rules(ws: Workspace, cfg: Config, rules: list, checked: list[str], *,
              probes: dict | None = None, hints: dict[str, object] | None = None) -> list[Diagnostic]:
    """Findings for the checked files: per-file rules' (computed once per document), then the
    cross-file rules', with per-file-ignores and suppression comments applied.

    ``probes``, when given, collects what the rules looked up on disk besides the backlog files
    (see fsprobe.py), so a cached result can be checked for staleness.
    """
    from backlog_lint import suppress
    from backlog_lint.discovery import matches
    from backlog_lint.rules._rule import Context

    requested = set(checked)
    ctx = Context(ws, cfg, checked=requested)
    if probes is not None:
        ctx.cache["fs_probes"] = probes
    ctx.cache.update(hints or {})
    found: list[Diagnostic] = []
    codes = {r.code for r in rules}
    per_file = any(r.per_file for r in rules)
    for doc in ws.documents:
        if doc.path in requested and per_file:  # computed where the file was parsed, else now (those asked for)
            mine = doc.file_findings if doc.file_findings is not None else file_findings(doc, cfg, codes)
            found.extend(d for d in mine if d.code in codes)
    for r in rules:
        if r.per_file or r.after_suppressions:
            continue
        found.extend(_run_rule(ctx, r, requested))
    kept = [d for d in found if d.path in requested or any(p in requested for p, _ in d.related)]
    result: list[Diagnostic] = []
    for path, diags in _by_path(kept).items():
        if cfg.per_file_ignores:
            for pattern, ignored in cfg.per_file_ignores.items():
                if matches(path, (pattern,)):
                    diags = [d for d in diags if not any(d.code.startswith(c) for c in ignored)]
        result.extend(diags)
    # suppression comments: applied to the findings of the checked files, then judged by their own rules
    for doc in ws.documents:
        if doc.path in requested and doc.html_comments:
            ctx.suppressions[doc.path] = suppress.parse(doc)
    if ctx.suppressions:
        shown: list[Diagnostic] = []
        for path, group in _by_path(result).items():
            sup = ctx.suppressions.get(path)
            shown.extend(sup.filter(group) if sup is not None else group)
        result = shown
    for r in rules:
        if r.after_suppressions:
            result.extend(_run_rule(ctx, r, requested))
    result.sort(key=lambda d: d.sort_key)
    return result


def _by_path(diagnostics: list[Diagnostic]) -> dict[str, list[Diagnostic]]:
    out: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        out.setdefault(d.path, []).append(d)
    return out


def _run_rule(ctx: Any, r: Any, requested: set[str]) -> list[Diagnostic]:
    ctx.rule = r
    try:
        return list(r.check(ctx))
    except UsageError:
        raise
    except Exception as exc:  # a rule bug: name the rule and the files it was looking at
        files = ", ".join(sorted(requested)[:3]) + (" ..." if len(requested) > 3 else "")
        raise InternalError(f"running rule {r.code} ({r.name}) on {files}", exc) from exc


def lint(cfg: Config, paths: list[Path], cwd: Path, *, select: tuple[str, ...] | None = None,
         ignore: tuple[str, ...] = (), extend_select: tuple[str, ...] = (),
         respect_include: bool = False, cache: Any = None, jobs: int = 0) -> LintResult:
    files = resolve_paths(cfg, paths, cwd, respect_include=respect_include)
    rules = select_rules(cfg, select, ignore, extend_select)
    ws, checked = build_workspace(cfg, files, cwd, cache=cache, jobs=jobs)
    return LintResult(run_rules(ws, cfg, rules, checked), ws, checked)
