"""The requests: code actions, formatting, navigation by item ID, symbols and completion. Each
handler finds the document's current model and hands over to the module that knows the answer."""

from __future__ import annotations

import functools

from lsprotocol import types

from backlog_lint.errors import FixLoopError
from backlog_lint.lsp import actions, completion, navigation, symbols
from backlog_lint.lsp.positions import column, diff_edits, span_range
from backlog_lint.lsp.project import Project
from backlog_lint.lsp.server import BacklogServer, guarded
from backlog_lint.model import Document

TRIGGERS = ["-", "_", ",", " "]


def _cursor(doc: Document, pos: types.Position, encoding: str) -> tuple[int, int]:
    """1-based line and code-point column of an LSP position in the document's model."""
    line = pos.line + 1
    return line, column(doc.source.line(line), pos.character, encoding)


def _location(ls: BacklogServer, place: navigation.Place) -> types.Location:
    uri = ls.uri_of_path(place.path)
    if place.doc is None:
        return types.Location(uri, types.Range(types.Position(0, 0), types.Position(0, 0)))
    return types.Location(uri, span_range(place.doc.source, place.span, ls.encoding))


def register(server: BacklogServer) -> None:
    _register_actions(server)
    _register_navigation(server)
    _register_symbols(server)


def _register_actions(server: BacklogServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, actions.FIX_ALL_KIND], resolve_provider=True))
    @guarded("listing code actions", [])
    async def code_action(ls: BacklogServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        found = await ls.current_findings(uri)
        if found is None:
            return []
        _project, doc, findings = found
        quick, fix_all = actions.wanted_kinds(params.context.only)
        out: list[types.CodeAction] = []
        if quick:
            out += actions.finding_actions(uri, doc, findings, params.range, params.context.diagnostics, ls.encoding)
        if fix_all and actions.has_safe_fix(findings):
            out.append(types.CodeAction(actions.FIX_ALL_TITLE, kind=actions.FIX_ALL_KIND, data={"uri": uri}))
        return out

    @server.feature(types.CODE_ACTION_RESOLVE)
    @guarded("fixing a file")
    async def resolve(ls: BacklogServer, action: types.CodeAction) -> types.CodeAction:
        data = action.data if isinstance(action.data, dict) else {}
        uri = data.get("uri")
        if action.kind != actions.FIX_ALL_KIND or not isinstance(uri, str):
            return action
        found = await ls.document(uri)
        if found is None:
            return action
        project, _mentions, doc = found
        try:
            fixed = project.fix_all(doc.path)
        except FixLoopError as exc:
            ls.tell(f"backlog-lint: {exc}", types.MessageType.Error)
            return action
        if fixed is not None:
            action.edit = types.WorkspaceEdit(changes={uri: diff_edits(doc.source.text, fixed, ls.encoding)})
        return action

    @server.feature(types.TEXT_DOCUMENT_FORMATTING, types.DocumentFormattingOptions())
    @guarded("formatting", None)
    async def formatting(ls: BacklogServer, params: types.DocumentFormattingParams) -> list[types.TextEdit] | None:
        uri = params.text_document.uri
        where = ls.locate(uri)
        if where is None:
            return None
        project = await ls.project(where[0])
        if project is None:
            return None
        text = ls.workspace.get_text_document(uri).source
        result = project.format(where[1], text)
        if result.text is None:
            ls.tell(f"backlog-lint: {result.refusal}", types.MessageType.Warning)
            return None
        return diff_edits(text, result.text, ls.encoding)


def _register_navigation(server: BacklogServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    @guarded("finding a definition", None)
    async def definition(ls: BacklogServer, params: types.DefinitionParams) -> list[types.Location] | None:
        found = await ls.document(params.text_document.uri)
        if found is None:
            return None
        project, mentions, doc = found
        line, col = _cursor(doc, params.position, ls.encoding)
        places = navigation.definition(project, mentions, doc, line, col)
        return [_location(ls, p) for p in places] or None

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    @guarded("finding references", None)
    async def references(ls: BacklogServer, params: types.ReferenceParams) -> list[types.Location] | None:
        found = await ls.document(params.text_document.uri)
        if found is None:
            return None
        project, mentions, doc = found
        line, col = _cursor(doc, params.position, ls.encoding)
        places = navigation.references(project, mentions, doc, line, col,
                                       declarations=params.context.include_declaration)
        return [_location(ls, p) for p in places] or None

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @guarded("describing an item", None)
    async def hover(ls: BacklogServer, params: types.HoverParams) -> types.Hover | None:
        found = await ls.document(params.text_document.uri)
        if found is None:
            return None
        project, mentions, doc = found
        line, col = _cursor(doc, params.position, ls.encoding)
        answer = navigation.hover(project, mentions, doc, line, col)
        if answer is None:
            return None
        text, span = answer
        return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, text),
                           span_range(doc.source, span, ls.encoding))

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=TRIGGERS))
    @guarded("completing", None)
    async def complete(ls: BacklogServer, params: types.CompletionParams) -> types.CompletionList | None:
        found = await ls.document(params.text_document.uri)
        if found is None:
            return None
        project, _mentions, doc = found
        line, col = _cursor(doc, params.position, ls.encoding)
        answer = completion.complete(project, doc.source.lines, line, col)
        if answer is None:
            return None
        start = types.Position(params.position.line,
                               params.position.character - _units_between(doc, line, answer.start, col, ls.encoding))
        replace = types.Range(start, params.position)
        items = [types.CompletionItem(
            label=c.label, kind=types.CompletionItemKind.Reference, detail=c.title,
            label_details=types.CompletionItemLabelDetails(description=c.title),
            documentation=c.detail, sort_text=c.sort, filter_text=f"{c.label} {c.title}",
            text_edit=types.TextEdit(replace, c.label)) for c in answer.candidates]
        return types.CompletionList(is_incomplete=answer.incomplete, items=items)


def _units_between(doc: Document, line: int, start: int, end: int, encoding: str) -> int:
    from backlog_lint.lsp.positions import units

    return units(doc.source.line(line)[start - 1 : end - 1], encoding)


def _uri_of(ls: BacklogServer, project: Project, doc: Document) -> str:
    return ls.uri(project, doc.path)


def _register_symbols(server: BacklogServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @guarded("listing the outline", None)
    async def outline(ls: BacklogServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol] | None:
        found = await ls.document(params.text_document.uri)
        if found is None:
            return None
        return symbols.document_symbols(found[2], ls.encoding)

    @server.feature(types.WORKSPACE_SYMBOL)
    @guarded("searching items", None)
    async def search(ls: BacklogServer, params: types.WorkspaceSymbolParams) -> list[types.SymbolInformation]:
        out: list[types.SymbolInformation] = []
        for key in {*ls.projects, *(k for k, _ in ls.opened.values())}:
            project = await ls.project(key)
            if project is None:
                continue
            ls.sync(key, project)
            out += symbols.workspace_symbols(project.documents, params.query,
                                             functools.partial(_uri_of, ls, project), ls.encoding)
        return out[: symbols.WORKSPACE_LIMIT]
