"""The whole check run, and the Pipeline object every caller drives."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backlog_lint.config import Config
from backlog_lint.diagnostics import Diagnostic
from backlog_lint.model import Workspace
from backlog_lint.pipeline.parsing import build_workspace, parse_files
from backlog_lint.pipeline.paths import resolve_paths, workspace_files
from backlog_lint.pipeline.reading import SourceFile, _use_texts, read_files
from backlog_lint.pipeline.running import run_rules, select_rules
from backlog_lint.source import SourceText


def make_cache(cfg: Config, enabled: bool = True) -> Any:
    if not enabled:
        return None
    from backlog_lint.cache import Cache

    return Cache(cfg.root / cfg.cache_dir, cfg.fingerprint())


@dataclass(slots=True)
class CheckRun:
    """The findings of `check` on the files asked for, with what is needed to show them."""

    diagnostics: list[Diagnostic]
    checked: list[str]
    srcs: list[SourceFile]
    workspace: Workspace | None  # None when the findings came from the run cache
    # the per-file rules' findings of the documents as parsed (display path -> findings)
    file_findings: dict[str, list[Diagnostic]] = field(default_factory=dict)
    # with a ``view``: the report as rendered by an earlier identical run (text, whether a finding fails),
    # else where to keep this run's report (``remember_report``)
    report: tuple[str, bool] | None = None
    report_key: str | None = None
    probes: dict | None = None
    cache: Any = None

    def remember_report(self, text: str, failing: bool) -> None:
        """Keep the report rendered from this run's findings for the next identical run and view."""
        if self.report_key is not None and self.cache is not None and self.probes is not None:
            self.cache.put(self.report_key, ("report", text, failing, self.probes))

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


@dataclass(slots=True)
class Pipeline:
    """One run's settings; its methods are the stages every caller drives in the same order:
    discover (``files``) -> read -> parse with per-file rules -> workspace -> cross-file rules ->
    suppressions (``check``, or ``workspace`` then ``findings`` for callers that keep the models,
    as ``--fix`` does)."""

    config: Config
    rules: list = field(default_factory=list)
    cwd: Path = field(default_factory=Path.cwd)
    cache: Any = None
    jobs: int = 0
    progress: Callable[[int, int], None] | None = None

    @classmethod
    def create(cls, config: Config, *, select: tuple[str, ...] | None = None, ignore: tuple[str, ...] = (),
               extend_select: tuple[str, ...] = (), preview: bool = False, cache: bool = False,
               cwd: Path | None = None, jobs: int = 0,
               progress: Callable[[int, int], None] | None = None) -> Pipeline:
        """A pipeline with the rules the config (and these selections) turn on."""
        rules = select_rules(config, select, ignore, extend_select, preview=preview)
        return cls(config, rules, cwd or Path.cwd(), make_cache(config, enabled=cache), jobs, progress)

    def files(self, paths: list[Path], *, respect_include: bool = False) -> list[Path]:
        """Discover: the files asked for (folders expanded), or the project's backlog files."""
        return resolve_paths(self.config, paths, self.cwd, respect_include=respect_include)

    def workspace(self, requested: list[Path], *, whole: bool = True) -> tuple[Workspace, list[str]]:
        """Read and parse the requested files and (``whole``) every other backlog file of the project;
        returns the workspace and the display paths of the requested files."""
        return build_workspace(self.config, requested, self.cwd, whole=whole, cache=self.cache, jobs=self.jobs,
                               progress=self.progress)

    def findings(self, ws: Workspace, checked: list[str], *,
                 file_findings_of: Mapping[str, list[Diagnostic]] | None = None, probes: dict | None = None,
                 hints: Mapping[str, object] | None = None) -> list[Diagnostic]:
        """The rules' findings on the checked files of a workspace, suppressions applied (the per-file
        rules' findings of a document in ``file_findings_of`` are taken from there)."""
        return run_rules(ws, self.config, self.rules, checked, file_findings_of=file_findings_of, probes=probes,
                         hints=hints)

    def check(self, requested: list[Path], *, reuse: bool = True, project: list[Path] | None = None,
              texts: dict[Path, bytes] | None = None, hints: Mapping[str, object] | None = None,
              view: str | None = None) -> CheckRun:
        """Check the requested files against the whole project.

        With a cache, a run over exactly the same files, config and rules as an earlier one (and
        the same answers on disk for what its rules looked up, see fsprobe.py) reuses its findings
        without parsing anything (``reuse=False`` always builds the workspace, as `--fix` needs).
        ``texts`` stand in for what is on disk at those paths (text from stdin, see stdin.py);
        ``hints`` go to the rules' shared cache (``since.REMOVED_IDS``); with them no run is reused.
        Otherwise unchanged files come from the per-file cache and only changed ones are parsed.
        ``view`` names how the caller renders the findings (format and options, nothing else may change
        the text): the report an identical earlier run rendered so is returned as ``report`` (neither
        findings unpickled nor rendered again), else ``remember_report`` keeps this run's.
        The models are frozen out of the garbage collector's sight (``gc.freeze``, with everything
        else the process holds then): they live until a CLI run ends. A long-lived caller that
        checks again and again may want ``gc.unfreeze()`` after each run.
        """
        from backlog_lint import fsprobe

        cfg, cache = self.config, self.cache
        files, checked = workspace_files(cfg, requested, self.cwd, project=project)
        srcs = read_files(files, cache)
        if texts:
            _use_texts(srcs, texts, cache)
        key = None
        if cache is not None and reuse and not hints:
            key = run_key(cache, cfg, self.rules, checked, srcs, self.cwd)
        report_key = None
        if key is not None and view is not None:
            # the report keyed by the run (every file's content, config, rules, cwd, code) and the view
            report_key = cache.entry_key(f"{key}\0{view}".encode("utf-8", "surrogateescape"), "<report>")
            shown = cache.get_own(report_key)
            if (isinstance(shown, tuple) and len(shown) == 4 and shown[0] == "report" and isinstance(shown[1], str)
                    and fsprobe.unchanged(shown[3])):
                if cache.own_refreshed:  # first use today: the run's entries count as used too
                    cache.touch([key, *(src.key for src in srcs if src.key is not None)])
                return CheckRun([], checked, srcs, None, report=(shown[1], bool(shown[2])))
        if key is not None:
            hit = cache.get(key)
            if isinstance(hit, tuple) and len(hit) == 3 and hit[0] == "run" and fsprobe.unchanged(hit[2]):
                if cache.refreshed:  # first use today: the files' entries count as used too (pruning keeps them)
                    cache.touch(src.key for src in srcs if src.key is not None)
                return CheckRun(hit[1], checked, srcs, None, report_key=report_key, probes=hit[2], cache=cache)
        # the models live until the run ends: frozen, the collector does not scan them again and again
        slim = frozenset(display for _, display in files) - frozenset(checked)  # read by cross-file rules only
        parsed = parse_files(cfg, srcs, cache=cache, jobs=self.jobs, progress=self.progress, findings=True,
                             freeze=True, slim=slim)
        ws = parsed.workspace(str(cfg.root))
        for src in srcs:
            src.data = None  # the models hold the text now (memory)
        if self.progress is not None:
            self.progress(-1, -1)
        probes: dict = {}
        diagnostics = self.findings(ws, checked, file_findings_of=parsed.findings, probes=probes, hints=hints)
        if key is not None:
            cache.put(key, ("run", diagnostics, probes))
        return CheckRun(diagnostics, checked, srcs, ws, parsed.findings, report_key=report_key, probes=probes,
                        cache=cache)
