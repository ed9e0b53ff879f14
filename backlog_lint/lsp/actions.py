"""Code actions: each finding's fix (safe ones preferred, unsafe ones labelled), suppressing a
finding on its line or in its file, and fixing every safe problem of the file at once."""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types

from backlog_lint.diagnostics import Diagnostic, Edit
from backlog_lint.lsp import suppression
from backlog_lint.lsp.findings import same_place, to_lsp
from backlog_lint.lsp.positions import span_range, text_edit
from backlog_lint.model import Document

FIX_ALL_KIND = f"{types.CodeActionKind.SourceFixAll.value}.backlog-lint"
FIX_ALL_TITLE = "Fix all safe problems in this file (backlog-lint)"


def _touches(finding: Diagnostic, doc: Document, wanted: types.Range, encoding: str) -> bool:
    r = span_range(doc.source, finding.span, encoding)
    return (r.start.line, r.start.character) <= (wanted.end.line, wanted.end.character) and \
        (wanted.start.line, wanted.start.character) <= (r.end.line, r.end.character)


def _edit(uri: str, doc: Document, edits: Sequence[Edit], encoding: str) -> types.WorkspaceEdit:
    return types.WorkspaceEdit(changes={uri: [text_edit(doc.source, e, encoding) for e in edits]})


def finding_actions(uri: str, doc: Document, findings: Sequence[Diagnostic], wanted: types.Range,
                    sent: Sequence[types.Diagnostic], encoding: str) -> list[types.CodeAction]:
    """Quick fixes for the findings at ``wanted`` (those the client sent, else all that touch it)."""
    chosen = [f for f in findings if any(same_place(f, d, doc.source, encoding) for d in sent)]
    if not chosen:
        chosen = [f for f in findings if _touches(f, doc, wanted, encoding)]
    actions: list[types.CodeAction] = []
    for finding in chosen:
        lsp_diag = to_lsp(finding, doc.source, lambda _path: None, encoding)
        fix = finding.fix
        if fix is not None:
            title = f"{fix.title} ({finding.code})" if fix.safe else \
                f"{fix.title} ({finding.code}, unsafe fix: check the result)"
            actions.append(types.CodeAction(title, kind=types.CodeActionKind.QuickFix, diagnostics=[lsp_diag],
                                            is_preferred=fix.safe, edit=_edit(uri, doc, fix.edits, encoding)))
        line = suppression.for_line(doc, finding.span.line, finding.code)
        if line is not None:
            where = "on this line" if line.scope == "line" else "in this block"
            actions.append(types.CodeAction(f"Suppress {finding.code} {where}", kind=types.CodeActionKind.QuickFix,
                                            diagnostics=[lsp_diag], edit=_edit(uri, doc, line.edits, encoding)))
        whole = suppression.for_file(doc, finding.code)
        actions.append(types.CodeAction(f"Suppress {finding.code} in this file", kind=types.CodeActionKind.QuickFix,
                                        diagnostics=[lsp_diag], edit=_edit(uri, doc, whole.edits, encoding)))
    return actions


def has_safe_fix(findings: Sequence[Diagnostic]) -> bool:
    return any(f.fix is not None and f.fix.safe for f in findings)


def wanted_kinds(only: Sequence[str] | None) -> tuple[bool, bool]:
    """(quick fixes, fix all) according to the request's ``only`` filter."""
    if not only:
        return True, True

    def covers(kind: str) -> bool:
        return any(kind == k or kind.startswith(k + ".") for k in only)

    return covers(types.CodeActionKind.QuickFix.value), covers(FIX_ALL_KIND)
