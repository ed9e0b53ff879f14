"""What backlog-lint learns from a project, and where from: one computation, two renderings.

`backlog-lint config --show-inferred` prints it as a report (text or JSON); `backlog-lint init`
writes it into the new config as commented settings (init.py). The values of statuses,
priorities and estimates come from workspace/vocabulary.py (the same learning the rules use),
label sets from the documents' legends (workspace/legends.py), ID families from the items' IDs
(ids.py). Nothing here prints.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from backlog_lint.ids import family_of, normalise_id
from backlog_lint.workspace.legends import fold_label, parse_legend
from backlog_lint.workspace.vocabulary import Declared, FieldVocabulary, learn, slip_of

if TYPE_CHECKING:
    from backlog_lint.config import Config
    from backlog_lint.model import Document, Workspace

# field -> how people call its values
FIELD_NAMES = {"status": "statuses", "priority": "priorities", "effort": "estimates"}
# the setting that pins a field's values, where there is one
FIELD_SETTINGS = {"status": "status-values"}


@dataclass(frozen=True, slots=True)
class Source:
    """One place the allowed values of a field were read from."""

    kind: str  # setting | tool-config | declaration | legend
    where: str  # "the `status-values` setting (.backlog-lint.toml)", "backlog/config.yml", "BACKLOG.md:5"
    values: tuple[str, ...]  # as written
    path: str | None = None  # the file (for declarations and legends: the only file it applies to)
    line: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "where": self.where, "path": self.path, "line": self.line,
                "values": list(self.values)}


@dataclass(frozen=True, slots=True)
class Slip:
    """A rare spelling that the rules read as a slip of a common one (`Doen` beside 40 `Done`)."""

    value: str
    count: int
    usual: str
    usual_count: int


@dataclass(frozen=True, slots=True)
class FieldInference:
    """A field's values: the declared sets, the values used (usual spelling, count) and the slips."""

    field: str  # status | priority | effort
    declared: tuple[Source, ...]
    used: tuple[tuple[str, int], ...]
    slips: tuple[Slip, ...]

    @property
    def name(self) -> str:
        return FIELD_NAMES.get(self.field, self.field)

    @property
    def setting(self) -> str | None:
        return FIELD_SETTINGS.get(self.field)

    @property
    def project_source(self) -> Source | None:
        """The declared set that applies to every file (the setting or the tool's config), if any."""
        return next((s for s in self.declared if s.kind in ("setting", "tool-config")), None)

    def suggested(self) -> tuple[str, ...]:
        """The values to pin: the project-wide set when there is one, else every value declared in a
        file or used, slips left out."""
        project = self.project_source
        if project is not None:
            return project.values
        slips = {s.value for s in self.slips}
        out: dict[str, str] = {}
        for src in self.declared:
            for v in src.values:
                out.setdefault(v.casefold(), v)
        for v, _ in self.used:
            if v not in slips:
                out.setdefault(v.casefold(), v)
        return tuple(out.values())

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "setting": self.setting, "declared": [s.as_dict() for s in self.declared],
                "used": [{"value": v, "count": n} for v, n in self.used],
                "slips": [{"value": s.value, "count": s.count, "usual": s.usual, "usual-count": s.usual_count}
                          for s in self.slips],
                "suggested": list(self.suggested())}


@dataclass(frozen=True, slots=True)
class LabelInference:
    """Label sets: the legends that define labels (each for its own file) and the labels items use."""

    legends: tuple[Source, ...]
    configured: tuple[str, ...]  # the `labels` setting
    used: tuple[tuple[str, int], ...]

    def suggested(self) -> tuple[str, ...]:
        out: dict[str, str] = {}
        for v in self.configured:
            out.setdefault(fold_label(v), v)
        for src in self.legends:
            for v in src.values:
                out.setdefault(fold_label(v), v)
        for v, _ in self.used:
            out.setdefault(fold_label(v), v)
        return tuple(out.values())

    def as_dict(self) -> dict[str, Any]:
        return {"legends": [s.as_dict() for s in self.legends], "setting": list(self.configured),
                "used": [{"value": v, "count": n} for v, n in self.used], "suggested": list(self.suggested())}


@dataclass(frozen=True, slots=True)
class IdFamily:
    """An ID family (`TODO` of `TODO-052`): how many items carry it, where, and one as written."""

    family: str
    count: int
    example: str
    files: tuple[str, ...]
    configured: bool = False  # listed in the `id-families` setting

    def as_dict(self) -> dict[str, Any]:
        return {"family": self.family, "items": self.count, "example": self.example, "files": list(self.files),
                "setting": self.configured}


@dataclass(frozen=True, slots=True)
class Inferred:
    """Everything learnt from a project's backlog files and config."""

    files: tuple[str, ...]
    fields: tuple[FieldInference, ...]
    labels: LabelInference
    families: tuple[IdFamily, ...]

    def field(self, name: str) -> FieldInference:
        return next(f for f in self.fields if f.field == name)

    def as_dict(self) -> dict[str, Any]:
        return {"files": list(self.files), "fields": {f.field: f.as_dict() for f in self.fields},
                "labels": self.labels.as_dict(), "id-families": [f.as_dict() for f in self.families]}


def infer(ws: Workspace, config: Config) -> Inferred:
    """What the project's files and config say about its vocabularies."""
    learnt = learn(ws, config)
    fields = tuple(_field(fv, config) for fv in learnt.fields.values())
    return Inferred(tuple(d.path for d in ws.documents), fields, _labels(ws, config), _families(ws, config))


def _field(fv: FieldVocabulary, config: Config) -> FieldInference:
    declared: list[Source] = []
    if fv.project is not None:
        declared.append(_source(fv.project, config))
    seen: set[int] = set()
    for path in sorted(fv.folders):  # one Backlog.md config covers many task files: list it once
        d = fv.folders[path]
        if id(d) not in seen:
            seen.add(id(d))
            declared.append(_source(d, config))
    for path in sorted(fv.documents):
        declared.append(_source(fv.documents[path], config))
    used = tuple((fv.usual(folded), n) for folded, n in fv.counts.most_common())
    slips = []
    for folded, n in fv.counts.items():
        usual = slip_of(fv, folded)
        if usual is not None:
            slips.append(Slip(fv.usual(folded), n, fv.usual(usual), fv.counts[usual]))
    return FieldInference(fv.name, tuple(declared), used, tuple(slips))


def _source(d: Declared, config: Config) -> Source:
    values = tuple(d.values.values())
    if d.kind == "setting":
        file = config.path.name if config.path is not None else d.origin
        return Source("setting", f"the `status-values` setting ({file})", values, d.origin)
    if d.kind == "tool-config":
        return Source("tool-config", d.origin or d.source, values, d.origin)
    line = d.span.line if d.span is not None else None
    return Source(d.kind, f"{d.doc}:{line}" if line else str(d.doc), values, d.doc, line)


def _labels(ws: Workspace, config: Config) -> LabelInference:
    legends: list[Source] = []
    for doc in ws.documents:
        found = parse_legend(doc)
        if not found:
            continue
        spans = list(found.values())
        first = min(s.line for s in spans)
        other = [(d.span.line, d.span.end_line) for d in doc.declarations if d.field != "labels"]
        if any(a <= s.line <= b for s in spans for a, b in other):
            continue  # a status or priority legend ("## Status legend"), not labels
        names = tuple(_written(doc, key, span) for key, span in found.items())
        legends.append(Source("legend", f"{doc.path}:{first}", names, doc.path, first))
    counts: Counter[str] = Counter()
    spelling: dict[str, Counter[str]] = {}
    for doc in ws.documents:
        for item in doc.items:
            for f in item.fields:
                if f.key != "labels":
                    continue
                for value in f.values:
                    key = fold_label(value)
                    if key:
                        counts[key] += 1
                        spelling.setdefault(key, Counter())[value.strip()] += 1
    used = tuple((spelling[k].most_common(1)[0][0], n) for k, n in counts.most_common())
    configured = tuple(config.labels) if config.origins.get("labels", "default") != "default" else ()
    return LabelInference(tuple(legends), configured, used)


def _written(doc: Document, key: str, span: Any) -> str:
    """A legend entry as written (`Core` rather than its folded `core`)."""
    line = doc.source.line(span.line) if span.line <= len(doc.source.lines) else ""
    text = line[span.col - 1:span.end_col - 1].strip().strip("`*_").strip()
    return text if text and fold_label(text) == key else key


def _families(ws: Workspace, config: Config) -> tuple[IdFamily, ...]:
    counts: Counter[str] = Counter()
    examples: dict[str, str] = {}
    files: dict[str, dict[str, None]] = {}
    for doc in ws.documents:
        for item in doc.items:
            if not item.id:
                continue
            fam = family_of(normalise_id(item.id))
            if not fam:
                continue
            counts[fam] += 1
            examples.setdefault(fam, item.id_raw or item.id)
            files.setdefault(fam, {})[doc.path] = None
    configured = {normalise_id(f).rstrip("-_#") for f in config.id_families}
    out = [IdFamily(fam, n, examples[fam], tuple(files[fam]), fam in configured) for fam, n in counts.most_common()]
    out.extend(IdFamily(fam, 0, "", (), True) for fam in sorted(configured - set(counts)))
    return tuple(out)


# ---------------------------------------------------------------------------- the report


def _values(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join(_quote(v) for v in values)


def _quote(value: str) -> str:
    """A value as a report shows it: quoted only when a comma or a space at its ends would blur it."""
    text = " ".join(value.split())
    return repr(text) if ("," in text or not text or text != value.strip()) else text


def _counted(pairs: tuple[tuple[str, int], ...], limit: int = 20) -> str:
    shown = ", ".join(f"{_quote(v)} ({n})" for v, n in pairs[:limit])
    more = len(pairs) - limit
    return shown + (f" and {more} more" if more > 0 else "")


def _scope(src: Source) -> str:
    if src.kind == "setting":
        return "every file"
    if src.kind == "tool-config":  # Backlog.md's config: the task files in and under its folder
        folder = src.path.rsplit("/", 1)[0] + "/" if src.path and "/" in src.path else "its folder"
        return f"the files under {folder}"
    return f"{src.path} only"


def report_lines(inferred: Inferred) -> list[str]:
    """The text report of `config --show-inferred` (also shown by `init`)."""
    out: list[str] = []
    for f in inferred.fields:
        out.append(f"{f.name.capitalize()}:")
        for src in f.declared:
            label = {"setting": "set in", "tool-config": "declared in", "legend": "legend at",
                     "declaration": "declared at"}[src.kind]
            out.append(f"  {label} {src.where}: {_values(src.values)}  (applies to {_scope(src)})")
        if f.used:
            out.append(f"  values used: {_counted(f.used)}")
        for s in f.slips:
            out.append(f"  slip: {_quote(s.value)} ({s.count}) reads as a slip for {_quote(s.usual)} "
                       f"({s.usual_count})")
        if not f.declared and not f.used:
            out.append("  nothing learnt (no item has this field)")
    out.append("Labels:")
    lab = inferred.labels
    if lab.configured:
        out.append(f"  set in the `labels` setting: {_values(lab.configured)}")
    for src in lab.legends:
        out.append(f"  legend at {src.where}: {_values(src.values)}  (applies to {_scope(src)})")
    if lab.used:
        out.append(f"  values used: {_counted(lab.used)}")
    if not (lab.configured or lab.legends or lab.used):
        out.append("  nothing learnt (no legend, no item has labels)")
    out.append("ID families:")
    for fam in inferred.families:
        if fam.count == 0:
            out.append(f"  {fam.family}: set in the `id-families` setting (no item here)")
            continue
        where = ", ".join(fam.files[:3]) + (f" and {len(fam.files) - 3} more files" if len(fam.files) > 3 else "")
        items = f"{fam.count} item{'s' if fam.count != 1 else ''}"
        setting = "; also in the `id-families` setting" if fam.configured else ""
        out.append(f"  {fam.family}: {items} (e.g. {fam.example}) in {where}{setting}")
    if not inferred.families:
        out.append("  nothing learnt (no item has an ID)")
    return out
