"""`format` over files: one file's bytes to its canonical bytes (or why not), many in parallel,
the cache of files already canonical, and the outcome the command line reports."""

from __future__ import annotations

import difflib
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from backlog_lint.collector import collector_off
from backlog_lint.config import Config
from backlog_lint.format.preferences import canonicalise
from backlog_lint.source import DecodeError, SourceText, decode, read_regular
from backlog_lint.writer import WriteError, encode, write_atomic

if TYPE_CHECKING:
    from backlog_lint.cache import Cache


@dataclass(slots=True)
class FormatOutcome:
    changed: list[str] = field(default_factory=list)  # files reformatted (or that would be)
    unchanged: int = 0
    refused: list[str] = field(default_factory=list)  # messages: the model would have changed
    too_complex: list[str] = field(default_factory=list)  # messages: too deep or too big to format safely
    errors: list[str] = field(default_factory=list)  # unreadable / undecodable / unwritable
    diff: str = ""


def _pathological_line(st: SourceText) -> int:
    """1-based number of a line the Markdown parser would take minutes on, else 0."""
    from backlog_lint.parser import LONG_LINE, MAX_BRACKETS

    if len(st.text) <= LONG_LINE:
        return 0
    for n, line in enumerate(st.lines, 1):
        if len(line) > LONG_LINE and line.count("[") > MAX_BRACKETS:
            return n
    return 0


# --------------------------------------------------------------------------- one file


@dataclass(slots=True)
class _FileResult:
    """What formatting one file came to; small and picklable, so a worker process can send it back."""

    status: Literal["unchanged", "changed", "refused", "too complex", "error"]
    message: str = ""  # why, for "refused", "too complex" and "error"
    data: bytes = b""  # "changed", when asked for: the new file content (BOM and newlines kept)
    diff: str = ""  # "changed", when asked for: a unified diff


def format_data(data: bytes, display: str, cfg: Config, *, keep: bool = False, diff: bool = False) -> _FileResult:
    """Format one file's bytes; ``keep`` returns the new bytes, ``diff`` a unified diff."""
    with collector_off():
        return _format_data(data, display, cfg, keep=keep, diff=diff)


def _format_data(data: bytes, display: str, cfg: Config, *, keep: bool, diff: bool) -> _FileResult:
    from backlog_lint.format import canonical as formatter  # the module, looked up now: tests replace format_text

    try:
        text, bom, _ = decode(data)
    except DecodeError as exc:
        return _FileResult("error", f"{display}:{exc.line}:{exc.col}: {exc.message}; not formatted")
    st = SourceText.from_text(text, bom=bom)
    wild = _pathological_line(st)
    if wild:
        return _FileResult("too complex", f"{display}:{wild}: not formatted: too deep or too big to format safely: "
                                          "the line is too long and full of '[' for the Markdown formatter "
                                          "(split or repair the line)")
    try:
        formatter.split_checked(st.text, display)  # a file too big to format is refused before any work
        # no model asked for: the formatter parses the text only if its rendering differs (an already
        # canonical file needs no model at all)
        canonical, model = canonicalise(st.text, display, cfg, model=False)
        formatted = formatter.format_text(canonical, path=display, config=cfg, model=model, stable=keep or diff)
    except formatter.TooComplex as exc:
        return _FileResult("too complex", f"{display}: not formatted: too deep or too big to format safely: "
                                          f"{exc.reason}")
    except formatter.UnsafeFormat as exc:
        details = "\n".join(f"    {c}" for c in exc.changes[:10])
        return _FileResult("refused", f"{display}: not formatted: the rewrite would change the backlog:\n{details}")
    except RecursionError:
        return _FileResult("too complex", f"{display}: not formatted: too deep or too big to format safely: "
                                          f"{formatter.NESTS_TOO_DEEPLY}")
    if formatted == st.text:
        return _FileResult("unchanged")
    result = _FileResult("changed", data=encode(formatted, bom) if keep else b"")
    if diff:
        result.diff = "".join(difflib.unified_diff(
            st.text.splitlines(keepends=True), formatted.splitlines(keepends=True),
            fromfile=f"a/{display}", tofile=f"b/{display}"))
    return result


# --------------------------------------------------------------------------- many files, in parallel

_worker_cfg: Config | None = None  # a worker process's config, set once when it starts


def _init_worker(cfg: Config) -> None:
    global _worker_cfg
    _worker_cfg = cfg


def _format_job(job: tuple[bytes, str, bool, bool]) -> _FileResult:
    data, display, keep, diff = job
    assert _worker_cfg is not None
    try:
        return format_data(data, display, _worker_cfg, keep=keep, diff=diff)
    except Exception as exc:  # a bug: it has to reach the parent process whole
        raise _portable(exc) from None


def _portable(exc: Exception) -> Exception:
    """``exc`` if it survives pickling (the way back from a worker), else a RuntimeError naming it."""
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


def _format_all(cfg: Config, jobs: list[tuple[bytes, str, bool, bool]], workers: int) -> list[_FileResult]:
    """Results in the order of ``jobs``; in worker processes when there are many files."""
    from backlog_lint.pipeline import PARALLEL_MIN_FILES

    if len(jobs) < PARALLEL_MIN_FILES or workers < 2:
        return [format_data(data, display, cfg, keep=keep, diff=diff) for data, display, keep, diff in jobs]
    from concurrent.futures import ProcessPoolExecutor

    _preload()
    order = sorted(range(len(jobs)), key=lambda i: -len(jobs[i][0]))  # biggest first: the workers end together
    results: list[_FileResult | None] = [None] * len(jobs)
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), initializer=_init_worker,
                             initargs=(cfg,)) as pool:
        for i, result in zip(order, pool.map(_format_job, [jobs[i] for i in order]), strict=True):
            results[i] = result
    return [r for r in results if r is not None]


def _preload() -> None:
    """Import the formatter's dependencies once, before the workers fork (each would import them)."""
    import mdformat  # noqa: F401

    from backlog_lint.format import canonical as formatter  # noqa: F401
    from backlog_lint.rules import ALL_RULES  # noqa: F401


# --------------------------------------------------------------------------- the "already canonical" cache

_CANONICAL = "format: already canonical"  # the value stored; the check cache stores Documents
_CHECKED = "format --check"  # (_CHECKED, status, message): a `--check` run found the file would change / is refused


@functools.cache
def _formatter_versions() -> str:
    """Versions of what shapes the output besides backlog-lint itself (a cache entry is only valid for them)."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for dist in ("mdformat", "mdformat-gfm", "markdown-it-py", "mdit-py-plugins", "wcwidth"):
        try:
            found.append(f"{dist}={version(dist)}")
        except PackageNotFoundError:
            found.append(f"{dist}=none")
    return ",".join(found)


def _cache_key(cache: Cache, data: bytes, display: str) -> str:
    """Key of a file's "already canonical" entry: never one of the check cache's (the display is marked)."""
    return cache.entry_key(data, f"format:{_formatter_versions()}:{display}")


# --------------------------------------------------------------------------- entry point


def format_files(cfg: Config, files: list[tuple[Path, str]], *, write: bool, diff: bool, jobs: int = 0,
                 cache: Cache | None = None) -> FormatOutcome:
    """Format files (path, display name); ``jobs`` worker processes (0: one per core) when there are many.

    With a ``cache``, a file whose bytes a run with the same version and config found already
    canonical is not formatted again; nor, when nothing is written or shown (`--check`), is one
    an earlier `--check` found would change or be refused. Results are reported in the order of
    ``files``.
    """
    check_only = not write and not diff
    results: list[_FileResult | None] = [None] * len(files)
    read: dict[int, bytes] = {}
    keys: dict[int, str] = {}
    for i, (path, display) in enumerate(files):
        try:
            data = read_regular(path)
        except OSError as exc:
            results[i] = _FileResult("error", f"{display}: cannot read: {exc.strerror or exc}")
            continue
        if cache is not None:
            keys[i] = _cache_key(cache, data, display)
            hit = cache.get(keys[i])
            if hit == _CANONICAL:
                results[i] = _FileResult("unchanged")
                continue
            if check_only and isinstance(hit, tuple) and len(hit) == 3 and hit[0] == _CHECKED \
                    and hit[1] in ("changed", "refused", "too complex"):
                results[i] = _FileResult(hit[1], hit[2])
                continue
        read[i] = data
    todo = list(read)
    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    done = _format_all(cfg, [(read[i], files[i][1], write, diff) for i in todo], workers)
    for i, result in zip(todo, done, strict=True):
        results[i] = result
        if cache is None:
            continue
        if result.status == "unchanged":
            cache.put(keys[i], _CANONICAL)
        elif check_only and result.status in ("changed", "refused", "too complex"):
            cache.put(keys[i], (_CHECKED, result.status, result.message))
    return _report(cfg, files, results, read, write=write)


def _report(cfg: Config, files: list[tuple[Path, str]], results: list[_FileResult | None], read: dict[int, bytes],
            *, write: bool) -> FormatOutcome:
    """The outcome, file by file in order; writes the changed files when asked."""
    out = FormatOutcome()
    diffs: list[str] = []
    for i, ((path, display), result) in enumerate(zip(files, results, strict=True)):
        assert result is not None
        if result.status == "error":
            out.errors.append(result.message)
        elif result.status == "refused":
            out.refused.append(result.message)
        elif result.status == "too complex":
            out.too_complex.append(result.message)
        elif result.status == "unchanged":
            out.unchanged += 1
        else:
            diffs.append(result.diff)
            if write:
                try:
                    write_atomic(path, result.data, cfg.root, expected=read[i])
                except WriteError as exc:
                    out.errors.append(str(exc))
                    continue
            out.changed.append(display)
    out.diff = "".join(diffs)
    return out
