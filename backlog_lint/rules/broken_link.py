"""BL305 broken-link."""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from backlog_lint import fslookup, fsprobe
from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.fslookup import Lookup
from backlog_lint.model import Document, Link
from backlog_lint.rules._markup import glued_wikilink
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span
from backlog_lint.workspace.index import WorkspaceIndex, workspace_index

_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_HTML_ANCHOR_RE = re.compile(r"""<[^>]*?\b(?:name|id)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_SHORTCUT_RE = re.compile(r"(?<![\\!\]])\[([^\[\]]{1,200})\](?![(\[:])")
_SPACE_RE = re.compile(r"\s+")
_LINE_ANCHOR_RE = re.compile(r"l\d+(?:-l\d+)?")
_MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
_CHECKED_KINDS = ("inline", "image")


@rule("BL305", "broken-link", severity=Severity.ERROR)
def broken_link(ctx: Context) -> Iterator[Diagnostic]:
    """Link to a file, heading or reference definition that does not exist.

    ## What it does
    Checks the links of each backlog file without going on the network:

    - a relative link (`[spec](specs/SPEC-038.md)`) or image whose file does not
      exist, resolved against the linking file's folder (links that leave the
      project, and site-absolute paths without a file extension, are skipped);
    - a `#fragment` (`#wave-2`, `other.md#setup`) that matches no heading of the
      target Markdown file (GitHub heading slugs, plus `<a name>`/`id=` anchors);
    - a reference-style link (`[text][label]`) with no `[label]: target`
      definition, or one whose definition differs only in spacing;
    - an empty target: `[text]()` or a bare `#` placeholder.

    URLs (`https:`, `mailto:`, ...) are never fetched. Wiki links are not checked.

    ## Why is this bad?
    Backlog items point at specs, plans and other items; a link that leads
    nowhere after a file was moved or renamed sends readers on a search.

    ## Example
    ```markdown
    ### TODO-1: Cache parser output
    - **Spec:** [parser cache](specs/parser-cache.md)
    - See also [the plan](#the-plan) and [the RFC][rfc].
    ```

    ## Use instead
    ```markdown
    ### TODO-1: Cache parser output
    - **Spec:** [parser cache](https://example.com/specs/parser-cache)
    - See also [the item](#todo-1-cache-parser-output) and [the RFC][rfc].

    [rfc]: https://example.com/rfc
    ```

    ## Fix
    Not fixable: point the link at the file's or heading's current location, or add the missing definition.
    """
    index = workspace_index(ctx)
    root = Path(ctx.config.root)
    by_location = _Locations(ctx, index)
    for doc in ctx.documents():
        yield from _check_doc(ctx, index, doc, root, by_location)


class _Locations:
    """The workspace's documents by the real path of their file, worked out on first use (only a link
    with a #fragment into a Markdown file needs it), with the real paths of folders remembered."""

    def __init__(self, ctx: Context, index: WorkspaceIndex) -> None:
        self.ctx = ctx
        self.index = index
        self.folders: dict[str, str] = {}
        self._by_real: dict[Path, Document] | None = None

    def get(self, path: Path) -> Document | None:
        if self._by_real is None:
            self._by_real = {}
            for doc in self.ctx.workspace.documents:
                loc = self.index.location(doc, self.ctx.config)
                if loc is not None:
                    self._by_real[self.real(loc)] = doc
        return self._by_real.get(self.real(path))

    def realpath(self, path: str) -> str:
        """``os.path.realpath(path)``: the real folder (remembered) joined with the name, unless the
        name is itself a symlink."""
        folder, name = os.path.split(path)
        if not os.path.isabs(path) or name in ("", ".", "..") or not folder or folder == path:
            return os.path.realpath(path)
        real_folder = self.folders.get(folder)
        if real_folder is None:
            real_folder = self.folders[folder] = os.path.realpath(folder)
        candidate = os.path.join(real_folder, name)
        if os.path.islink(candidate):
            return os.path.realpath(path)
        return os.path.abspath(candidate)

    def real(self, path: Path) -> Path:
        """``_real(path)`` (``path.resolve()``, a symlink loop keeping its absolute spelling)."""
        try:
            real = self.realpath(os.fspath(path))
        except (OSError, ValueError):
            return path.absolute()
        try:
            os.stat(real)
        except ValueError:
            return path.absolute()
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return path.absolute()
        return Path(real)

    def inside(self, path: Path, root: Path) -> bool:
        """``workspace.files.inside``: whether ``path`` lies under ``root``, symlinks resolved on both sides."""
        try:
            Path(self.realpath(os.fspath(path))).relative_to(self.realpath(os.fspath(root)))
        except (OSError, ValueError):
            return False
        return True


def _check_doc(ctx: Context, index: WorkspaceIndex, doc: Document, root: Path,
               by_location: _Locations) -> Iterator[Diagnostic]:
    here = index.location(doc, ctx.config)
    base = here.parent if here is not None else None
    refdef_targets = {unquote(d.target) for d in doc.refdefs.values()}
    for link in doc.links:
        if link.kind == "reference":
            if (link.label or "") not in doc.refdefs and not _in_code_span(doc, link.span):
                yield ctx.report(doc, link.span,
                                 f"reference link {link.text!r} uses label {link.label!r}, which has no "
                                 f"'[{link.label}]: target' definition in this file: add the definition "
                                 "or fix the label")
            continue
        if link.kind not in _CHECKED_KINDS or glued_wikilink(link):
            continue  # [[TASK-1]](note): a wiki link glued to a note, reported by glued-wikilink
        target = link.target.strip()
        if link.kind == "inline" and target and unquote(target) in refdef_targets:
            continue  # a resolved reference link: its definition is checked below
        yield from _check_target(ctx, doc, link, target, base, root, by_location)
    for d in doc.refdefs.values():
        if d.label and d.label.startswith("^"):
            continue  # footnote
        yield from _check_target(ctx, doc, d, d.target.strip(), base, root, by_location)
    yield from _near_miss_labels(ctx, doc)


def _check_target(ctx: Context, doc: Document, link: Link, target: str, base: Path | None, root: Path,
                  by_location: _Locations) -> Iterator[Diagnostic]:
    what = "image" if link.kind == "image" else "link"
    if target in ("", "#", "<>"):
        shown = "()" if not target or target == "<>" else "'#'"
        yield ctx.report(doc, link.span,
                         f"{what} {link.text!r} has an empty target {shown}: link it to the page or heading "
                         "it means, or drop the brackets", severity=Severity.WARNING)
        return
    if _SCHEME_RE.match(target) or target.startswith("//") or "{{" in target or "{%" in target:
        return
    path_part, _, fragment = target.partition("#")
    path_part = unquote(path_part.split("?", 1)[0])
    fragment = unquote(fragment)
    if not path_part:
        if fragment and not _has_anchor(ctx, doc, fragment):
            yield ctx.report(doc, link.span,
                             f"{what} target {fslookup.shown(target)} matches no heading in this file: "
                             "link to an existing "
                             "heading's anchor (its text in lower case with spaces as '-')",
                             severity=Severity.WARNING)
        return
    if path_part.startswith("/"):
        if not Path(path_part).suffix:
            return  # a site path (/docs/contributing), not a file in the repository
        resolved = root / path_part.lstrip("/")
    elif base is None:
        return
    else:
        resolved = base / path_part
    impossible = fslookup.impossible(resolved)
    if impossible is not None:
        why = ("is too long to be a file name" if impossible is Lookup.TOO_LONG
               else "contains a character no file name can hold (NUL)")
        yield ctx.report(doc, link.span,
                         f"{what} target {fslookup.shown(path_part)} {why}, so it cannot lead to a file: "
                         "fix the path")
        return
    if not by_location.inside(resolved, root):
        return  # outside the project: nothing to judge it against
    fsprobe.record(ctx.cache, resolved)  # a cached run is stale when this path changes
    found = fslookup.lookup(resolved)
    if not found.exists:
        yield ctx.report(doc, link.span,
                         f"{what} target {fslookup.shown(path_part)} does not exist (no such file relative to "
                         f"{_shown_dir(base, root, path_part)}): fix the path or restore the file")
        return
    if not fragment or resolved.suffix.lower() not in _MARKDOWN_SUFFIXES or found is not Lookup.FILE:
        return
    target_doc = by_location.get(resolved) or _parse_on_disk(ctx, resolved)
    if target_doc is not None and not _has_anchor(ctx, target_doc, fragment):
        yield ctx.report(doc, link.span,
                         f"{what} target {fslookup.shown(target)}: {fslookup.shown(path_part)} has no heading "
                         f"with anchor {fslookup.shown(fragment)}: "
                         "link to an existing heading's anchor", severity=Severity.WARNING)


def _shown_dir(base: Path | None, root: Path, path_part: str) -> str:
    if path_part.startswith("/") or base is None:
        return "the project root"
    try:
        rel = _real(base).relative_to(_real(root)).as_posix()
    except ValueError:
        return "this file's folder"
    return "this file's folder" if rel == "." else f"{rel}/"


def _has_anchor(ctx: Context, doc: Document, fragment: str) -> bool:
    frag = fragment.casefold()
    if frag.startswith("user-content-"):
        frag = frag[len("user-content-"):]
    if not frag or _LINE_ANCHOR_RE.fullmatch(frag):
        return True
    cache = ctx.cache.setdefault("anchors", {})
    assert isinstance(cache, dict)
    anchors = cache.get(doc.path)
    if anchors is None:
        anchors = {h.slug.casefold() for h in doc.headings}
        text = doc.source.text
        if "name" in text or "id" in text:
            anchors.update(m.group(1).casefold() for m in _HTML_ANCHOR_RE.finditer(text))
        cache[doc.path] = anchors
    return frag in anchors


def _parse_on_disk(ctx: Context, path: Path) -> Document | None:
    cache = ctx.cache.setdefault("linked_documents", {})
    assert isinstance(cache, dict)
    if path in cache:
        return cache[path]
    from backlog_lint.parser import parse_bytes

    try:
        doc = parse_bytes(path.read_bytes(), path.as_posix(), ctx.config.vocab)
    except OSError:
        doc = None
    cache[path] = doc
    return doc


def _in_code_span(doc: Document, span: Span) -> bool:
    line = doc.source.line(span.line)
    return line.count("`", 0, span.col - 1) % 2 == 1


def _fold_label(label: str) -> str:
    return _SPACE_RE.sub("", label).casefold()


def _near_miss_labels(ctx: Context, doc: Document) -> Iterator[Diagnostic]:
    """`[Milestone: MVP]` used as a link while the definition reads `[Milestone:MVP]`."""
    if not doc.refdefs:
        return
    loose = {_fold_label(label): d for label, d in doc.refdefs.items()}
    def_lines = {d.span.line for d in doc.refdefs.values()}
    for n, line in enumerate(doc.source.lines, 1):
        if "[" not in line or n in doc.code_lines or n in def_lines:
            continue
        for m in _SHORTCUT_RE.finditer(line):
            text = m.group(1)
            exact = _SPACE_RE.sub(" ", text.strip()).casefold()
            if exact in doc.refdefs:
                continue
            d = loose.get(_fold_label(text))
            if d is None or line.count("`", 0, m.start()) % 2 == 1:
                continue
            span = Span(n, m.start() + 1, n, m.end() + 1)
            yield ctx.report(doc, span,
                             f"[{text}] is meant as a reference link but does not match the definition "
                             f"[{d.text}] on line {d.span.line} (spacing differs), so it renders as plain text: "
                             "spell the label the same way in both places")


def _real(path: Path) -> Path:
    """The resolved path; a symlink loop keeps its absolute spelling instead of raising."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):
        return path.absolute()
