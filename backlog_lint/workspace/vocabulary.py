"""The project's own vocabulary: which statuses, priorities and estimates it uses, learnt from it.

Nothing here is a built-in list of allowed values. The allowed values of a field come from, in
this order:

1. the config (`status-values`, when set);
2. the project's Backlog.md config (`backlog/config.yml`: `statuses`);
3. declarations in the backlog files (`**Priorities**: P0, P1, P2`, a `## Status legend`, "each item
   has a status (Open / In progress / Done)"), for the file that declares them;
4. the values its items actually use, where a rare spelling one edit away from a common one is a slip
   (`Doen` beside 40 `Done`).

`backlog-lint config --show-inferred` prints what was learnt and from where.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from backlog_lint.model import Document, Field, Item, Workspace
from backlog_lint.source import Span
from backlog_lint.text import normalise_word

if TYPE_CHECKING:
    from backlog_lint.config import Config
    from backlog_lint.rules._rule import Context

CACHE_KEY = "project_vocabulary"
CHECKED_FIELDS = ("status", "priority", "effort")
_LEADING_SYMBOLS_RE = re.compile(r"^[^\w(]+")
_HEAD_RE = re.compile(r"\s*(?:[;:,(—–]|\s-\s).*$")
TOOL_CONFIGS = ("config.yml", "config.yaml")  # Backlog.md's, in the folder holding tasks/, drafts/ ...


@lru_cache(maxsize=1 << 14)  # the same few values (statuses, priorities) on every item of the project
def fold_value(raw: str) -> str:
    """Comparison form of a field value: case, spacing, a leading emoji and a trailing note folded
    ("✅ Done (2024-05-01)" -> "done")."""
    t = normalise_word(raw)
    t = _LEADING_SYMBOLS_RE.sub("", t)
    return _HEAD_RE.sub("", t).strip(" .")


@dataclass(slots=True)
class Declared:
    """A field's allowed values and where they were declared."""

    values: dict[str, str]  # folded -> as written
    source: str  # how a message says where: "in the `status-values` setting", "in backlog/config.yml", "on line 5"
    doc: str | None = None  # the document it applies to; None: the whole project
    span: Span | None = None
    kind: str = "declaration"  # setting | tool-config | declaration | legend
    origin: str | None = None  # the file it was read from (the config file, backlog/config.yml, the document)


@dataclass(slots=True)
class Use:
    doc: Document
    item: Item
    field: Field
    folded: str


@dataclass(slots=True)
class FieldVocabulary:
    name: str
    project: Declared | None = None  # config or tool config: applies everywhere
    documents: dict[str, Declared] = field(default_factory=dict)  # legends: apply to their own file
    folders: dict[str, Declared] = field(default_factory=dict)  # a tool's config: applies to the files under it
    uses: list[Use] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    spelling: dict[str, Counter[str]] = field(default_factory=dict)  # folded -> raw spellings used

    def declared_for(self, doc: Document) -> Declared | None:
        return self.documents.get(doc.path) or self.folders.get(doc.path) or self.project

    def usual(self, folded: str) -> str:
        """The most used spelling of a value."""
        spellings = self.spelling.get(folded)
        return spellings.most_common(1)[0][0] if spellings else folded


@dataclass(slots=True)
class ProjectVocabulary:
    fields: dict[str, FieldVocabulary]
    probed: list[str] = field(default_factory=list)  # tool config files looked for


def learn(ws: Workspace, config: Config, probe: list[str] | None = None) -> ProjectVocabulary:
    """What the project's files and config say about the values of its fields."""
    vocab = ProjectVocabulary({name: FieldVocabulary(name) for name in CHECKED_FIELDS})
    if config.origins.get("status-values", "default") != "default":
        vocab.fields["status"].project = Declared({fold_value(v): v for v in config.status_values},
                                                  "in the `status-values` setting", kind="setting",
                                                  origin=config.origins.get("status-values"))
    else:
        vocab.fields["status"].folders = _tool_statuses(ws, config, vocab.probed)
    for doc in ws.documents:
        for d in doc.declarations:
            fv = vocab.fields.get(d.field)
            if fv is None or doc.path in fv.documents:
                continue
            where = "in the legend on line" if d.form == "legend" else "on line"
            fv.documents[doc.path] = Declared({fold_value(v): v for v in d.values},
                                              f"{where} {d.span.line}", doc.path, d.span,
                                              kind="legend" if d.form == "legend" else "declaration", origin=doc.path)
        for item in doc.items:
            for f in item.fields:
                fv = vocab.fields.get(f.key)
                if fv is None or not f.value.strip():
                    continue
                folded = fold_value(f.value)
                if not folded:
                    continue
                fv.uses.append(Use(doc, item, f, folded))
                fv.counts[folded] += 1
                fv.spelling.setdefault(folded, Counter())[f.value.strip()] += 1
    if probe is not None:
        probe.extend(vocab.probed)
    return vocab


def _tool_statuses(ws: Workspace, config: Config, probed: list[str]) -> dict[str, Declared]:
    """Document path -> the `statuses:` of the Backlog.md config of the folder it sits in (the nearest folder
    above it, inside the project, holding a `config.yml` with `statuses`)."""
    root = Path(config.root).resolve()
    # folders as strings (Path comparisons cost, for every folder of every file): lexically, as Path does
    top = os.fspath(root)
    below = top if top.endswith(os.sep) else top + os.sep  # a folder strictly under the root starts so
    by_folder: dict[str, Declared | None] = {}
    out: dict[str, Declared] = {}
    for doc in ws.documents:
        where = ws.locations.get(doc.path)
        if not where:
            continue
        folder = os.path.dirname(os.fspath(where)) or "."  # as Path(where).parent, without a Path
        while True:
            if folder not in by_folder:
                by_folder[folder] = _folder_statuses(folder, root, probed)
            found = by_folder[folder]
            if found is not None:
                out[doc.path] = found
                break
            parent = os.path.dirname(folder)
            if folder == top or parent == folder or not folder.startswith(below):
                break
            folder = parent
    return out


def _folder_statuses(folder: str, root: Path, probed: list[str]) -> Declared | None:
    for name in TOOL_CONFIGS:
        where = os.path.join(folder, name)
        probed.append(where)
        if not os.path.isfile(where):
            continue
        path = Path(where)
        statuses = _yaml_list(path, "statuses")
        if statuses:
            shown = path.relative_to(root).as_posix() if root in path.parents else name
            values = {fold_value(s): s for s in statuses}
            return Declared(values, f"in {shown}", kind="tool-config", origin=shown)
    return None


def _yaml_list(path: Path, key: str) -> list[str]:
    try:
        import yaml

        with path.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except (OSError, UnicodeDecodeError, ValueError, ImportError, Exception):
        return []
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, list):
        return []
    return [str(v) for v in value if isinstance(v, str | int) and str(v).strip()]


def project_vocabulary(ctx: Context) -> ProjectVocabulary:
    """The vocabulary for this run, learnt on first use and shared by every rule."""
    cached = ctx.cache.get(CACHE_KEY)
    if isinstance(cached, ProjectVocabulary):
        return cached
    probed: list[str] = []
    learnt = learn(ctx.workspace, ctx.config, probed)
    from backlog_lint import fsprobe

    for path in probed:
        fsprobe.record(ctx.cache, path)
    ctx.cache[CACHE_KEY] = learnt
    return learnt


# ---------------------------------------------------------------------------- slips


def slip_of(fv: FieldVocabulary, folded: str) -> str | None:
    """The common value this rare one is a slip of (one or two edits away), or None.

    Only a value used at most twice, against one used at least three times and three times as often;
    and never when both are words the project uses for different things (`todo` / `done`).
    """
    from rapidfuzz.distance import DamerauLevenshtein

    mine = fv.counts[folded]
    if mine > 2 or len(folded) < 3 or any(c.isdigit() for c in folded):
        return None  # "2-3 weeks" and "6-8 weeks" differ in their numbers, not by a slip
    best = None
    for other, count in fv.counts.most_common():
        if count < 3 or count < 3 * mine:
            break
        if other == folded or len(other) < 3 or any(c.isdigit() for c in other):
            continue
        if other.startswith(folded) or folded.startswith(other):
            continue  # "pass" / "passed", "complete" / "completed": another form of the word, not a slip
        limit = 1 if max(len(folded), len(other)) <= 5 else 2
        if DamerauLevenshtein.distance(folded, other, score_cutoff=limit) <= limit:
            if best is not None:
                return None  # two candidates: not clearly a slip of either
            best = other
    return best
