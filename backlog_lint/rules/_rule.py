"""Rule declaration and the context rules report through."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from backlog_lint.diagnostics import Diagnostic, Fix, Severity
from backlog_lint.source import Span

if TYPE_CHECKING:
    from backlog_lint.config import Config
    from backlog_lint.model import Document, Workspace
    from backlog_lint.suppress import Suppressions


@dataclass(slots=True)
class Context:
    """What a rule sees: the workspace, the config, and a way to report."""

    workspace: Workspace
    config: Config
    rule: Rule | None = None
    checked: set[str] = field(default_factory=set)  # display paths of the files asked for
    cache: dict[str, object] = field(default_factory=dict)  # shared analysis between rules
    suppressions: dict[str, Suppressions] = field(default_factory=dict)  # path -> its comments, once applied

    def documents(self) -> Iterator[Document]:
        """The documents whose own findings are wanted (per-file rules iterate these)."""
        for doc in self.workspace.documents:
            if doc.path in self.checked:
                yield doc

    def report(self, doc: Document | str, span: Span, message: str, *, fix: Fix | None = None,
               severity: Severity | None = None,
               related: tuple[tuple[str, Span], ...] = ()) -> Diagnostic:
        assert self.rule is not None
        path = doc if isinstance(doc, str) else doc.path
        return Diagnostic(path, span, self.rule.code, self.rule.name, message,
                          severity or self.rule.severity, fix, related)


Check = Callable[[Context], Iterator[Diagnostic]]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    summary: str
    explanation: str
    fixable: bool
    severity: Severity
    check: Check
    preview: bool = False  # off unless asked for (`--preview`, `preview = true`, or selected by its code)
    per_file: bool = False  # its findings on a file depend on that file and the config alone
    after_suppressions: bool = False  # runs once the others' findings are suppressed (reads ctx.suppressions)

    @property
    def default(self) -> bool:
        """On in a run with no selection of its own."""
        return not self.preview

    def section(self, title: str) -> str:
        """A `## Title` section of the explanation (Example, Use instead, ...), fence-aware."""
        lines = self.explanation.split("\n")
        out: list[str] | None = None
        fence = ""
        for line in lines:
            stripped = line.strip()
            if fence:
                if stripped.startswith(fence) and not stripped.strip(fence[0]):
                    fence = ""
            elif stripped.startswith(("```", "~~~")):
                fence = stripped[: len(stripped) - len(stripped.lstrip(stripped[0]))]
            elif line.startswith("## "):
                if out is not None:
                    break
                if line[3:].strip() == title:
                    out = []
                    continue
            if out is not None:
                out.append(line)
        return "\n".join(out).strip() if out is not None else ""

    def code_block(self, title: str) -> str:
        """The first fenced code block of a section (its fence may be longer than three)."""
        lines = self.section(title).split("\n")
        for i, line in enumerate(lines):
            stripped = line.strip()
            if stripped.startswith(("```", "~~~")):
                ch = stripped[0]
                fence = stripped[: len(stripped) - len(stripped.lstrip(ch))]
                body: list[str] = []
                for inner in lines[i + 1 :]:
                    s2 = inner.strip()
                    if s2.startswith(fence) and not s2.strip(ch):
                        return "\n".join(body) + "\n"
                    body.append(inner)
                return "\n".join(body) + "\n"
        return ""


def rule(code: str, name: str, *, fixable: bool = False, severity: Severity = Severity.WARNING,
         preview: bool = False, per_file: bool = False,
         after_suppressions: bool = False) -> Callable[[Check], Rule]:
    """Declare a rule from a check function; its docstring is the explanation.

    ``per_file``: the rule reads one document and the config, nothing else of the workspace. Such
    rules run where the file is parsed (in parallel) and their findings are cached with its model;
    tests/test_per_file_rules.py checks that each finds the same alone as in a workspace.
    ``after_suppressions``: the rule judges the suppression comments, so it runs after every other
    rule's findings were filtered through them (``Context.suppressions``).
    """
    def wrap(fn: Check) -> Rule:
        doc = inspect.cleandoc(fn.__doc__ or "")
        summary = doc.splitlines()[0] if doc else name
        return Rule(code, name, summary, doc, fixable, severity, fn, preview, per_file, after_suppressions)

    return wrap
