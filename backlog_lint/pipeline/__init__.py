"""The pipeline: discover -> read -> parse (+ per-file rules) -> workspace -> cross-file rules ->
suppressions -> report. Each stage is a module of its own with explicit inputs and outputs:

- ``paths``: which files a run reads and how they are shown (``resolve_paths``, ``workspace_files``);
- ``reading``: their bytes, once (``read_files``);
- ``parsing``: their models, cached or parsed in parallel (``parse_files``), with per-file findings;
- ``running``: the rules a run uses and their findings (``select_rules``, ``run_rules``);
- ``checking``: the whole ``check`` run, reused from the run cache when nothing changed, and
  :class:`Pipeline`, the one object the CLI, ``--fix``, ``format``, the language server and the
  tests drive.
"""

from __future__ import annotations

from backlog_lint.pipeline.checking import CheckRun, Pipeline, make_cache, run_key
from backlog_lint.pipeline.parsing import (
    PARALLEL_MIN_FILES,
    Parsed,
    build_workspace,
    load_document,
    load_documents,
    parse_document,
    parse_files,
)
from backlog_lint.pipeline.paths import display_path, resolve_paths, workspace_files
from backlog_lint.pipeline.reading import SourceFile, read_files
from backlog_lint.pipeline.running import file_findings, run_rules, select_rules

__all__ = [
    "PARALLEL_MIN_FILES", "CheckRun", "Parsed", "Pipeline", "SourceFile", "build_workspace", "display_path",
    "file_findings", "load_document", "load_documents", "make_cache", "parse_document", "parse_files",
    "read_files", "resolve_paths", "run_key", "run_rules", "select_rules", "workspace_files",
]
