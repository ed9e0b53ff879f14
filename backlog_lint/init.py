"""`backlog-lint init`: find the project's backlog files and write a commented `.backlog-lint.toml`.

Every Markdown file of the project (git-tracked or untracked but not ignored, as `check` finds
them) is parsed; a file is a backlog when the model finds backlog items in it: checklists, status
signals, status or priority fields, index rows, or a front-matter task with an ID (in a file named
like a backlog, `TODO.md`, any item). A README whose headings and tables the parser reads as
items, but which has none of those, is not. `include`
then names exactly those files: a folder that holds only backlog files becomes one glob
(`backlog/**/*.md`), any other file its own path; the result is checked against the same file
discovery `check` uses, so a following `check` sees exactly these files. The vocabularies learnt
from them (inferred.py) are written as commented settings to enable. Nothing here prints.
"""

from __future__ import annotations

import json
import re
import textwrap
import tomllib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from backlog_lint.config import CONFIG_FILE, DEFAULT_EXCLUDE, DEFAULT_INCLUDE, Config, find_config, find_root
from backlog_lint.discovery import markdown_files, matches
from backlog_lint.inferred import FieldInference, Inferred, report_lines
from backlog_lint.model import Document

SCHEMA_URL = "https://raw.githubusercontent.com/backlog-lint/backlog-lint/main/schemas/config.schema.json"
# folders that hold a backlog by their name (as in the default `include`): one file is enough to
# name the folder rather than the file, so that the next task file written there is checked too
BACKLOG_FOLDERS = frozenset({"backlog", "tasks", "kanban"})
_DIR_EXCLUDES = tuple(p for p in DEFAULT_EXCLUDE if p.endswith("/**"))
_FILE_EXCLUDES = tuple(p for p in DEFAULT_EXCLUDE if not p.endswith("/**"))
_TEMPLATE_RE = re.compile(r"template", re.IGNORECASE)
_MAGIC_RE = re.compile(r"[*?\[\]{}\\]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]+")


class InitError(Exception):
    """`init` produced a config that does not do what it says: a bug in backlog-lint."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """What makes a file a backlog, counted."""

    items: int
    tasks: int
    index_rows: int
    front_matter: bool

    def describe(self) -> str:
        parts = [_count(self.items, "item") + (" (front matter)" if self.front_matter else "")]
        if self.tasks:
            parts.append(_count(self.tasks, "checklist entry", "checklist entries"))
        if self.index_rows:
            parts.append(_count(self.index_rows, "index row"))
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A Markdown file of the project and what `init` made of it."""

    path: str  # relative to the project root, with `/`
    evidence: Evidence | None  # None: not a backlog
    reason: str  # why not, or what it holds


@dataclass(slots=True)
class Scan:
    root: Path
    files: list[Candidate]
    documents: list[Document] = field(default_factory=list)  # the backlog files' models

    @property
    def backlog(self) -> list[Candidate]:
        return [c for c in self.files if c.evidence is not None]

    @property
    def others(self) -> list[Candidate]:
        return [c for c in self.files if c.evidence is None]


def project_root(path: Path) -> Path:
    """Where the config goes: the git work tree's top that holds ``path``, else ``path`` itself
    (where `check` looks for the project root when there is no config)."""
    return find_root(path.resolve())


def existing_config(root: Path) -> Path | None:
    """The project's own config file, if it has one: `.backlog-lint.toml`, or `pyproject.toml` with
    a `[tool.backlog-lint]` table."""
    own = root / CONFIG_FILE
    if own.is_file():
        return own
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            with pyproject.open("rb") as fh:
                data = tomllib.load(fh)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return None  # unreadable: `check` reads `.backlog-lint.toml` first in any case
        if isinstance(data.get("tool"), dict) and "backlog-lint" in data["tool"]:
            return pyproject
    return None


def inherited_config(root: Path) -> Path | None:
    """A config above the project root that has applied to it until now (the new one will shadow it)."""
    if root.parent == root:
        return None
    found, _ = find_config(root.parent)
    return found


def recognise(doc: Document, *, named: bool = False) -> Evidence | None:
    """The backlog items a parsed file holds, or None when it holds none (a README, a changelog).

    The parser is generous on purpose (a file already known to be a backlog gets every item
    read), so plain headings or a table with codes in a README become items too. A backlog is
    told by what only backlogs carry: checklists, status signals, status or priority fields,
    index rows pointing at items, a front-matter task with an ID; or, for a file ``named`` like
    a backlog (the default `include`: `TODO.md`, `tasks/TASK-001.md`), by any item at all.
    """
    tasks = len(doc.loose_tasks) + sum(1 for item in doc.items for _ in item.all_tasks())
    checklist_items = sum(1 for item in doc.items if item.kind == "checklist")
    backlog_like = any(
        item.signals or item.get("status") is not None or item.get("priority") is not None
        or "priority" in item.inherited or (item.kind == "document" and item.id)
        for item in doc.items
    )
    if not (backlog_like or tasks or checklist_items or doc.index or (named and doc.items)):
        return None
    front = bool(doc.items) and all(item.kind == "document" for item in doc.items)
    return Evidence(len(doc.items), tasks, len(doc.index), front)


def scan(root: Path, *, jobs: int = 0) -> Scan:
    """Find and parse the project's Markdown files; tell its backlog files from the others."""
    from backlog_lint import pipeline

    cfg = Config(root=root)
    found = markdown_files(Config(root=root, exclude=_DIR_EXCLUDES), root)
    rels = {p: p.relative_to(root).as_posix() for p in found}
    excluded = {p for p, rel in rels.items() if matches(rel, _FILE_EXCLUDES)}
    templates = {p for p, rel in rels.items() if _TEMPLATE_RE.search(rel)}
    readable = [(p, rels[p]) for p in found if p not in excluded and p not in templates]
    docs = {doc.path: doc for doc in pipeline.load_documents(cfg, readable, jobs=jobs).documents}
    out = Scan(root, [])
    for p in found:
        rel = rels[p]
        if p in excluded:
            out.files.append(Candidate(rel, None, "excluded by default (`exclude`)"))
            continue
        if p in templates:
            out.files.append(Candidate(rel, None, "a template"))
            continue
        doc = docs[rel]
        unreadable = doc.unreadable
        if unreadable is not None:
            out.files.append(Candidate(rel, None, f"cannot be read: {unreadable.message}"))
            continue
        evidence = recognise(doc, named=matches(rel, DEFAULT_INCLUDE))
        if evidence is None:
            out.files.append(Candidate(rel, None, "no backlog items"))
            continue
        out.files.append(Candidate(rel, evidence, evidence.describe()))
        out.documents.append(doc)
    return out


# ---------------------------------------------------------------------------- include globs


@dataclass(frozen=True, slots=True)
class Pattern:
    """One `include` entry and the backlog files it stands for."""

    glob: str
    files: tuple[Candidate, ...]

    def describe(self) -> str:
        if len(self.files) == 1 and self.files[0].evidence is not None:
            return self.files[0].evidence.describe()
        items = sum(c.evidence.items for c in self.files if c.evidence)
        tasks = sum(c.evidence.tasks for c in self.files if c.evidence)
        text = f"{_count(len(self.files), 'file')}: {_count(items, 'item')}"
        return text + (f", {_count(tasks, 'checklist entry', 'checklist entries')}" if tasks else "")


def include_patterns(scan: Scan) -> list[Pattern]:
    """`include` for exactly the backlog files: a folder (below the root) whose Markdown files are
    all backlogs becomes `folder/**/*.md` when it holds two or more of them or is named like a
    backlog folder; every other file is named by its own path (`/` anchors one at the root)."""
    backlog = {c.path: c for c in scan.backlog}
    under: dict[str, list[str]] = {}  # folder -> every candidate below it
    for c in scan.files:
        if c.reason.startswith("excluded by default"):
            continue  # `exclude` keeps it out whatever `include` says
        parts = PurePosixPath(c.path).parts
        for depth in range(1, len(parts)):
            under.setdefault("/".join(parts[:depth]), []).append(c.path)

    def collapsible(folder: str) -> bool:
        paths = under[folder]
        if not all(p in backlog for p in paths):
            return False
        return len(paths) >= 2 or PurePosixPath(folder).name.casefold() in BACKLOG_FOLDERS

    out: list[Pattern] = []
    done: set[str] = set()
    for path in sorted(backlog):
        if path in done:
            continue
        parts = PurePosixPath(path).parts
        folder = next(("/".join(parts[:d]) for d in range(1, len(parts)) if collapsible("/".join(parts[:d]))), None)
        if folder is None:
            glob = _escape(path) if len(parts) > 1 else "/" + _escape(path)
            out.append(Pattern(glob, (backlog[path],)))
            done.add(path)
            continue
        members = sorted(under[folder])
        suffixes = {PurePosixPath(p).suffix.casefold() for p in members}
        ext = "md" if suffixes == {".md"} else "markdown" if suffixes == {".markdown"} else "{md,markdown}"
        out.append(Pattern(f"{_escape(folder)}/**/*.{ext}", tuple(backlog[p] for p in members)))
        done.update(members)
    return sorted(out, key=lambda p: p.glob.lstrip("/"))


def _escape(path: str) -> str:
    """A path as a glob that matches only itself: the characters that are magic in the globs of
    discovery.py (`*`, `?`, `[`, `]`, `{`, `}` and `\\`) escaped, nothing else."""
    return _MAGIC_RE.sub(r"\\\g<0>", path)


def verify(text: str, scan: Scan) -> None:
    """The written config is valid and its `include` selects exactly the backlog files found."""
    from backlog_lint.config import validate
    from backlog_lint.errors import ConfigError

    try:
        data = tomllib.loads(text)
        validate(data, CONFIG_FILE)
    except (tomllib.TOMLDecodeError, ConfigError) as exc:
        raise InitError(f"the config written by init is not valid: {exc}") from exc
    include = tuple(data.get("include", ()))
    wanted = {c.path for c in scan.backlog}
    for c in scan.files:
        selected = matches(c.path, include) and not matches(c.path, DEFAULT_EXCLUDE)
        if selected != (c.path in wanted):
            what = "selects" if selected else "misses"
            raise InitError(f"the include patterns written by init {what} {c.path} ({c.reason})")


# ---------------------------------------------------------------------------- the file


def render(scan: Scan, patterns: list[Pattern], inferred: Inferred) -> str:
    """The commented `.backlog-lint.toml`."""
    n_files = len(scan.backlog)
    lines = [
        f"#:schema {SCHEMA_URL}",
        "# backlog-lint configuration, written by `backlog-lint init`.",
        "#",
        *_comment(f"`include` names the {_count(n_files, 'file')} that `init` recognised as backlogs (they hold "
                  "checklists, items with a status or priority, front-matter tasks or index tables); edit it "
                  "freely. Globs match as in gitignore: a leading `/` anchors a name to this folder, `**` crosses "
                  "folders, names match in any case."),
        "include = [",
    ]
    width = min(max(len(_toml(p.glob)) for p in patterns) + 1, 48)
    for p in patterns:
        lines.append(f"    {(_toml(p.glob) + ','):<{width}}  # {_sanitise(p.describe())}")
    lines += ["]", ""]
    lines += _comment("What `init` learnt from these files. backlog-lint learns it again on every run "
                      "(`backlog-lint config --show-inferred` shows it); to pin a set instead, so that a value "
                      "outside it is reported in every file, remove the `# ` before its setting.")
    for f in inferred.fields:
        lines.append("")
        lines += _field_block(f)
    lines.append("")
    lines += _labels_block(inferred)
    lines.append("")
    lines += _families_block(inferred)
    return "\n".join(lines) + "\n"


def _field_block(f: FieldInference) -> list[str]:
    name = f.name.capitalize()
    said: list[str] = []
    for src in f.declared:
        where = {"setting": "set in", "tool-config": "declared in", "legend": "listed in the legend at",
                 "declaration": "declared at"}[src.kind]
        said.append(f"{where} {src.where} ({_list(src.values)})")
    if f.used:
        said.append("used: " + ", ".join(f"{v} ({n})" for v, n in f.used[:20])
                    + (f" and {len(f.used) - 20} more" if len(f.used) > 20 else ""))
    if not said:
        return _comment(f"{name}: none found (no item has this field).")
    text = f"{name}: " + "; ".join(said) + "."
    for s in f.slips:
        text += f" Left out: {s.value!r} ({s.count}), which reads as a slip for {s.usual!r} ({s.usual_count})."
    if f.setting is None:
        if f.declared:
            text += f" No setting pins {f.name} for the whole project; a declaration checks the file it is in."
        else:
            text += (f" No setting pins {f.name}: to check them against a fixed set, declare it in the backlog "
                     f"file (`**{f.name.capitalize()}**: {_list(f.suggested()[:3])}`).")
        return _comment(text)
    project = f.project_source
    if project is not None and project.kind == "tool-config":
        text += f" {project.where} is read on every run; pin the set here only to stop following it."
    out = _comment(text)
    values = f.suggested()
    if values:
        out.append(f"# {f.setting} = [{', '.join(_toml(v) for v in values)}]")
    return out


def _labels_block(inferred: Inferred) -> list[str]:
    lab = inferred.labels
    said = [f"the legend at {src.where} defines {_list(src.values)} (for that file)" for src in lab.legends]
    if lab.used:
        said.append("used: " + ", ".join(f"{v} ({n})" for v, n in lab.used[:30])
                    + (f" and {len(lab.used) - 30} more" if len(lab.used) > 30 else ""))
    if not said:
        return _comment("Labels: none found (no label legend, no item with labels).")
    out = _comment("Labels: " + "; ".join(said) + ".")
    out.append(f"# labels = [{', '.join(_toml(v) for v in lab.suggested())}]")
    return out


def _families_block(inferred: Inferred) -> list[str]:
    fams = [f for f in inferred.families if f.count]
    if not fams:
        return _comment("ID families: none found (no item has an ID).")
    said = ", ".join(f"{f.family} ({_count(f.count, 'item')}, e.g. {f.example})" for f in fams[:20])
    out = _comment(f"ID families of the items: {said}. References to IDs of these families are checked; "
                   "pinned here, they stay checked even when no item of a family is left.")
    out.append(f"# id-families = [{', '.join(_toml(f.family) for f in fams)}]")
    return out


def _comment(text: str) -> list[str]:
    return ["# " + line for line in textwrap.wrap(_sanitise(text), 98, break_long_words=False,
                                                  break_on_hyphens=False)]


def _sanitise(text: str) -> str:
    """Text that is safe in a TOML comment: no line breaks or control characters."""
    return _CONTROL_RE.sub(" ", text)


def _toml(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's, except that TOML wants DEL escaped too)."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def _list(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join(values)


def _count(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


# ---------------------------------------------------------------------------- what init says


def summary_lines(scan: Scan, patterns: list[Pattern], inferred: Inferred, *, limit: int = 10) -> list[str]:
    """What `init` found, for people: the backlog files by include pattern, the others, the vocabularies."""
    items = sum(c.evidence.items for c in scan.backlog if c.evidence)
    out = [f"Looked at {_count(len(scan.files), 'Markdown file')}; {len(scan.backlog)} hold backlog items "
           f"({_count(items, 'item')} in all):"]
    for p in patterns[:limit * 2]:
        out.append(f"  {p.glob}: {p.describe()}")
    if len(patterns) > limit * 2:
        out.append(f"  ... and {len(patterns) - limit * 2} more (each in the config's `include`)")
    others = scan.others
    if others:
        out.append(f"Not backlogs ({len(others)}):")
        for c in others[:limit]:
            out.append(f"  {c.path}: {c.reason}")
        if len(others) > limit:
            out.append(f"  ... and {len(others) - limit} more")
    out.append("Learnt from the backlog files:")
    out += ["  " + line for line in report_lines(inferred)]
    return out
