"""The pipeline: discover -> read -> parse -> workspace -> rules -> suppressions."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backlog_lint.config import Config
from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.model import Document, Section, Workspace
from backlog_lint.source import SourceText, Span, read_regular


class UsageError(Exception):
    """A problem with what the user asked for (exit 2)."""


class InternalError(Exception):
    """A bug in backlog-lint, with the file (and rule) that triggered it (exit 3)."""

    def __init__(self, where: str, cause: BaseException) -> None:
        super().__init__(f"{where}: {type(cause).__name__}: {cause}")
        self.where = where
        self.cause = cause


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


def _empty_doc(display: str) -> Document:
    return Document(display, SourceText.from_text(""), Section("", 0, Span(1, 1, 1, 1), None))


def load_document(path: Path, display: str, cfg: Config) -> Document:
    """Read and parse one file; I/O problems become a BL000 finding, never an exception."""
    return load_documents(cfg, [(path, display)], jobs=1)[0]


def resolve_paths(cfg: Config, paths: list[Path], cwd: Path, *, respect_include: bool = False) -> list[Path]:
    """Files to check: explicit files as given, directories expanded through include/exclude."""
    from backlog_lint.discovery import backlog_files, matches

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
            out.extend(backlog_files(cfg, p))
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


def _parse_job(args: tuple[bytes, str, Any]) -> Document:
    data, display, vocab = args
    return _parse_guarded(data, display, vocab)


def _parse_guarded(data: bytes, display: str, vocab: Any) -> Document:
    from backlog_lint.parser import parse_bytes

    try:
        return parse_bytes(data, display, vocab)
    except RecursionError:
        doc = _empty_doc(display)
        doc.problems.append(Diagnostic(display, Span(1, 1, 1, 1), "BL006", "unparseable",
                                       "the Markdown nests too deeply to read; flatten the nesting",
                                       Severity.ERROR))
        return doc
    except Exception as exc:  # a parser bug: say which file triggered it
        raise InternalError(f"parsing {display}", exc) from exc


def load_documents(cfg: Config, files: list[tuple[Path, str]], *, cache: Any = None, jobs: int = 0,
                   progress: Any = None) -> list[Document]:
    """Read and parse files (cache hits skip the parse; misses parse in parallel when many)."""
    import gc


    docs: list[Document | None] = [None] * len(files)
    todo: list[tuple[int, bytes, str, str | None]] = []
    for i, (path, display) in enumerate(files):
        try:
            data = read_regular(path)
        except OSError as exc:
            docs[i] = _io_error_doc(display, exc)
            continue
        key = None
        if cache is not None:
            key = cache.entry_key(data, display)
            hit = cache.get(key)
            if hit is not None:
                docs[i] = hit
                continue
        todo.append((i, data, display, key))
    vocab = cfg.vocab
    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # the parse allocates many small objects and no cycles worth collecting
    try:
        if len(todo) >= PARALLEL_MIN_FILES and workers > 1:
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(max_workers=min(workers, len(todo))) as pool:
                parsed = []
                jobs_iter = pool.map(_parse_job, [(d, name, vocab) for _, d, name, _ in todo],
                                     chunksize=max(1, min(32, len(todo) // (workers * 4))))
                for doc in jobs_iter:
                    parsed.append(doc)
                    if progress is not None:
                        progress(len(parsed), len(todo))
        else:
            parsed = []
            for _, d, name, _ in todo:
                parsed.append(_parse_guarded(d, name, vocab))
                if progress is not None:
                    progress(len(parsed), len(todo))
    finally:
        if gc_was_enabled:
            gc.enable()
    for (i, _data, _display, key), doc in zip(todo, parsed, strict=True):
        docs[i] = doc
        if cache is not None and key is not None:
            cache.put(key, doc)
    for (path, _display), doc in zip(files, docs, strict=True):
        if doc is not None:
            doc.abspath = str(path.absolute())
    return [d for d in docs if d is not None]


def _io_error_doc(display: str, exc: OSError) -> Document:
    doc = _empty_doc(display)
    reason = exc.strerror or str(exc)
    doc.problems.append(Diagnostic(display, Span(1, 1, 1, 1), "BL000", "io-error",
                                   f"cannot read file: {reason}", Severity.ERROR))
    return doc


def make_cache(cfg: Config, enabled: bool = True) -> Any:
    if not enabled:
        return None
    from backlog_lint.cache import Cache

    return Cache(cfg.root / cfg.cache_dir, cfg.fingerprint())


def build_workspace(cfg: Config, requested: list[Path], cwd: Path, *, whole: bool = True, cache: Any = None,
                    jobs: int = 0, progress: Any = None) -> tuple[Workspace, list[str]]:
    """Parse the requested files and (for cross-file rules) every other backlog file of the project."""
    from backlog_lint.discovery import backlog_files

    files: dict[Path, str] = {}
    checked: list[str] = []
    for p in requested:
        display = display_path(p, cwd)
        files[_key(p)] = display
        checked.append(display)
    if whole:
        for p in backlog_files(cfg):
            key = _key(p)
            if key not in files:
                files[key] = display_path(p, cwd)
    ws = Workspace(str(cfg.root))
    ws.documents = load_documents(cfg, list(files.items()), cache=cache, jobs=jobs, progress=progress)
    return ws, checked


def select_rules(cfg: Config, select: tuple[str, ...] | None = None, ignore: tuple[str, ...] = (),
                 extend_select: tuple[str, ...] = ()):
    from backlog_lint.rules import ALL_RULES

    chosen = select if select else cfg.select
    extend = (*cfg.extend_select, *extend_select)
    ignored = (*cfg.ignore, *ignore)

    def hit(code: str, prefixes: tuple[str, ...]) -> bool:
        return any(p == "ALL" or code.startswith(p) for p in prefixes)

    return [r for r in ALL_RULES if (hit(r.code, chosen) or hit(r.code, extend)) and not hit(r.code, ignored)]


def run_rules(ws: Workspace, cfg: Config, rules: list, checked: list[str]) -> list[Diagnostic]:
    from backlog_lint import suppress
    from backlog_lint.discovery import matches
    from backlog_lint.rules._rule import Context

    requested = set(checked)
    ctx = Context(ws, cfg, checked=requested)
    found: list[Diagnostic] = []
    codes = {r.code for r in rules}
    for doc in ws.documents:
        if doc.path in requested:
            found.extend(d for d in doc.problems if d.code in codes)
    for r in rules:
        ctx.rule = r
        try:
            found.extend(r.check(ctx))
        except UsageError:
            raise
        except Exception as exc:  # a rule bug: name the rule and the files it was looking at
            files = ", ".join(sorted(requested)[:3]) + (" ..." if len(requested) > 3 else "")
            raise InternalError(f"rule {r.code} ({r.name}) on {files}", exc) from exc
    kept = [d for d in found if d.path in requested or any(p in requested for p, _ in d.related)]
    by_path: dict[str, list[Diagnostic]] = {}
    for d in kept:
        by_path.setdefault(d.path, []).append(d)
    result: list[Diagnostic] = []
    docs = {doc.path: doc for doc in ws.documents}
    unused_rule = next((r for r in rules if r.code == "BL005"), None)
    for path, diags in by_path.items():
        doc = docs.get(path)
        if cfg.per_file_ignores:
            rel = path
            for pattern, ignored in cfg.per_file_ignores.items():
                if matches(rel, (pattern,)):
                    diags = [d for d in diags if not any(d.code.startswith(c) for c in ignored)]
        if doc is not None and doc.html_comments:
            sup = suppress.parse(doc)
            diags = sup.filter(diags)
        result.extend(diags)
    if unused_rule is not None:
        for doc in ws.documents:
            if doc.path not in requested or not doc.html_comments:
                continue
            sup = suppress.parse(doc)
            sup.filter(by_path.get(doc.path, []))
            for s in sup.items:
                if not s.used:
                    what = ", ".join(s.codes) if s.codes else "any rule"
                    result.append(Diagnostic(doc.path, s.span, "BL005", "unused-suppression",
                                             f"suppression comment for {what} suppresses nothing: remove it",
                                             unused_rule.severity))
    result.sort(key=lambda d: d.sort_key)
    return result


def lint(cfg: Config, paths: list[Path], cwd: Path, *, select: tuple[str, ...] | None = None,
         ignore: tuple[str, ...] = (), extend_select: tuple[str, ...] = (),
         respect_include: bool = False, cache: Any = None, jobs: int = 0) -> LintResult:
    files = resolve_paths(cfg, paths, cwd, respect_include=respect_include)
    rules = select_rules(cfg, select, ignore, extend_select)
    ws, checked = build_workspace(cfg, files, cwd, cache=cache, jobs=jobs)
    return LintResult(run_rules(ws, cfg, rules, checked), ws, checked)
