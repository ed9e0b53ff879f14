#!/usr/bin/env python3
"""The ecosystem check: backlog-lint over every real project of the shared corpus.

Each top-level entry of ``shared/corpus/{seeds,public,ecosystem}`` is its own project. It is
copied into a temporary folder (nothing of it enters this repository) and checked the way a
user would: ``backlog-lint check`` with no config, every Markdown file of the entry passed.
All findings go into one stable, sorted snapshot (``tests/ecosystem/snapshot.jsonl``).

    python3 benchmarks/ecosystem.py              # run, compare with the snapshot, print the diff
    python3 benchmarks/ecosystem.py --update     # run and rewrite the snapshot and docs/quality.md
    python3 benchmarks/ecosystem.py --format     # also format a copy of every entry twice
    python3 benchmarks/ecosystem.py --entry NAME # only entries whose name contains NAME (no writes)
    python3 benchmarks/ecosystem.py --missed     # also list the ground-truth groups nothing found

See benchmarks/README.md. The review verdicts (``tests/ecosystem/verdicts.tsv``) and the labelled
ground truth (``tests/ecosystem/expected.tsv``) turn the snapshot into precision and recall.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
DATA = REPO / "tests" / "ecosystem"
SNAPSHOT = DATA / "snapshot.jsonl"
PREVIEW = DATA / "preview.jsonl"
VERDICTS = DATA / "verdicts.tsv"
EXPECTED = DATA / "expected.tsv"
CLEAN = DATA / "clean.tsv"
QUALITY = REPO / "docs" / "quality.md"
SETS = ("seeds", "public", "ecosystem")
MARKDOWN_SUFFIXES = (".md", ".markdown")
VERDICT_KINDS = ("TP", "FP", "NOISE", "ARTIFACT")

if str(REPO) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(REPO))


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    entry: str  # "<set>/<entry name>"
    path: str  # the file, relative to the entry's project folder
    line: int
    col: int
    code: str
    message: str
    related: tuple[str, ...] = ()  # other files a cross-file finding names

    @property
    def key(self) -> str:
        """The review key: stable while the corpus and the finding's place stay the same."""
        return f"{self.entry}:{self.path}:{self.line}:{self.col}:{self.code}"

    def to_json(self) -> str:
        d = {"entry": self.entry, "path": self.path, "line": self.line, "col": self.col, "code": self.code,
             "message": self.message}
        if self.related:
            d["related"] = list(self.related)
        return json.dumps(d, ensure_ascii=False, sort_keys=False)

    @classmethod
    def from_json(cls, line: str) -> Finding:
        d = json.loads(line)
        return cls(d["entry"], d["path"], d["line"], d["col"], d["code"], d["message"], tuple(d.get("related", ())))


# ---------------------------------------------------------------- entries


def entries(corpus: Path, only: str | None = None) -> list[tuple[str, Path]]:
    """(name, source path) of every entry: each top-level file or folder of each set."""
    out = []
    for s in SETS:
        root = corpus / s
        if not root.is_dir():
            continue
        for p in sorted(root.iterdir()):
            if p.name == "MANIFEST.tsv" or p.name.startswith("."):
                continue
            if p.is_file() and not p.name.lower().endswith(MARKDOWN_SUFFIXES):
                continue
            name = f"{s}/{p.name}"
            if only and only not in name:
                continue
            out.append((name, p))
    return out


def materialise(src: Path, dest: Path) -> Path:
    """Copy an entry into ``dest`` (a fresh project folder); returns the project folder."""
    dest.mkdir(parents=True)
    if src.is_dir():
        shutil.copytree(src, dest, dirs_exist_ok=True, symlinks=True)
    else:
        shutil.copy2(src, dest / src.name)
    return dest


def markdown_files(project: Path) -> list[str]:
    """Every Markdown file of the project, relative, sorted."""
    out = []
    for dirpath, dirnames, filenames in os.walk(project):
        dirnames[:] = sorted(d for d in dirnames if d != ".backlog-lint-cache")
        for f in filenames:
            if f.lower().endswith(MARKDOWN_SUFFIXES):
                out.append(os.path.relpath(os.path.join(dirpath, f), project).replace(os.sep, "/"))
    return sorted(out)


# ---------------------------------------------------------------- running


def _cli(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """Run the backlog-lint command in this process, in ``cwd``; (status, stdout, stderr)."""
    from backlog_lint.cli import main

    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                status = main.main(args=args, prog_name="backlog-lint", standalone_mode=False)
            except SystemExit as exc:  # click's exit on usage errors
                status = exc.code if isinstance(exc.code, int) else 1
    finally:
        os.chdir(old)
    return int(status or 0), out.getvalue(), err.getvalue()


def check_entry(job: tuple[str, str, str, tuple[str, ...]]) -> tuple[str, list[Finding], int, str]:
    """Check one entry in a fresh copy; (name, findings, files checked, error text or '')."""
    name, src, work, extra = job
    project = materialise(Path(src), Path(work) / name)
    files = markdown_files(project)
    if not files:
        return name, [], 0, "no Markdown file"
    status, out, err = _cli(["check", "--no-cache", "--jobs", "1", "--output-format", "json", "--exit-zero",
                             "--preview", *extra, *files], project)
    if status != 0:
        return name, [], len(files), f"exit {status}: {err.strip()[:500]}"
    found = [Finding(name, d["path"], d["start"]["line"], d["start"]["column"], d["code"], d["message"],
                     tuple(sorted({r["path"] for r in d.get("related", ()) if r["path"] != d["path"]})))
             for d in json.loads(out or "[]")]
    return name, sorted(found), len(files), ""


@dataclass(slots=True)
class RunResult:
    findings: list[Finding]  # of the rules on by default
    files: dict[str, int]  # entry -> Markdown files checked
    errors: dict[str, str]  # entry -> what went wrong
    preview: list[Finding] = field(default_factory=list)  # of the preview rules


def run_check(corpus: Path, *, only: str | None = None, jobs: int = 0, extra: tuple[str, ...] = ()) -> RunResult:
    """Check every entry (in worker processes); the work is asserted, never assumed."""
    todo = entries(corpus, only)
    if not todo:
        raise SystemExit(f"no corpus entries under {corpus}" + (f" matching {only!r}" if only else ""))
    with tempfile.TemporaryDirectory(prefix="backlog-lint-ecosystem-") as work:
        jobs_list = [(name, str(src), work, extra) for name, src in todo]
        workers = jobs or os.cpu_count() or 1
        if workers == 1:
            results = list(map(check_entry, jobs_list))
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                results = list(pool.map(check_entry, jobs_list, chunksize=1))
    from backlog_lint.rules import BY_CODE

    findings: list[Finding] = []
    preview: list[Finding] = []
    files: dict[str, int] = {}
    errors: dict[str, str] = {}
    for name, found, n, err in results:
        for f in found:
            rule = BY_CODE.get(f.code)
            (preview if rule is not None and rule.preview else findings).append(f)
        files[name] = n
        if err:
            errors[name] = err
    return RunResult(sorted(findings), files, errors, sorted(preview))


# ---------------------------------------------------------------- formatting


def format_entry(job: tuple[str, str, str]) -> tuple[str, int, list[str], list[str], str]:
    """Format a copy of one entry twice; (name, files, refused, changed on the second run, error)."""
    name, src, work = job
    project = materialise(Path(src), Path(work) / name)
    files = markdown_files(project)
    if not files:
        return name, 0, [], [], ""
    files = [f for f in files if _decodes(project / f)]  # not UTF-8: check reports BL001, format leaves it
    if not files:
        return name, 0, [], [], ""
    status, _out, err = _cli(["format", "--no-cache", "--jobs", "1", *files], project)
    refused = sorted({f for f in files if f"{f}:" in err or f"{f} " in err}) if status != 0 else []
    if status not in (0, 1, 3):
        return name, len(files), refused, [], f"format exit {status}: {err.strip()[:500]}"
    status2, out2, err2 = _cli(["format", "--check", "--no-cache", "--jobs", "1", *files], project)
    again = sorted(f for f in files if f in out2 or f in err2) if status2 != 0 else []
    again = [f for f in again if f not in refused]
    return name, len(files), refused, again, (err.strip()[:2000] if refused else "")


def _decodes(path: Path) -> bool:
    from backlog_lint.source import DecodeError, decode

    try:
        decode(path.read_bytes())
    except DecodeError:
        return False
    return True


def run_format(corpus: Path, *, only: str | None = None, jobs: int = 0) -> tuple[int, dict, dict, dict]:
    todo = entries(corpus, only)
    with tempfile.TemporaryDirectory(prefix="backlog-lint-ecosystem-format-") as work:
        jobs_list = [(name, str(src), work) for name, src in todo]
        with ProcessPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
            results = list(pool.map(format_entry, jobs_list, chunksize=1))
    total = 0
    refused: dict[str, list[str]] = {}
    unstable: dict[str, list[str]] = {}
    why: dict[str, str] = {}
    for name, n, ref, again, err in results:
        total += n
        if ref:
            refused[name] = ref
            why[name] = err
        if again:
            unstable[name] = again
    return total, refused, unstable, why


# ---------------------------------------------------------------- snapshot and diff


def read_snapshot(path: Path = SNAPSHOT) -> list[Finding]:
    if not path.is_file():
        return []
    return [Finding.from_json(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_snapshot(findings: Iterable[Finding], path: Path = SNAPSHOT) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f.to_json() + "\n" for f in sorted(findings)), encoding="utf-8")


def diff(old: list[Finding], new: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """(added, removed), each sorted."""
    a, b = Counter(old), Counter(new)
    added = sorted((b - a).elements())
    removed = sorted((a - b).elements())
    return added, removed


def render_diff(added: list[Finding], removed: list[Finding], limit: int = 20) -> str:
    """Changes grouped by rule, then entry, like ruff's ecosystem report."""
    if not added and not removed:
        return "No change against the snapshot.\n"
    by_rule: dict[str, dict[str, list[tuple[str, Finding]]]] = defaultdict(lambda: defaultdict(list))
    for sign, group in (("+", added), ("-", removed)):
        for f in group:
            by_rule[f.code][f.entry].append((sign, f))
    lines = [f"{len(added)} added, {len(removed)} removed, in {len(by_rule)} rules\n"]
    for code in sorted(by_rule):
        per_entry = by_rule[code]
        n_add = sum(1 for rows in per_entry.values() for s, _ in rows if s == "+")
        n_rem = sum(1 for rows in per_entry.values() for s, _ in rows if s == "-")
        lines.append(f"\n## {code}: +{n_add} -{n_rem} in {len(per_entry)} entries")
        for entry in sorted(per_entry):
            rows = sorted(per_entry[entry], key=lambda r: (r[1].path, r[1].line, r[1].col, r[0]))
            lines.append(f"  {entry}")
            for sign, f in rows[:limit]:
                lines.append(f"    {sign} {f.path}:{f.line}:{f.col}: {f.message}")
            if len(rows) > limit:
                lines.append(f"    ... and {len(rows) - limit} more")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- verdicts


@dataclass(frozen=True, slots=True)
class Verdict:
    key: str
    verdict: str
    why: str


def read_verdicts(path: Path = VERDICTS) -> dict[str, Verdict]:
    out: dict[str, Verdict] = {}
    if not path.is_file():
        return out
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 3 or parts[1] not in VERDICT_KINDS:
            raise SystemExit(f"{path}:{n}: expected 'key<TAB>{'|'.join(VERDICT_KINDS)}<TAB>why', got {line!r}")
        out[parts[0]] = Verdict(parts[0], parts[1], parts[2])
    return out


def rule_table(findings: list[Finding], verdicts: dict[str, Verdict]) -> list[dict]:
    """Per rule: tier, findings, entries hit, reviewed, TP, FP, NOISE, ARTIFACT, precision."""
    from backlog_lint.rules import BY_CODE

    by_code: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_code[f.code].append(f)
    rows = []
    for code in sorted(set(BY_CODE) | set(by_code)):
        group = by_code.get(code, [])
        counts = Counter(verdicts[f.key].verdict for f in group if f.key in verdicts)
        judged = counts["TP"] + counts["FP"] + counts["NOISE"]
        rule = BY_CODE.get(code)
        rows.append({
            "code": code,
            "name": rule.name if rule else "?",
            "default": bool(rule and rule.default),
            "findings": len(group),
            "entries": len({f.entry for f in group}),
            "reviewed": sum(counts.values()),
            **{k: counts[k] for k in VERDICT_KINDS},
            "precision": (counts["TP"] / judged) if judged else None,
        })
    return rows


PRECISION_BAR = 0.9
MIN_REVIEWED = 10


def precision_failures(rows: list[dict]) -> list[str]:
    """Default rules below the bar: precision < 90 % over at least 10 reviewed findings (all, if fewer),
    or findings not reviewed enough to tell."""
    out = []
    for r in rows:
        if not r["default"] or not r["findings"]:
            continue
        judged = r["TP"] + r["FP"] + r["NOISE"]
        needed = min(MIN_REVIEWED, r["findings"] - r["ARTIFACT"])
        if judged < needed:
            out.append(f"{r['code']}: {judged} of its findings judged, {needed} needed")
        elif r["precision"] is not None and r["precision"] < PRECISION_BAR:
            out.append(f"{r['code']}: precision {r['precision']:.0%} ({r['TP']} TP / {judged} judged)")
    return out


# ---------------------------------------------------------------- ground truth and recall

# Which rules find each class of the ground truth (tests/ecosystem/expected.tsv).
CLASS_RULES: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in {
    "encoding": ("BL001", "BL002", "BL008"),
    "merge-conflict": ("BL004",),
    "front-matter": ("BL003",),
    "table-shape": ("BL101", "BL107"),
    "table-not-rendered": ("BL108",),
    "heading-no-space": ("BL109",),
    "checklist-not-rendered": ("BL110",),
    "code-fence": ("BL106", "BL113"),
    "stray-metadata": ("BL111",),
    "broken-markup": ("BL102", "BL106", "BL108", "BL109", "BL110", "BL111", "BL113", "BL114", "BL115", "BL116",
                      "BL117", "BL118", "BL119", "BL120", "BL121", "BL122", "BL123", "BL124", "BL125", "BL126",
                      "BL127"),
    "empty-item": ("BL104", "BL112"),
    "numbering": ("BL105", "BL312", "BL313"),
    "missing-field": ("BL201", "BL208"),
    "sibling-drift": ("BL208", "BL210"),
    # BL503 also reports a priority level written with another level's colour marker (🟡 P1 beside 🔴 P1)
    "invalid-value": ("BL202", "BL207", "BL209", "BL211", "BL503"),
    "duplicate-field": ("BL205",),
    "invalid-date": ("BL206",),
    "field-spelling": ("BL204",),
    "duplicate-id": ("BL301",),
    "duplicate-item": ("BL301", "BL302", "BL303", "BL314"),  # an item listed twice with its ID is a duplicate ID too
    "dangling-reference": ("BL304",),
    "broken-link": ("BL305",),
    "dependency-cycle": ("BL306",),
    # BL406 also reports a progress table's row whose count its item's checklist contradicts (`| 12. Core | 5/5 |`
    # over five open plans), which the labels file as index-mismatch as often as progress-claim
    "index-mismatch": ("BL308", "BL311", "BL316", "BL406"),
    "id-format": ("BL309", "BL315"),
    "done-with-open-tasks": ("BL401",),
    "all-tasks-done-item-open": ("BL402",),
    "checklist-parent-mismatch": ("BL403",),
    "done-depends-on-open": ("BL404",),
    "status-conflict": ("BL405",),
    "progress-claim": ("BL406",),
    "undefined-label": ("BL501",),
    "mixed-scale": ("BL503",),
}.items()}
UNMAPPED = "other"  # real defects no rule is meant to find (contradictions in prose, stale versions ...)


@dataclass(frozen=True, slots=True)
class Expected:
    entry: str
    path: str
    line: int
    cls: str
    certainty: str  # certain | likely
    text: str
    why: str


def read_expected(path: Path = EXPECTED) -> list[Expected]:
    out = []
    if not path.is_file():
        return out
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        p = line.split("\t")
        if len(p) != 7 or p[4] not in ("certain", "likely") or (p[3] not in CLASS_RULES and p[3] != UNMAPPED):
            raise SystemExit(f"{path}:{n}: expected entry, path, line, class, certain|likely, text, why: {line!r}")
        out.append(Expected(p[0], p[1], int(p[2]), p[3], p[4], p[5], p[6]))
    return out


def recall(findings: list[Finding], expected: list[Expected]) -> dict[str, dict[str, tuple[int, int]]]:
    """Found / all (file, class) groups of the ground truth, per certainty and per class.

    A group is found when a finding of one of the class's rules is in that file (or names it, for a
    finding that involves two files). Groups of the
    `other` class are left out (no rule is meant to find them).
    """
    codes_in: dict[tuple[str, str], set[str]] = defaultdict(set)
    for f in findings:
        for path in (f.path, *f.related):  # a cross-file finding shows in both files
            codes_in[(f.entry, path)].add(f.code)
    groups: dict[tuple[str, str, str], str] = {}
    for e in expected:
        if e.cls == UNMAPPED:
            continue
        key = (e.entry, e.path, e.cls)
        if groups.get(key) != "certain":  # a group is certain when any of its rows is
            groups[key] = e.certainty
    out: dict[str, dict[str, list[int]]] = {"certainty": defaultdict(lambda: [0, 0]),
                                            "class": defaultdict(lambda: [0, 0])}
    for (entry, path, cls), certainty in groups.items():
        hit = bool(codes_in.get((entry, path), set()) & CLASS_RULES[cls])
        for table, k in (("certainty", certainty), ("class", cls)):
            out[table][k][0] += hit
            out[table][k][1] += 1
    return {t: {k: (v[0], v[1]) for k, v in rows.items()} for t, rows in out.items()}


def missed(findings: list[Finding], expected: list[Expected]) -> list[tuple[str, str, str, str, list[Expected]]]:
    """The ground-truth groups no finding of their class's rules covers: (certainty, class, entry, path, rows),
    sorted by certainty (certain first), class, entry and path. The same matching as `recall`."""
    codes_in: dict[tuple[str, str], set[str]] = defaultdict(set)
    for f in findings:
        for path in (f.path, *f.related):
            codes_in[(f.entry, path)].add(f.code)
    rows: dict[tuple[str, str, str], list[Expected]] = defaultdict(list)
    for e in expected:
        if e.cls != UNMAPPED:
            rows[(e.entry, e.path, e.cls)].append(e)
    out = []
    for (entry, path, cls), group in rows.items():
        if codes_in.get((entry, path), set()) & CLASS_RULES[cls]:
            continue
        certainty = "certain" if any(e.certainty == "certain" for e in group) else "likely"
        out.append((certainty, cls, entry, path, sorted(group, key=lambda e: e.line)))
    return sorted(out, key=lambda m: (m[0] != "certain", m[1], m[2], m[3]))


def render_missed(groups: list[tuple[str, str, str, str, list[Expected]]]) -> str:
    """The unfound groups, one block per group: its class, file and labelled lines."""
    lines = [f"{len(groups)} ground-truth groups not found"]
    for certainty, cls, entry, path, rows in groups:
        lines.append(f"\n[{certainty}] {cls}  {entry}  {path}")
        for e in rows:
            lines.append(f"    {e.line}: {e.text[:100]}  -- {e.why[:160]}")
    return "\n".join(lines) + "\n"


RECALL_BAR = {"certain": 0.9, "likely": 0.7}


def recall_failures(found: dict[str, dict[str, tuple[int, int]]]) -> list[str]:
    out = []
    for certainty, bar in RECALL_BAR.items():
        hit, total = found["certainty"].get(certainty, (0, 0))
        if total and hit / total < bar:
            out.append(f"recall of {certainty} groups {hit}/{total} = {hit / total:.0%} (bar {bar:.0%})")
    return out


def recall_report(result: RunResult, expected: list[Expected] | None = None) -> str:
    expected = read_expected() if expected is None else expected
    if not expected:
        return ""
    found = recall(result.findings, expected)
    lines = ["## Recall against the ground truth", "",
             "`tests/ecosystem/expected.tsv` lists defects a maintainer would agree on, labelled by reading every",
             "file before looking at the tool's output. A (file, class) group counts as found when one of the",
             "class's rules reports something in that file; `other` defects (contradictions in prose, stale",
             f"version numbers) have no rule and are left out ({sum(1 for e in expected if e.cls == UNMAPPED)} rows).",
             "", "| groups | found | all | recall |", "|---|--:|--:|--:|"]
    for certainty in ("certain", "likely"):
        hit, total = found["certainty"].get(certainty, (0, 0))
        lines.append(f"| {certainty} | {hit} | {total} | {_pct(hit / total if total else None)} |")
    lines += ["", "| class | rules | found | all | recall |", "|---|---|--:|--:|--:|"]
    for cls, (hit, total) in sorted(found["class"].items(), key=lambda kv: (-kv[1][1], kv[0])):
        rules = ", ".join(sorted(CLASS_RULES[cls]))
        lines.append(f"| {cls} | {rules} | {hit} | {total} | {_pct(hit / total if total else None)} |")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- the quality report


def entry_totals(findings: list[Finding], files: dict[str, int]) -> dict:
    per_entry = Counter(f.entry for f in findings)
    counts = sorted(per_entry.get(e, 0) for e in files)
    n = len(counts)
    median = (counts[n // 2] if n % 2 else (counts[n // 2 - 1] + counts[n // 2]) / 2) if n else 0
    return {
        "entries": n,
        "files": sum(files.values()),
        "findings": len(findings),
        "median": median,
        "max": counts[-1] if counts else 0,
        "max_entry": per_entry.most_common(1)[0][0] if per_entry else "",
        "share_hit": (sum(1 for c in counts if c) / n) if n else 0.0,
    }


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.0f} %"


def _precision(rows: list[dict]) -> float | None:
    tp = sum(r["TP"] for r in rows)
    judged = tp + sum(r["FP"] + r["NOISE"] for r in rows)
    return tp / judged if judged else None


def render_quality(result: RunResult, verdicts: dict[str, Verdict], recall_text: str = "") -> str:
    default_rows = [r for r in rule_table(result.findings, verdicts) if r["default"]]
    preview_rows = [r for r in rule_table(result.preview, verdicts) if not r["default"]]
    totals = entry_totals(result.findings, result.files)
    reviewed = sum(r["reviewed"] for r in default_rows)
    out = [
        "# Quality on real backlogs",
        "",
        "Written by `python3 benchmarks/ecosystem.py --update` (see benchmarks/README.md); a test keeps it",
        "current. The corpus is `shared/corpus/{seeds,public,ecosystem}`: every top-level entry is its own",
        "project, checked with no configuration and every Markdown file passed. Findings are reviewed by",
        "reading the source lines (`tests/ecosystem/verdicts.tsv`): **TP** a real defect, **FP** wrong,",
        "**NOISE** true but not worth a maintainer's time, **ARTIFACT** an effect of the entry holding only",
        "part of its repository (a link to a file outside it). Precision = TP / (TP + FP + NOISE).",
        "",
        "## Totals (rules on by default)",
        "",
        "| measure | value |",
        "|---|---|",
        f"| projects checked | {totals['entries']} |",
        f"| Markdown files checked | {totals['files']} |",
        f"| findings | {totals['findings']} |",
        f"| findings per project, median | {totals['median']} |",
        f"| findings per project, max | {totals['max']} (`{totals['max_entry']}`) |",
        f"| share of projects with a finding | {_pct(totals['share_hit'])} |",
        f"| findings reviewed | {reviewed} |",
        f"| precision of the reviewed findings | {_pct(_precision(default_rows))} |",
        "",
        "## Per rule, default tier",
        "",
        f"Every default rule must reach {PRECISION_BAR:.0%} precision over at least {MIN_REVIEWED} reviewed findings",
        "(all of them when it has fewer); a test checks it.",
        "",
        "| rule | name | findings | entries | reviewed | TP | FP | NOISE | ARTIFACT | precision |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in default_rows:
        out.append(f"| {r['code']} | {r['name']} | {r['findings']} | {r['entries']} | {r['reviewed']} | {r['TP']} | "
                   f"{r['FP']} | {r['NOISE']} | {r['ARTIFACT']} | {_pct(r['precision'])} |")
    out += ["", "## Per rule, preview tier", "",
            "Off by default (`--preview` turns them on); what they would report is in",
            "`tests/ecosystem/preview.jsonl`. A rule leaves the preview tier when its reviewed precision reaches",
            "the bar.",
            "", "| rule | name | findings | entries | reviewed | TP | FP | NOISE | ARTIFACT | precision |",
            "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for r in preview_rows:
        out.append(f"| {r['code']} | {r['name']} | {r['findings']} | {r['entries']} | {r['reviewed']} | {r['TP']} | "
                   f"{r['FP']} | {r['NOISE']} | {r['ARTIFACT']} | {_pct(r['precision'])} |")
    if recall_text:
        out += ["", recall_text.rstrip()]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--update", action="store_true", help="rewrite the snapshots and docs/quality.md")
    ap.add_argument("--format", action="store_true", help="also format a copy of every entry twice")
    ap.add_argument("--entry", help="only entries whose name contains this (writes nothing)")
    ap.add_argument("--jobs", type=int, default=0)
    ap.add_argument("--limit", type=int, default=20, help="findings shown per rule and entry in the diff")
    ap.add_argument("--unreviewed", action="store_true", help="list the default findings without a verdict")
    ap.add_argument("--missed", action="store_true",
                    help="list the ground-truth groups (expected.tsv) no finding of their class's rules covers")
    args = ap.parse_args(argv)

    result = run_check(args.corpus, only=args.entry, jobs=args.jobs)
    n_files = sum(result.files.values())
    print(f"checked {len(result.files)} projects, {n_files} Markdown files: {len(result.findings)} findings "
          f"(+{len(result.preview)} from preview rules)", file=sys.stderr)
    status = 0
    if result.errors:
        for name, err in sorted(result.errors.items()):
            print(f"error: {name}: {err}", file=sys.stderr)
        status = 2
    if n_files == 0:
        print("error: no file was checked", file=sys.stderr)
        return 2
    old, old_preview = read_snapshot(SNAPSHOT), read_snapshot(PREVIEW)
    if args.entry:
        old = [f for f in old if args.entry in f.entry]
        old_preview = [f for f in old_preview if args.entry in f.entry]
    added, removed = diff(old, result.findings)
    sys.stdout.write(render_diff(added, removed, args.limit))
    p_added, p_removed = diff(old_preview, result.preview)
    if p_added or p_removed:
        sys.stdout.write(f"\nPreview rules: {len(p_added)} added, {len(p_removed)} removed\n")
    verdicts = read_verdicts()
    if args.unreviewed:
        for f in result.findings:
            if f.key not in verdicts:
                print(f"unreviewed {f.key}\t{f.message}")
    if args.missed:
        expected = read_expected()
        if args.entry:
            expected = [e for e in expected if args.entry in e.entry]
        sys.stdout.write(render_missed(missed(result.findings, expected)))
    if args.update and not args.entry:
        write_snapshot(result.findings, SNAPSHOT)
        write_snapshot(result.preview, PREVIEW)
        QUALITY.write_text(render_quality(result, verdicts, recall_report(result)), encoding="utf-8")
        print(f"wrote {SNAPSHOT.relative_to(REPO)}, {PREVIEW.relative_to(REPO)} and {QUALITY.relative_to(REPO)}",
              file=sys.stderr)
    elif added or removed or p_added or p_removed:
        status = status or 1
    if not args.entry:
        rows = rule_table(result.findings, verdicts)
        for problem in precision_failures(rows) + recall_failures(recall(result.findings, read_expected())):
            print(f"below the bar: {problem}", file=sys.stderr)
    if args.format:
        total, refused, unstable, why = run_format(args.corpus, only=args.entry, jobs=args.jobs)
        print(f"\nformatted {total} files twice: {sum(map(len, refused.values()))} refused, "
              f"{sum(map(len, unstable.values()))} changed again")
        for name, files in sorted(refused.items()):
            print(f"  refused {name}: {', '.join(files)}\n    {why[name][:600]}")
        for name, files in sorted(unstable.items()):
            print(f"  unstable {name}: {', '.join(files)}")
        if refused or unstable:
            status = status or 1
    return status


if __name__ == "__main__":
    sys.exit(main())
