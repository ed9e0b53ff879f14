#!/usr/bin/env python3
"""Benchmarks for backlog-lint against other Markdown tools and against parse floors.

Usage (from anywhere; paths are derived from this file):

    python3 benchmarks/run.py                 # build corpora, install anchors, time, write docs/benchmarks.md
    python3 benchmarks/run.py --runs 3        # fewer repetitions
    python3 benchmarks/run.py --profile       # ... and a cProfile of `backlog-lint check` on the medium corpus
    python3 benchmarks/run.py --profile-only  # only the profile, spliced into the existing docs/benchmarks.md

See benchmarks/README.md. Standard library only; the anchors are installed into their own
venv and npm prefix under the work directory (default benchmarks/.work/, git-ignored).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as _dt
import hashlib
import json
import os
import platform
import random
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
DEFAULT_WORK = HERE / ".work"
DEFAULT_DOC = REPO / "docs" / "benchmarks.md"
FLOORS = HERE / "floors.py"
NOTES = HERE / "notes.md"  # hand-written notes on the targets, spliced into the report after the table
_NOTES_HEAD = "## Notes on the targets"

GEN_VERSION = 6  # bump when the generator changes: corpora are rebuilt
SEED = 20240601
CORPORA = {
    # name: (files, target total bytes); big is one file
    "small": (100, 1_400_000),
    "medium": (1000, 14_000_000),
    "big": (1, 5_000_000),
}
ANCHOR_PIP = ["mdformat", "mdformat-gfm", "pymarkdownlnt", "rumdl"]
ANCHOR_NPM = "markdownlint-cli2"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Corpus generation
# ---------------------------------------------------------------------------------------------

# words that carry meaning for a backlog parser (statuses, priorities, field names): never replaced
STOP_WORDS = frozenset([
    "todo", "done", "open", "opened", "closed", "close", "blocked", "block", "blocks", "progress", "pending",
    "complete", "completed", "planned", "plan", "backlog", "ready", "review", "active", "cancelled",
    "canceled", "cancel", "deferred", "parked", "draft", "proposed", "accepted", "rejected", "high",
    "medium", "critical", "urgent", "none", "status", "priority", "effort", "owner", "owners", "labels",
    "label", "dependencies", "depends", "dependency", "unlocks", "related", "created", "updated",
    "completed", "started", "assignee", "assignees", "tags", "title", "type", "estimate", "points",
    "milestone", "phase", "wave", "sprint", "epic", "story", "task", "tasks", "item", "items", "feature",
    "features", "doing", "next", "later", "someday", "maybe", "shipped", "released", "wontfix", "obsolete",
    "superseded", "deprecated", "skipped", "partial", "partially", "finished", "working", "testing",
    "verified", "prototype", "documented", "hold", "idea", "ideas", "must", "should", "could", "legacy",
    "future", "current", "blocker", "blockers", "notes", "description", "summary", "acceptance", "criteria",
    "definition", "inprogress", "wip", "kanban", "lane", "lanes", "column", "archive", "archived", "true",
    "false", "null", "yes",
])
_WORD_RE = re.compile(r"(?<![\w`/.\-\[@#:])([A-Za-z][a-z]{3,})(?![\w`/.\-\]@:(])")
_ID_RE = re.compile(r"(?<![\w./#\-])([A-Z][A-Z0-9]{0,11}|task)-(\d{2,6})(?![\w])")  # backlog.md: task-12
_NOT_IDS = frozenset({"UTF", "ISO", "RFC", "SHA", "CVE", "CWE", "HTTP", "MD", "ES", "TLS", "AES", "RSA",
                      "GPT", "ECMA", "IEEE", "OWASP", "X", "V", "WCAG", "PEP", "CSS", "HTML", "JS"})
_FENCE_RE = re.compile(r"^\s{0,3}(```|~~~)")
_TABLE_SEP_RE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_TITLE_LINE_RE = re.compile(r"^(\s{0,3}#{1,6}\s|\s*([-*+]|\d+[.)])\s|\s*\||title:\s)")
_H2_RE = re.compile(r"^##\s")
COMPONENTS = ("api", "web", "cli", "core", "auth", "billing", "search", "sync", "storage", "ui", "infra",
              "mobile", "admin", "gateway", "worker", "scheduler", "notifications", "analytics", "reports",
              "importer", "exporter", "payments", "identity", "media", "chat", "editor", "docs-site", "sdk")
AREAS = ("packages", "services", "apps", "libs", "docs/teams", "tools")
LIST_NAMES = ("BACKLOG.md", "TODO.md", "ROADMAP.md", "TASKS.md", "KANBAN.md", "backlog.md", "TODO-next.md",
              "ROADMAP-2026.md")


@dataclass
class Source:
    rel: str  # path inside the shared corpus
    text: str
    kind: str  # "task" (backlog.md task file), "ticket", "spec", "cp" or "list"
    header: list[str] = field(default_factory=list)  # lines before the repeatable body
    body: list[str] = field(default_factory=list)
    sections: list[list[str]] = field(default_factory=list)  # H2 sections of the body

    @property
    def name(self) -> str:
        return self.rel.rsplit("/", 1)[-1]


def _split_front_matter(lines: list[str]) -> int:
    """Index of the first line after a leading `---` front matter block (0 if none)."""
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() in ("---", "..."):
                return i + 1
    return 0


def load_sources(corpus: Path) -> list[Source]:
    files = sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix.lower() in (".md", ".markdown"))
    if not files:
        raise SystemExit(f"error: no Markdown files under {corpus} (use --corpus)")
    out = []
    for path in files:
        rel = path.relative_to(corpus).as_posix()
        with open(path, encoding="utf-8", errors="surrogateescape", newline="") as fh:
            text = fh.read()
        if any("\udc80" <= c <= "\udcff" for c in text):
            continue  # not UTF-8: mdformat (an anchor) crashes on it, and format refuses it
        name = rel.rsplit("/", 1)[-1]
        if "tasks/task-" in rel or re.match(r"task-\d+ ", name):
            kind = "task"
        elif name.upper().startswith("TICKET"):
            kind = "ticket"
        elif "SPEC-" in name:
            kind = "spec"
        elif re.search(r"(^|__)CP-\d+", name):
            kind = "cp"
        else:
            kind = "list"
        src = Source(rel, text, kind)
        lines = text.splitlines(keepends=True)
        fm_end = _split_front_matter(lines)
        first_h2 = next((i for i in range(fm_end, len(lines)) if _H2_RE.match(lines[i])), None)
        if first_h2 is None:  # no H2: the header is the first line (after front matter)
            first_h2 = min(fm_end + 1, len(lines))
        src.header, src.body = lines[:first_h2], lines[first_h2:]
        cur: list[str] = []
        for line in src.body:
            if _H2_RE.match(line) and cur:
                src.sections.append(cur)
                cur = []
            cur.append(line)
        if cur:
            src.sections.append(cur)
        out.append(src)
    return out


def word_pool(sources: list[Source]) -> list[str]:
    words: set[str] = set()
    for src in sources:
        for line in src.text.splitlines():
            if _TITLE_LINE_RE.match(line):
                words.update(w for w in _WORD_RE.findall(line) if w.islower() and w not in STOP_WORDS)
    return sorted(words)


class Variator:
    """Rewrites IDs (TODO-052 -> TODO-<n>, unique per corpus) and varies title words, seeded."""

    def __init__(self, rng: random.Random, words: list[str]) -> None:
        self.rng = rng
        self.words = words
        self.counters: dict[str, int] = {}

    def _new_id(self, mapping: dict[tuple[str, str], str], m: re.Match[str]) -> str:
        prefix, num = m.group(1), m.group(2)
        if prefix in _NOT_IDS:
            return m.group(0)
        key = (prefix.upper(), num)
        if key not in mapping:
            n = self.counters.get(key[0], 0) + 1
            self.counters[key[0]] = n
            mapping[key] = str(n).zfill(len(num))
        return f"{prefix}-{mapping[key]}"

    def _vary_words(self, line: str) -> str:
        spots = [m for m in _WORD_RE.finditer(line) if m.group(1).lower() not in STOP_WORDS]
        if not spots:
            return line
        # about half the words, at least two: copies of one title must not stay near-duplicates
        # (>= 92 % alike), or the duplicate/similar-title rules see an unrealistic flood
        chosen = {i for i in range(len(spots)) if self.rng.random() < 0.5}
        while len(chosen) < min(2, len(spots)):
            chosen.add(self.rng.randrange(len(spots)))
        parts, last = [], 0
        for i, m in enumerate(spots):
            if i in chosen:
                parts.append(line[last:m.start(1)])
                word = self.rng.choice(self.words)
                parts.append(word.capitalize() if m.group(1)[0].isupper() else word)
                last = m.end(1)
        parts.append(line[last:])
        return "".join(parts)

    def vary(self, lines: list[str], mapping: dict[tuple[str, str], str] | None = None) -> list[str]:
        """One variant of some lines: fresh IDs (consistent within the call), new title words."""
        mapping = {} if mapping is None else mapping
        out = []
        in_fence = False
        fm_end = _split_front_matter(lines)
        for i, line in enumerate(lines):
            if _FENCE_RE.match(line):
                in_fence = not in_fence
            elif not in_fence:
                line = _ID_RE.sub(lambda m: self._new_id(mapping, m), line)
                is_fm = i < fm_end
                title_like = (line.lstrip().startswith("title:") if is_fm else bool(_TITLE_LINE_RE.match(line)))
                next_line = lines[i + 1] if i + 1 < len(lines) else ""
                if title_like and not _TABLE_SEP_RE.match(line) and not _TABLE_SEP_RE.match(next_line):
                    line = self._vary_words(line)
            out.append(line)
        return out


def _slug(title: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", title)[:10]
    return "-".join(words) or "Untitled"


class Layout:
    """Unique, realistic paths that backlog-lint's default include globs select."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()
        self.list_count = 0
        self.root_names = ["BACKLOG.md", "TODO.md", "ROADMAP.md", "docs/ROADMAP.md", "docs/TODO.md", "TASKS.md"]

    def claim(self, path: str) -> str:
        base, ext = path.rsplit(".", 1)
        candidate, k = path, 2
        while candidate.lower() in self.used:
            candidate = f"{base}-{k}.{ext}"
            k += 1
        self.used.add(candidate.lower())
        return candidate

    def list_path(self, src: Source) -> str:
        self.list_count += 1
        if self.root_names:
            return self.claim(self.root_names.pop(0))
        area = self.rng.choice(AREAS)
        comp = f"{self.rng.choice(COMPONENTS)}-{self.rng.randrange(1, 60)}"
        upper = src.name.upper()
        name = next((n for n in LIST_NAMES if upper.startswith(n.split(".")[0].split("-")[0].upper())), None)
        if name is None or self.rng.random() < 0.4:
            name = self.rng.choice(LIST_NAMES)
        sub = self.rng.choice(("", "", "docs/", "planning/"))
        return self.claim(f"{area}/{comp}/{sub}{name}")

    def single_path(self, src: Source, lines: list[str]) -> str:
        text = "".join(lines[:40])
        m = re.search(r"^id:\s*([A-Za-z]+)-(\d+)", text, re.M)
        n = m.group(2) if m else str(self.rng.randrange(1, 10_000))
        t = re.search(r"^title:\s*['\"]?(.+?)['\"]?\s*$", text, re.M) or re.search(r"^#\s+(.+)$", text, re.M)
        title = t.group(1) if t else "Task"
        if src.kind == "task":
            return self.claim(f"backlog/tasks/task-{n} - {_slug(title)}.md")
        num = str(self.rng.randrange(1, 100_000)).zfill(3)
        if src.kind == "ticket":
            return self.claim(f"docs/tickets/TICKET_{num}.md")
        if src.kind == "spec":
            return self.claim(f"specs/SPEC-{num}.md")
        return self.claim(f"docs/change-proposals/CP-{num.zfill(4)}-{_slug(title).lower()[:40]}.md")


def _write(root: Path, rel: str, lines: list[str]) -> int:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    data = "".join(lines).encode("utf-8", "surrogateescape")
    path.write_bytes(data)
    return len(data)


def generate_workspace(sources: list[Source], words: list[str], root: Path, n_files: int, total: int,
                       seed: str) -> None:
    rng = random.Random(seed)
    var = Variator(rng, words)
    layout = Layout(rng)
    picks = [(src, rng.uniform(0.4, 1.6)) for src in (rng.choice(sources) for _ in range(n_files))]
    singles_bytes = sum(len(s.text) for s, _ in picks if s.kind != "list")
    lists = [(len(s.text), f) for s, f in picks if s.kind == "list"]
    # a list file is at least one copy of its source, else about mean * factor: solve for the mean
    lo, hi = 1.0, float(total)
    for _ in range(60):
        mean = (lo + hi) / 2
        if singles_bytes + sum(max(base, mean * f) for base, f in lists) > total:
            hi = mean
        else:
            lo = mean
    for src, factor in picks:
        if src.kind != "list":
            lines = var.vary(src.text.splitlines(keepends=True))
            _write(root, layout.single_path(src, lines), lines)
            continue
        target = mean * factor
        mapping: dict[tuple[str, str], str] = {}
        lines = var.vary(src.header, mapping) + var.vary(src.body, mapping)
        size = sum(len(x) for x in lines)
        body_size = max(1, sum(len(x) for x in src.body))
        nl = "\r\n" if "\r\n" in src.text else "\n"
        while size + body_size / 2 < target:  # more of the same kind of items, with fresh IDs and titles
            if lines and not lines[-1].endswith("\n"):
                lines[-1] += nl
            lines.append(nl)
            extra = var.vary(src.body)
            lines += extra
            size += sum(len(x) for x in extra) + 1
        _write(root, layout.list_path(src), lines)


# Sources of the big file's sections, by weight. A real 20,000-item backlog keeps one convention,
# and backlog-lint's parser picks one per file (with table rows or heading items present, checklist
# lines stop being items), so the big file is a checklist backlog: AgentTom-style items with inline
# IDs, tags and estimates, plus plainer checklists, kanban lanes and nested checklists; ~250 bytes an
# item. Matched as substrings of the corpus paths; when none matches (another corpus), every list
# source has weight 1.
BIG_SOURCES = {"AgentTom": 12, "Diresoft": 2, "00-Evan": 1, "00quasr": 1, "12factor": 1, "NathanUrwin": 1}
_ITEMISH_RE = re.compile(r"^(\s*[-*+]\s+\[.\]|\s*\|(?!\s*:?-{3})|#{3,6}\s)")


def _has_items(section: list[str]) -> bool:
    """Checklist lines, table rows or H3+ headings outside code fences."""
    in_fence = False
    for line in section:
        if _FENCE_RE.match(line):
            in_fence = not in_fence
        elif not in_fence and _ITEMISH_RE.match(line):
            return True
    return False


def generate_big(sources: list[Source], words: list[str], root: Path, total: int, seed: str) -> None:
    rng = random.Random(seed)
    var = Variator(rng, words)
    pool: list[tuple[int, list[list[str]]]] = []
    for src in sources:
        if src.kind != "list":
            continue
        weight = next((w for k, w in BIG_SOURCES.items() if k in src.rel), 0)
        secs = [[x.rstrip("\r\n") + "\n" for x in sec] for sec in src.sections  # one file: LF throughout
                if _has_items(sec)]
        if weight and secs:
            pool.append((weight, secs))
    if not pool:
        pool = [(1, src.sections) for src in sources if src.kind == "list" and src.sections]
    weights = [w for w, _ in pool]
    lines = ["# Product backlog\n", "\n",
             "One backlog for the whole product, generated for benchmarks from real backlogs.\n", "\n"]
    size = sum(len(x) for x in lines)
    while size < total:
        _, secs = rng.choices(pool, weights=weights)[0]
        extra = [*var.vary(rng.choice(secs)), "\n"]
        lines += extra
        size += sum(len(x.encode("utf-8", "surrogateescape")) for x in extra)
    _write(root, "BACKLOG.md", lines)


def corpus_digest(root: Path) -> tuple[int, int, str]:
    h = hashlib.sha256()
    n = size = 0
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.endswith(".md"):
                continue
            p = Path(dirpath, name)
            data = p.read_bytes()
            h.update(p.relative_to(root).as_posix().encode() + b"\0" + data + b"\0")
            n += 1
            size += len(data)
    return n, size, h.hexdigest()


def count_items(bl: list[str], root: Path) -> int | None:
    """Items backlog-lint's parser finds (informational; None if `show --json` is unavailable)."""
    try:
        out = subprocess.run([*bl, "show", "--json"], cwd=root, capture_output=True, timeout=900)
        data = json.loads(out.stdout)
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    return sum(len(d.get("items", [])) for d in data.get("documents", []))


def build_corpora(args: argparse.Namespace, names: list[str], bl: list[str]) -> dict[str, dict]:
    sources = load_sources(args.corpus)
    words = word_pool(sources)
    info = {}
    for name in names:
        n_files, total = CORPORA[name]
        root = args.work / "corpora" / name
        manifest = args.work / "corpora" / f"{name}.json"
        params = {"gen_version": GEN_VERSION, "seed": SEED, "files": n_files, "bytes": total,
                  "sources": hashlib.sha256("\0".join(s.rel + s.text for s in sources).encode(
                      "utf-8", "surrogateescape")).hexdigest()}
        if not args.regen and manifest.is_file() and root.is_dir():
            old = json.loads(manifest.read_text())
            if old.get("params") == params:
                n, size, digest = corpus_digest(root)
                if digest == old["sha256"]:
                    info[name] = old
                    continue
                log(f"corpus {name}: files changed since generation, rebuilding")
        log(f"generating corpus {name} ({n_files} files, ~{total / 1e6:.1f} MB) ...")
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
        if name == "big":
            generate_big(sources, words, root, total, f"{SEED}-{name}")
        else:
            generate_workspace(sources, words, root, n_files, total, f"{SEED}-{name}")
        (root / ".backlog-lint.toml").write_text('include = ["**/*.md"]\n', encoding="utf-8")
        n, size, digest = corpus_digest(root)
        items = count_items(bl, root)
        info[name] = {"params": params, "files": n, "bytes": size, "sha256": digest, "items": items}
        manifest.write_text(json.dumps(info[name], indent=2))
        log(f"  {n} files, {size / 1e6:.2f} MB, {items} items")
    return info


# ---------------------------------------------------------------------------------------------
# Anchors: installed into their own venv / npm prefix; "not available" with a reason on failure
# ---------------------------------------------------------------------------------------------


def _tail(text: str | bytes, n: int = 400) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    text = text.strip()
    return text[-n:].replace("\n", " | ")


def install_anchors(args: argparse.Namespace) -> dict[str, dict]:
    """{anchor: {"argv": [...]} or {"error": reason}} for mdformat, pymarkdown, rumdl, markdownlint-cli2."""
    work = args.work
    venv = work / "anchors-venv"
    bindir = venv / "bin"
    anchors: dict[str, dict] = {}
    pip_error = None
    if not args.no_install:
        if not (bindir / "python").exists():
            log("creating anchors venv ...")
            r = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True)
            if r.returncode:
                pip_error = f"python3 -m venv failed: {_tail(r.stderr)}"
        if pip_error is None:
            missing = [p for p in ANCHOR_PIP if not _pip_has(bindir / "python", p)]
            if missing:
                log(f"pip install {' '.join(missing)} ...")
                r = subprocess.run([str(bindir / "python"), "-m", "pip", "install", "-q", *missing],
                                   capture_output=True, timeout=900)
                if r.returncode:  # try one by one so that one failure does not hide the others
                    for p in missing:
                        subprocess.run([str(bindir / "python"), "-m", "pip", "install", "-q", p],
                                       capture_output=True, timeout=900)
    exe = {"mdformat": bindir / "mdformat", "pymarkdown": bindir / "pymarkdown", "rumdl": bindir / "rumdl"}
    pkg = {"mdformat": "mdformat mdformat-gfm", "pymarkdown": "pymarkdownlnt", "rumdl": "rumdl"}
    for name, path in exe.items():
        if pip_error:
            anchors[name] = {"error": pip_error}
        elif not path.exists():
            anchors[name] = {"error": f"`pip install {pkg[name]}` did not provide {path.name}"}
        elif name == "mdformat" and not _pip_has(bindir / "python", "mdformat-gfm"):
            anchors[name] = {"error": "mdformat-gfm is not installed"}
        else:
            anchors[name] = {"exe": str(path)}
    npm_dir = work / "npm"
    mdl = npm_dir / "node_modules" / ".bin" / "markdownlint-cli2"
    if not mdl.exists() and not args.no_install:
        npm = shutil.which("npm")
        if npm is None:
            anchors["markdownlint-cli2"] = {"error": "npm is not installed (node.js is needed for markdownlint-cli2)"}
        else:
            log(f"npm install {ANCHOR_NPM} ...")
            npm_dir.mkdir(parents=True, exist_ok=True)
            r = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--prefix", str(npm_dir), ANCHOR_NPM],
                               capture_output=True, timeout=900)
            if r.returncode:
                anchors["markdownlint-cli2"] = {"error": f"npm install failed: {_tail(r.stderr)}"}
    if "markdownlint-cli2" not in anchors:
        anchors["markdownlint-cli2"] = ({"exe": str(mdl)} if mdl.exists()
                                        else {"error": "markdownlint-cli2 is not installed (--no-install?)"})
    for name, a in anchors.items():
        if "exe" in a:
            a["version"] = tool_version(name, a["exe"])
    return anchors


def _pip_has(python: Path, dist: str) -> bool:
    if not python.exists():
        return False
    r = subprocess.run([str(python), "-c", f"import importlib.metadata as m; m.version({dist!r})"],
                       capture_output=True)
    return r.returncode == 0


def tool_version(name: str, exe: str) -> str:
    argv = {"pymarkdown": [exe, "version"], "markdownlint-cli2": [exe, "--help"]}.get(name, [exe, "--version"])
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"? ({exc})"
    out = (r.stdout or r.stderr).strip().splitlines()
    return out[0].strip() if out else "?"


# ---------------------------------------------------------------------------------------------
# Measuring one process: wall (perf_counter), CPU (user+sys of the child and its reaped children,
# from wait4), peak RSS (ru_maxrss of wait4: the largest single process of the tree)
# ---------------------------------------------------------------------------------------------


GNU_TIME = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None
# Child processes run Python from cached bytecode, as an installed tool does: PYTHONDONTWRITEBYTECODE
# (set in some sandboxes) is dropped and the cache goes under the work dir (main() sets the prefix).
TOOL_ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "NO_COLOR", "FORCE_COLOR")}


@dataclass
class Sample:
    wall: float
    cpu: float
    rss_mb: float
    rc: int
    stderr: str
    stdout: str
    timed_out: bool = False
    tree_rss: float = 0.0
    tree_pss: float = 0.0


def run_once(argv: list[str], cwd: Path, timeout: float, env: dict[str, str] | None = None,
             tree_rss: bool = False) -> Sample:
    rss_file = None
    if GNU_TIME:
        # GNU time forks the tool and reports its ru_maxrss: measured from wait4 here, the tool's maxrss
        # would start at this harness's high-water mark (Linux keeps it across vfork + exec).
        fd, rss_file = tempfile.mkstemp(suffix=".rss")
        os.close(fd)
        argv = [GNU_TIME, "-f", "%M", "-o", rss_file, *argv]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                env=TOOL_ENV if env is None else env, start_new_session=True)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        peak = [0.0]
        peak_pss = [0.0]
        sampler = None
        if tree_rss:
            stop = threading.Event()
            sampler = threading.Thread(target=_sample_tree_rss, args=(proc.pid, stop, peak, peak_pss),
                                       daemon=True)
            sampler.start()
        try:
            _, status, ru = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - t0
        if sampler is not None:
            stop.set()
            sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")  # whole: compared with a reference run's
        stderr = err.read()[-20000:].decode("utf-8", "replace")
    rss = ru.ru_maxrss / 1024  # KiB on Linux
    if rss_file is not None:
        with contextlib.suppress(OSError, ValueError, IndexError):
            rss = int(Path(rss_file).read_text().split()[-1]) / 1024
        Path(rss_file).unlink(missing_ok=True)
    return Sample(wall, ru.ru_utime + ru.ru_stime, rss, proc.returncode, stderr, stdout, killed.is_set(),
                  max(rss, peak[0]) if tree_rss else 0.0, peak_pss[0] if tree_rss else 0.0)


def _pss(pid: int) -> int:
    """Proportional set size in bytes (shared pages divided among the processes sharing them)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _sample_tree_rss(pid: int, stop: threading.Event, peak: list[float], peak_pss: list[float]) -> None:
    """Peaks of the summed RSS and the summed PSS of a process and all its descendants, every 50 ms."""
    while not stop.is_set():
        parents: dict[int, int] = {}
        rss: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    stat = fh.read().decode("ascii", "replace")
                fields = stat[stat.rindex(")") + 2:].split()
                parents[int(entry)] = int(fields[1])
                rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
            except (OSError, ValueError, IndexError):
                continue
        tree, frontier = {pid}, [pid]
        children: dict[int, list[int]] = {}
        for child, parent in parents.items():
            children.setdefault(parent, []).append(child)
        while frontier:
            for c in children.get(frontier.pop(), []):
                if c not in tree:
                    tree.add(c)
                    frontier.append(c)
        total = sum(rss.get(p, 0) for p in tree) / 2**20
        peak[0] = max(peak[0], total)
        peak_pss[0] = max(peak_pss[0], sum(_pss(p) for p in tree) / 2**20)
        stop.wait(0.05)


# ---------------------------------------------------------------------------------------------
# The tools timed on each corpus
# ---------------------------------------------------------------------------------------------


@dataclass
class Tool:
    key: str
    label: str  # the command as shown in the report (relative, no machine paths)
    argv: list[str] | None
    group: str  # "backlog-lint", "anchor" or "floor"
    ok_rc: tuple[int, ...] = (0, 1)
    reason: str = ""  # why argv is None
    files: int | None = None  # files it processes (for files/s); None: the corpus's
    before: object = None  # callable(rep) run untimed before each timed run
    verify: object = None  # callable(sample) -> why it did not do the work ("" when it did), after each run
    cwd: Path | None = None  # where it runs; None: the corpus directory
    samples: list[Sample] = field(default_factory=list)
    tree_rss: float = 0.0  # MB, summed over the process tree (sampled on the first run of bl-cold)
    tree_pss: float = 0.0  # MB, the same with PSS (shared pages counted once in all)
    crashed: str = ""
    note: str = ""


class ToolCrashed(Exception):
    pass


def crash_reason(tool: Tool, s: Sample) -> str:
    if s.timed_out:
        return "timed out"
    if "Traceback (most recent call last)" in s.stderr:
        return f"traceback (exit {s.rc}): {_tail(s.stderr)}"
    if s.rc not in tool.ok_rc:
        return f"exit {s.rc}: {_tail(s.stderr or s.stdout)}"
    return ""


def bl_features(bl: list[str]) -> dict[str, bool]:
    def helps(*args: str) -> str:
        r = subprocess.run([*bl, *args, "--help"], capture_output=True, text=True)
        return r.stdout if r.returncode == 0 else ""

    check = helps("check")
    fmt = helps("format")
    return {"no_cache": "--no-cache" in check, "jobs": "--jobs" in check,
            "respect_include": "--respect-include" in check,
            "format": "Usage: backlog-lint format" in fmt, "format_check": "--check" in fmt
            and "Usage: backlog-lint format" in fmt, "format_no_cache": "--no-cache" in fmt}


def make_tools(name: str, root: Path, bl: list[str], feats: dict[str, bool], anchors: dict[str, dict],
               py: str, n_files: int, precommit_file: str | None, work: Path | None = None) -> list[Tool]:
    blname = "backlog-lint"
    tools: list[Tool] = []
    cold = [*bl, "check", "--no-cache"] if feats["no_cache"] else [*bl, "check"]
    ref = Reference(cold, root, n_files)
    tools.append(Tool("bl-cold", f"{blname} check" + (" --no-cache" if feats["no_cache"] else "") + " (cold)",
                      cold, "backlog-lint", verify=ref.same,
                      note="" if feats["no_cache"] else "--no-cache not supported: plain check"))
    tools.append(Tool("bl-warm", f"{blname} check (warm: cache from the previous run)", [*bl, "check"],
                      "backlog-lint", before=_rerun([*bl, "check"], root), verify=ref.same))
    if precommit_file is not None:
        flags = ["--respect-include"] if feats["respect_include"] else []
        argv = [*bl, "check", *flags, precommit_file]
        pc_ref = Reference([*cold, *flags, precommit_file], root, 1, each_time=True)
        editor = _precommit_editor(root / precommit_file)

        def pc_verify(s: Sample) -> str:
            try:
                return pc_ref.same(s)
            finally:
                editor.restore()  # type: ignore[attr-defined]  # the other rows' reference is the corpus as built

        tools.append(Tool("bl-precommit", f"{blname} check --respect-include <1 changed file> (warm)", argv,
                          "backlog-lint", files=1, before=editor, verify=pc_verify))
        if work is not None:
            alone = _alone_project(root, precommit_file, work / "alone")
            alone_argv = [*cold, Path(precommit_file).name]
            tools.append(Tool("bl-alone", f"{blname} check --no-cache <that file, alone in a project> (cold)",
                              alone_argv, "backlog-lint", files=1, cwd=alone,
                              verify=Reference(alone_argv, alone, 1).same))
    if feats["format_check"] and feats["format_no_cache"]:
        fmt_ref = Reference([*bl, "format", "--check", "--no-cache"], root, n_files, formatting=True)
        tools.append(Tool("bl-format", f"{blname} format --check --no-cache (cold)",
                          [*bl, "format", "--check", "--no-cache"], "backlog-lint", ok_rc=(0, 1, 2),
                          verify=fmt_ref.same))
        tools.append(Tool("bl-format-warm", f"{blname} format --check (warm: cache from the previous run)",
                          [*bl, "format", "--check"], "backlog-lint", ok_rc=(0, 1, 2),
                          before=_rerun([*bl, "format", "--check"], root), verify=fmt_ref.same))
    elif feats["format_check"]:
        tools.append(Tool("bl-format", f"{blname} format --check", [*bl, "format", "--check"], "backlog-lint"))
    else:
        tools.append(Tool("bl-format", f"{blname} format --check", None, "backlog-lint",
                          reason="n/a: `backlog-lint format --check` does not exist yet"))
    a = anchors.get("markdownlint-cli2", {})
    tools.append(Tool("markdownlint-cli2", 'markdownlint-cli2 "**/*.md"',
                      [a["exe"], "**/*.md"] if "exe" in a else None, "anchor", reason=a.get("error", "")))
    a = anchors.get("rumdl", {})
    tools.append(Tool("rumdl", "rumdl check --no-cache .",
                      [a["exe"], "check", "--no-cache", "--respect-gitignore=false", "."] if "exe" in a else None,
                      "anchor", reason=a.get("error", "")))
    a = anchors.get("mdformat", {})
    tools.append(Tool("mdformat", "mdformat --check --extensions gfm .",
                      [a["exe"], "--check", "--extensions", "gfm", "."] if "exe" in a else None, "anchor",
                      reason=a.get("error", "")))
    a = anchors.get("pymarkdown", {})
    tools.append(Tool("pymarkdown", "pymarkdown scan -r .", [a["exe"], "scan", "-r", "."] if "exe" in a else None,
                      "anchor", reason=a.get("error", "")))
    for mode, label in (("read", "floor: find + read + sha256 (Python)"),
                        ("parse1", "floor: markdown-it-py parse, 1 process"),
                        ("parse2", "floor: markdown-it-py parse, 2 processes")):
        tools.append(Tool(f"floor-{mode}", label, [py, str(FLOORS), mode, "."], "floor", ok_rc=(0,)))
    return tools


_CHECKED_RE = re.compile(r"^Checked (\d[\d,]*) files?\.$", re.MULTILINE)
_FORMATTED_RE = re.compile(r"^(\d+) files? would be reformatted, (\d+) already formatted$", re.MULTILINE)
_UNFORMATTABLE_RE = re.compile(r"^error: .*: invalid (?:UTF-8|UTF-16|encoding)\b.*; not formatted$")


class Reference:
    """What a timed backlog-lint command must have done: checked (or formatted) the files it was given,
    and printed exactly what an untimed reference run of ``argv`` (no cache) prints. A timing of a run
    that checked nothing, or found something else, is an error, not a result."""

    def __init__(self, argv: list[str], cwd: Path, files: int, *, each_time: bool = False,
                 formatting: bool = False) -> None:
        self.argv, self.cwd, self.files = argv, cwd, files
        self.each_time = each_time  # the files change between runs: a reference run after each
        self.formatting = formatting
        self._out: str | None = None

    def expected(self) -> str:
        if self._out is None or self.each_time:
            s = run_once(self.argv, self.cwd, 1800)
            self._out = s.stdout
            why = self._did_the_work(s)
            if why:
                raise ToolCrashed(f"the reference run `{' '.join(self.argv[-4:])}` did not do the work: {why}")
        return self._out

    def _did_the_work(self, s: Sample) -> str:
        if self.formatting:
            m = _FORMATTED_RE.search(s.stdout)
            if m is None:
                return "no 'N files would be reformatted, M already formatted' line"
            refused = [line for line in s.stderr.splitlines() if line.strip()]
            if any(not _UNFORMATTABLE_RE.match(line) for line in refused):
                return f"an error other than an undecodable file: {_tail(s.stderr)}"
            done = int(m.group(1)) + int(m.group(2))
            if done + len(refused) != self.files:
                return f"{done} files formatted or checked + {len(refused)} undecodable, not {self.files}"
            return ""
        m = _CHECKED_RE.search(s.stdout)
        if m is None or int(m.group(1).replace(",", "")) != self.files:
            return f"'Checked {self.files} files.' expected, got {m.group(0) if m else 'no such line'!r}"
        return ""

    def same(self, s: Sample) -> str:
        why = self._did_the_work(s)
        if why:
            return why
        if s.stdout != self.expected():
            return "its output differs from the reference run's (no cache)"
        return ""


def _alone_project(root: Path, rel: str, dest: Path) -> Path:
    """A project holding only ``rel`` of the corpus (and its config): the file checked alone."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copy(root / ".backlog-lint.toml", dest / ".backlog-lint.toml")
    shutil.copy(root / rel, dest / Path(rel).name)
    return dest


def _rerun(argv: list[str], root: Path):
    """Before each warm run: the same command once, untimed, so the cache it finds is from a run on
    exactly these files (the pre-commit row edits a file between repetitions)."""

    def run(rep: int) -> None:
        subprocess.run(argv, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)

    return run


def _precommit_editor(path: Path):
    """Before each pre-commit run: give the file new content (a new checklist item) never seen before."""
    original = path.read_bytes()
    nl = b"\r\n" if b"\r\n" in original else b"\n"
    state = {"n": 0}

    def edit(rep: int) -> None:
        state["n"] += 1
        token = f"{os.getpid()}-{time.time_ns()}-{state['n']}".encode()
        tail = b"" if original.endswith(nl) else nl
        path.write_bytes(original + tail + b"- [ ] Benchmark edit " + token + nl)

    edit.restore = lambda: path.write_bytes(original)  # type: ignore[attr-defined]
    return edit


def pick_precommit_file(root: Path) -> str:
    """A mid-sized list file of the workspace, deterministic."""
    cands = sorted(p.relative_to(root).as_posix() for p in root.rglob("TODO.md") if "/" in
                   p.relative_to(root).as_posix())
    return cands[len(cands) // 2] if cands else sorted(p.relative_to(root).as_posix() for p in root.rglob("*.md"))[0]


def bench_corpus(name: str, root: Path, tools: list[Tool], runs: int, timeout: dict[str, float], slow: float,
                 bl_warmup: list[str]) -> None:
    """Round robin: every repetition runs every tool once, the order rotated each repetition."""
    log(f"[{name}] warm-up (untimed): {' '.join(bl_warmup[-2:])} ...")
    warm = run_once(bl_warmup, root, timeout["backlog-lint"])
    if crash_reason(Tool("w", "", bl_warmup, "backlog-lint"), warm):
        raise ToolCrashed(f"backlog-lint crashed on corpus {name} (warm-up): exit {warm.rc}\n{warm.stderr[-4000:]}")
    for tool in tools:
        if tool.key == "bl-format-warm" and tool.argv is not None:
            log(f"[{name}] warm-up (untimed): format --check ...")
            run_once(tool.argv, root, timeout["backlog-lint"])
    active = [t for t in tools if t.argv is not None]
    limit = {t.key: runs for t in active}
    try:
        for rep in range(runs):
            order = active[rep % len(active):] + active[:rep % len(active)]
            for tool in order:
                if len(tool.samples) >= limit[tool.key] or tool.crashed:
                    continue
                if tool.before is not None:
                    tool.before(rep)
                sample_tree = tool.key == "bl-cold" and not tool.samples
                s = run_once(tool.argv, tool.cwd or root, timeout[tool.group], tree_rss=sample_tree)
                if sample_tree:
                    tool.tree_rss = s.tree_rss
                    tool.tree_pss = s.tree_pss
                why = crash_reason(tool, s)
                if why == "timed out" and tool.group == "anchor":
                    tool.crashed = why
                    log(f"[{name}] {tool.key} timed out after {timeout[tool.group]:g} s: not repeated")
                    continue
                if why:
                    if tool.group == "backlog-lint" or tool.group == "floor":
                        raise ToolCrashed(f"{tool.label} crashed on corpus {name}: {why}\n{s.stderr[-4000:]}")
                    tool.crashed = why
                    log(f"!!! {tool.key} CRASHED on {name}: {why}")
                    continue
                if callable(tool.verify):
                    failed = tool.verify(s)
                    if failed:
                        raise ToolCrashed(f"{tool.label} on corpus {name} did not do the work: {failed}")
                tool.samples.append(s)
                if rep == 0 and s.wall > slow and runs > 1:
                    limit[tool.key] = 1
                    tool.note = (tool.note + "; " if tool.note else "") + f"slow (> {slow:g} s): 1 run"
                log(f"[{name}] rep {rep + 1}/{runs} {tool.key:18} {s.wall:8.3f} s  cpu {s.cpu:8.3f} s  "
                    f"{s.rss_mb:7.1f} MB  rc {s.rc}")
    finally:
        for tool in tools:
            restore = getattr(tool.before, "restore", None)
            if restore:
                restore()


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


# ---------------------------------------------------------------------------------------------
# Start-up: what `backlog-lint --version` and `backlog-lint rule BL201` import, and how long they take
# ---------------------------------------------------------------------------------------------

HEAVY_TARGET = ("markdown_it", "jsonschema", "mdformat")  # the issue: these must not be imported
HEAVY_INFO = ("mdit_py_plugins", "rapidfuzz", "yaml", "referencing", "rpds")
_PROBE = r"""
import atexit, json, os, sys
def _dump():
    tops = {m.split(".")[0] for m in list(sys.modules)}
    with open(os.environ["BL_BENCH_PROBE"], "w") as fh:
        json.dump(sorted(tops), fh)
atexit.register(_dump)
sys.argv = ["backlog-lint", *sys.argv[1:]]
from backlog_lint.cli import main
main()
"""


def startup_checks(py: str, bl: list[str], runs: int, cwd: Path) -> list[dict]:
    rows = []
    n = max(7, runs * 2)
    cases = [("backlog-lint --version", ["--version"]), ("backlog-lint rule BL201", ["rule", "BL201"])]
    for label, args in cases:
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
            probe = fh.name
        env = dict(os.environ, BL_BENCH_PROBE=probe)
        r = subprocess.run([py, "-c", _PROBE, *args], capture_output=True, text=True, env=env, cwd=cwd)
        try:
            mods = set(json.loads(Path(probe).read_text()))
        except (OSError, ValueError):
            mods = set()
        finally:
            Path(probe).unlink(missing_ok=True)
        heavy = sorted(mods & set(HEAVY_TARGET))
        other = sorted(mods & set(HEAVY_INFO))
        imp = subprocess.run([py, "-X", "importtime", "-c", _PROBE, *args], capture_output=True, text=True,
                             env=dict(os.environ, BL_BENCH_PROBE=os.devnull), cwd=cwd)
        slowest = _importtime_top(imp.stderr)
        walls = [run_once([*bl, *args], cwd, 60).wall for _ in range(n)]
        rows.append({"label": label, "ok": r.returncode == 0 and bool(mods), "rc": r.returncode,
                     "heavy": heavy, "other": other, "wall": median(walls), "runs": n, "slowest": slowest,
                     "error": "" if mods else _tail(r.stderr)})
    for label, code in (("python -c pass (baseline)", "pass"), ("python -c 'import click'", "import click")):
        walls = [run_once([py, "-c", code], cwd, 60).wall for _ in range(n)]
        rows.append({"label": label, "baseline": True, "wall": median(walls), "runs": n})
    return rows


def _importtime_top(stderr: str, n: int = 6) -> list[tuple[str, float]]:
    """The modules imported directly by backlog-lint's own modules with the largest cumulative time (ms)."""
    rows = []
    for line in stderr.splitlines():
        m = re.match(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)", line)
        if m:
            rows.append((len(m.group(3)) // 2, m.group(4), int(m.group(2)) / 1000))
    out = []
    for i, (depth, name, ms) in enumerate(rows):
        # importtime prints children before their parent: find the parent (next row with a smaller depth)
        parent = next((r[1] for r in rows[i + 1:] if r[0] < depth), "")
        if parent.startswith("backlog_lint") and not name.startswith("backlog_lint"):
            out.append((name, ms))
    return sorted(out, key=lambda kv: -kv[1])[:n]


# ---------------------------------------------------------------------------------------------
# Profile: cProfile of `backlog-lint check` on the medium corpus
# ---------------------------------------------------------------------------------------------


def _short_path(path: str) -> str:
    if path == "~":
        return ""
    p = path.replace(os.sep, "/")
    for marker in ("/site-packages/", "/lib/python3"):
        if marker in p:
            rest = p.split(marker, 1)[1]
            return rest.split("/", 1)[1] if marker == "/lib/python3" and "/" in rest else rest
    repo = str(REPO).replace(os.sep, "/") + "/"
    return p[len(repo):] if p.startswith(repo) else p.rsplit("/", 1)[-1]


def _func_name(key: tuple[str, int, str]) -> str:
    path, line, name = key
    short = _short_path(path)
    return f"{short}:{line}({name})" if short else name


_STAGES = [("backlog_lint/cli/check.py", "_check", "whole check command"),
           ("backlog_lint/config.py", "load_config", "config"),
           ("backlog_lint/pipeline/paths.py", "resolve_paths", "discovery (resolve_paths)"),
           ("backlog_lint/discovery.py", "backlog_files", "discovery (backlog_files, all calls)"),
           ("backlog_lint/pipeline/parsing.py", "build_workspace", "read + parse (build_workspace)"),
           ("backlog_lint/pipeline/parsing.py", "load_documents", "read + parse (load_documents)"),
           ("backlog_lint/parser/__init__.py", "parse_bytes", "parse_bytes (all files)"),
           ("markdown_it/main.py", "parse", "markdown-it-py parse"),
           ("backlog_lint/pipeline/paths.py", "workspace_files", "the project's files (workspace_files)"),
           ("backlog_lint/statcache.py", "read_files", "read + hash, or stat cache (statcache.read_files)"),
           ("backlog_lint/cache.py", "get", "cache get (whole models, run cache)"),
           ("backlog_lint/summary.py", "load", "workspace summaries (summary.load)"),
           ("backlog_lint/summary.py", "_complete", "full models loaded for summaries (_complete)"),
           ("backlog_lint/pipeline/running.py", "file_findings", "per-file rules (file_findings)"),
           ("backlog_lint/workspace/vocabulary.py", "learn", "project vocabulary (learn)"),
           ("backlog_lint/workspace/index.py", "build_index", "workspace index (build_index)"),
           ("backlog_lint/cache.py", "put", "cache put"),
           ("backlog_lint/pipeline/running.py", "run_rules", "rules + suppressions (run_rules)"),
           ("backlog_lint/cli/output.py", "_render", "report rendering (_render)")]


def _profile(args: argparse.Namespace, root: Path, py: str, name: str, cli_args: list[str]) -> tuple[float, dict]:
    import pstats

    out = args.work / f"profile-{name}.prof"
    out.unlink(missing_ok=True)
    argv = [py, "-m", "cProfile", "-o", str(out), "-m", "backlog_lint", *cli_args]
    log(f"profiling: backlog-lint {' '.join(cli_args)} ({name}) ...")
    s = run_once(argv, root, args.timeout)
    if s.rc not in (0, 1) or "Traceback (most recent call last)" in s.stderr or not out.exists():
        raise ToolCrashed(f"profiled backlog-lint {' '.join(cli_args)} failed: exit {s.rc}\n{s.stderr[-4000:]}")
    return s.wall, pstats.Stats(str(out)).stats  # type: ignore[attr-defined]


def _profile_tables(raw: dict, top: int, rules: bool = True) -> list[str]:
    total = max(v[3] for v in raw.values())  # the outermost call's cumulative time
    lines = []
    rows = []
    for suffix, func, label in _STAGES:
        hits = [(k, v) for k, v in raw.items() if _short_path(k[0]).endswith(suffix) and k[2] == func]
        if hits:
            ct = sum(v[3] for _, v in hits)
            rows.append(f"| {label} | `{_func_name(hits[0][0])}` | {ct:.2f} | {100 * ct / total:.1f}% |")
    if rows:
        lines += ["#### Where the time goes", "", "| stage | function | cumulative s | % |", "|---|---|---:|---:|",
                  *rows, ""]
    per_rule: dict[str, tuple[float, tuple]] = {}
    for k, v in raw.items():
        sp = _short_path(k[0])
        if (sp.startswith("backlog_lint/rules/") and not sp.endswith(("_rule.py", "__init__.py"))
                and v[3] > per_rule.get(sp, (0.0, ()))[0]):
            per_rule[sp] = (v[3], k)
    if rules and per_rule:
        best = sorted(per_rule.items(), key=lambda kv: -kv[1][0])[:10]
        lines += ["#### Rules (the costliest function of each rule module)", "",
                  "| rule module | function | cumulative s | % |", "|---|---|---:|---:|"]
        lines += [f"| {sp.rsplit('/', 1)[-1]} | `{k[2]}` | {ct:.2f} | {100 * ct / total:.1f}% |"
                  for sp, (ct, k) in best]
        lines.append("")
    for title, col in ((f"Top {top} by cumulative time", 3), (f"Top {top} by own (total) time", 2)):
        items = sorted(raw.items(), key=lambda kv: -kv[1][col])[:top]
        lines += [f"#### {title}", "", "| ncalls | tottime s | tottime % | cumtime s | cumtime % | function |",
                  "|---:|---:|---:|---:|---:|---|"]
        for k, (cc, nc, tt, ct, _callers) in items:
            calls = f"{nc}/{cc}" if nc != cc else f"{nc}"
            lines.append(f"| {calls} | {tt:.3f} | {100 * tt / total:.1f}% | {ct:.3f} | {100 * ct / total:.1f}% | "
                         f"`{_func_name(k)}` |")
        lines.append("")
    return lines


def run_profile(args: argparse.Namespace, root: Path, py: str, feats: dict[str, bool]) -> str:
    cold = ["check", *(["--no-cache"] if feats["no_cache"] else []), *(["--jobs", "1"] if feats["jobs"] else [])]
    wall, raw = _profile(args, root, py, "medium", cold)
    total = max(v[3] for v in raw.values())
    lines = [
        "## Profile", "",
        f"backlog-lint {git_state()}; run on {_dt.datetime.now(_dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}.", "",
        "### Cold check, medium corpus", "",
        f"`python -m cProfile -o <work>/profile-medium.prof -m backlog_lint {' '.join(cold)}` in the medium corpus: "
        f"{_fmt_s(wall)} s wall under the profiler, {total:.2f} s in the outermost call. "
        + ("`--jobs 1` keeps the parse in the profiled process. " if feats["jobs"] else "")
        + "Percentages are of the outermost call; cumulative times of generators add up their resumptions; "
        "the profiler inflates Python-heavy code (the parser) more than C code (rapidfuzz, re).", "",
        *_profile_tables(raw, 25),
    ]
    # the pre-commit case: warm cache, one changed file
    if run_once([py, "-m", "backlog_lint", "check"], root, args.timeout).rc in (0, 1):
        rel = pick_precommit_file(root)
        edit = _precommit_editor(root / rel)
        try:
            edit(0)
            args_pc = ["check", *(["--respect-include"] if feats["respect_include"] else []), rel]
            wall, raw = _profile(args, root, py, "precommit", args_pc)
        finally:
            edit.restore()  # type: ignore[attr-defined]
        total = max(v[3] for v in raw.values())
        lines += ["### Pre-commit case, medium corpus (warm cache, one changed file)", "",
                  f"`python -m cProfile -o <work>/profile-precommit.prof -m backlog_lint check "
                  f"{' '.join(args_pc[1:-1])} <1 changed file>`: {_fmt_s(wall)} s wall under the profiler, "
                  f"{total:.2f} s in the outermost call.", "", *_profile_tables(raw, 15)]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------

RATIO_COLUMNS = (("markdownlint-cli2", "× mdl-cli2"), ("rumdl", "× rumdl"), ("mdformat", "× mdformat"),
                 ("pymarkdown", "× pymarkdown"), ("floor-parse1", "× parse 1p"), ("floor-parse2", "× parse 2p"))


def _fmt_s(x: float | None) -> str:
    if x is None or x != x:
        return "–"
    return f"{x:.3f}" if x < 10 else f"{x:.1f}"


def _fmt_rate(x: float) -> str:
    return f"{x:,.0f}" if x >= 10 else f"{x:.2g}"


@dataclass
class Stat:
    wall: float | None  # median; None when not measured
    lower_bound: bool = False  # timed out: the real time is larger
    text: str = ""  # n/a / crashed reason


def stat_of(tool: Tool, timeout: float) -> Stat:
    if tool.argv is None:
        return Stat(None, text=tool.reason or "n/a")
    if tool.crashed == "timed out":
        return Stat(timeout, lower_bound=True, text=f"timed out after {timeout:g} s")
    if tool.crashed:
        return Stat(None, text=f"CRASHED: {tool.crashed}")
    if not tool.samples:
        return Stat(None, text="not run")
    return Stat(median([s.wall for s in tool.samples]))


def ratio_text(a: Stat, b: Stat) -> str:
    if a.wall is None or b.wall is None or b.wall == 0:
        return "–"
    r = a.wall / b.wall
    if a.lower_bound and b.lower_bound:
        return "?"
    if b.lower_bound:
        return f"< {r:.2f}"
    if a.lower_bound:
        return f"> {r:.2f}"
    return f"{r:.2f}"


def corpus_table(tools: list[Tool], n_files: int, timeout: dict[str, float]) -> list[str]:
    by_key = {t.key: t for t in tools}
    anchors = {k: stat_of(by_key[k], timeout[by_key[k].group]) if k in by_key else Stat(None)
               for k, _ in RATIO_COLUMNS}
    head = ["tool", "runs", "wall median s", "CPU s", "peak RSS MB", "files/s", *(c for _, c in RATIO_COLUMNS)]
    lines = ["| " + " | ".join(head) + " |", "|---|---:|---:|---:|---:|---:|" + "---:|" * len(RATIO_COLUMNS)]
    for t in tools:
        st = stat_of(t, timeout[t.group])
        if st.wall is None:
            lines.append(f"| {t.label} | 0 | {st.text} | | | |" + " |" * len(RATIO_COLUMNS))
            continue
        if st.lower_bound:
            wall, cpu, rss, fps = f"> {st.wall:g}", "–", "–", f"< {_fmt_rate((t.files or n_files) / st.wall)}"
        else:
            wall = _fmt_s(st.wall)
            cpu = _fmt_s(median([s.cpu for s in t.samples]))
            rss = f"{max(s.rss_mb for s in t.samples):.0f}"
            fps = _fmt_rate((t.files or n_files) / st.wall)
        ratios = [ratio_text(st, anchors[k]) if k != t.key else "1" for k, _ in RATIO_COLUMNS]
        label = t.label + (f" ({t.note})" if t.note else "")
        lines.append(f"| {label} | {len(t.samples)} | {wall} | {cpu} | {rss} | {fps} | " + " | ".join(ratios) + " |")
    return lines


def targets_table(results: dict[str, list[Tool]], timeout: dict[str, float], mem: dict[str, tuple[float, float]],
                  startup: list[dict]) -> list[str]:
    def st(corpus: str, key: str) -> Stat:
        for t in results.get(corpus, []):
            if t.key == key:
                return stat_of(t, timeout[t.group])
        return Stat(None, text="corpus not run")

    rows = []

    def ratio_row(what: str, a: Stat, b: Stat, limit: float, b_name: str) -> None:
        if a.wall is None or b.wall is None:
            rows.append(f"| {what} | {a.text or b.text or 'n/a'} | – | ≤ {limit:g}× | n/a |")
            return
        r = a.wall / b.wall
        verdict = "PASS" if r <= limit else "MISS"
        if b.lower_bound and not a.lower_bound:
            verdict = "PASS" if r <= limit else "? (anchor timed out)"
        if a.lower_bound:
            verdict = "MISS"
        rows.append(f"| {what} | {_fmt_s(a.wall)} s vs {b_name} {_fmt_s(b.wall)} s | {ratio_text(a, b)}× "
                    f"| ≤ {limit:g}× | **{verdict}** |")

    ratio_row("cold `check` on medium vs markdownlint-cli2", st("medium", "bl-cold"), st("medium", "markdownlint-cli2"),
              0.25, "markdownlint-cli2")
    ratio_row("cold `check` on medium vs the 2-process markdown-it floor", st("medium", "bl-cold"),
              st("medium", "floor-parse2"), 1.3, "floor")
    ratio_row("warm `check` on medium vs rumdl (cold, --no-cache)", st("medium", "bl-warm"), st("medium", "rumdl"),
              1.0, "rumdl")
    def seconds_row(what: str, a: Stat, limit: float) -> None:
        if a.wall is None:
            rows.append(f"| {what} | {a.text or 'n/a'} | – | ≤ {limit:g} s | n/a |")
            return
        rows.append(f"| {what} | {_fmt_s(a.wall)} s | – | ≤ {limit:g} s | "
                    f"**{'PASS' if a.wall <= limit and not a.lower_bound else 'MISS'}** |")

    pc, alone = st("medium", "bl-precommit"), st("medium", "bl-alone")
    seconds_row("pre-commit: 1 changed file in the 1,000-file workspace, warm", pc, 0.3)
    ratio_row("pre-commit vs checking that file alone (a project of that file, no cache)", pc, alone, 1.5,
              "alone")
    seconds_row("one file alone, no cache (the pre-commit file in a project of its own)", alone, 0.15)
    ratio_row("`format --check` (cold, no cache) on medium vs `mdformat --check`", st("medium", "bl-format"),
              st("medium", "mdformat"), 0.5, "mdformat")
    ratio_row("cold `check` of the big single file vs its parse floor (1 process)", st("big", "bl-cold"),
              st("big", "floor-parse1"), 1.5, "floor")
    for corpus, limit in (("medium", 300), ("big", 400)):
        if corpus in mem:
            rss, pss = mem[corpus]
            rows.append(f"| peak memory, cold `check` on {corpus} (whole process tree, PSS) | {pss:.0f} MB "
                        f"(summed RSS {rss:.0f} MB) | – | ≤ {limit} MB | "
                        f"**{'PASS' if 0 < pss <= limit else 'MISS'}** |")
        else:
            rows.append(f"| peak memory, cold `check` on {corpus} | not measured | – | ≤ {limit} MB | n/a |")
    for row in startup:
        if row.get("baseline"):
            continue
        if not row["ok"]:
            rows.append(f"| `{row['label']}` imports none of {', '.join(HEAVY_TARGET)} | failed: {row['error']} "
                        "| – | none | **MISS** |")
            continue
        heavy = ", ".join(row["heavy"]) or "none"
        rows.append(f"| `{row['label']}` imports none of {', '.join(HEAVY_TARGET)} | imports: {heavy}; "
                    f"{row['wall'] * 1000:.0f} ms | – | none | **{'PASS' if not row['heavy'] else 'MISS'}** |")
    return ["| target | measured | ratio | limit | result |", "|---|---|---:|---:|---|", *rows]


def machine_info(py: str, bl: list[str], anchors: dict[str, dict]) -> list[str]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
        mem = f"{kb / 2**20:.1f} GiB"
    except (OSError, AttributeError):
        pass
    cores = os.cpu_count()
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = cores
    pyver = subprocess.run([py, "-c", "import sys; print(sys.version.split()[0])"], capture_output=True,
                           text=True).stdout.strip()
    mdit = subprocess.run([py, "-c", "import importlib.metadata as m; print(m.version('markdown-it-py'))"],
                          capture_output=True, text=True).stdout.strip()
    blv = subprocess.run([*bl, "--version"], capture_output=True, text=True).stdout.strip()
    node = shutil.which("node")
    nodev = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip() if node else "absent"
    lines = [
        f"- CPU: {cpu}; {cores} logical cores ({usable} usable); memory {mem}",
        f"- OS: {platform.platform()}",
        f"- Python: {pyver} (backlog-lint's venv; also runs the floors with markdown-it-py {mdit}); "
        f"harness {platform.python_version()}",
        f"- backlog-lint: {blv}, {git_state()}",
        f"- node: {nodev}",
    ]
    for name in ("markdownlint-cli2", "rumdl", "mdformat", "pymarkdown"):
        a = anchors.get(name, {})
        lines.append(f"- {name}: {a['version']}" if "exe" in a else f"- {name}: **not available**: {a.get('error')}")
    return lines


def _show_argv(argv: list[str]) -> str:
    return " ".join([Path(argv[0]).name, *(shlex.quote(a) for a in argv[1:])])


def git_state() -> str:
    """The commit of the repository and whether backlog_lint/ had uncommitted changes."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
                              timeout=30).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "backlog_lint"], cwd=REPO,
                               capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "not a git checkout"
    if not head:
        return "not a git checkout"
    return f"commit {head}" + (" with uncommitted changes in backlog_lint/" if dirty else "")


def sanitize(text: str, args: argparse.Namespace) -> str:
    """No machine paths in the committed report."""
    for path, name in ((args.work, "<work>"), (REPO, "<repo>"), (REPO.parent, "<repo>/.."), (Path.home(), "~")):
        # whole path components only: "/work" must not eat the start of "/workspace_index.py"
        text = re.sub(re.escape(str(path)) + r"(?![\w.-])", lambda _m, n=name: n, text)
    return text


SCALE_START, SCALE_END = "<!-- scale:start -->", "<!-- scale:end -->"


def _without_scale(text: str) -> tuple[str, str]:
    """``text`` without the section `benchmarks/scale.py` writes, and that section (kept across runs)."""
    if SCALE_START not in text or SCALE_END not in text:
        return text, ""
    head, rest = text.split(SCALE_START, 1)
    section, tail = rest.split(SCALE_END, 1)
    return head.rstrip("\n") + "\n" + tail, SCALE_START + section + SCALE_END + "\n"


def write_doc(path: Path, body: str, profile: str | None) -> None:
    old, scale = _without_scale(path.read_text(encoding="utf-8") if path.exists() else "")
    if profile is None and "\n## Profile" in old:
        kept = old[old.index("\n## Profile") + 1:]
        profile = kept.replace("## Profile\n", "## Profile\n\n_(From an earlier `--profile` run.)_\n", 1) \
            if "_(From an earlier" not in kept else kept
    text = body.rstrip("\n") + "\n" + ("\n" + profile.rstrip("\n") + "\n" if profile else "")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + ("\n" + scale if scale else ""), encoding="utf-8")


def splice_notes(path: Path) -> None:
    """Put ``benchmarks/notes.md`` (what the profile shows where a target is missed) after the targets
    table of the report, replacing the notes there."""
    if not NOTES.exists() or not path.exists():
        return
    text = path.read_text(encoding="utf-8")
    notes = f"{_NOTES_HEAD}\n\n{NOTES.read_text(encoding='utf-8').strip()}\n\n"
    if _NOTES_HEAD in text:
        start = text.index(_NOTES_HEAD)
        end = text.index("\n## ", start + 1) + 1
        text = text[:start] + notes + text[end:]
    elif "\n## Start-up" in text:
        at = text.index("\n## Start-up") + 1
        text = text[:at] + notes + text[at:]
    else:
        text = text.rstrip("\n") + "\n\n" + notes
    path.write_text(text, encoding="utf-8")


def splice_profile(path: Path, profile: str) -> None:
    old, scale = _without_scale(path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n")
    if "\n## Profile" in old:
        old = old[:old.index("\n## Profile") + 1]
    path.write_text(old.rstrip("\n") + "\n\n" + profile.rstrip("\n") + "\n" + ("\n" + scale if scale else ""),
                    encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description="Benchmark backlog-lint against Markdown tools and parse floors; "
                                 "writes docs/benchmarks.md.")
    ap.add_argument("--runs", type=int, default=5, help="timed repetitions per tool and corpus (median; default 5)")
    ap.add_argument("--corpora", default="small,medium,big", help="comma-separated: small, medium, big")
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK, help="work dir (default benchmarks/.work)")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="real backlogs to generate from "
                    "(default <repo>/../shared/corpus)")
    ap.add_argument("--output", type=Path, default=DEFAULT_DOC, help="report (default docs/benchmarks.md)")
    ap.add_argument("--backlog-lint", dest="bl", type=Path, default=REPO / ".venv" / "bin" / "backlog-lint",
                    help="the backlog-lint executable (default <repo>/.venv/bin/backlog-lint)")
    ap.add_argument("--timeout", type=float, default=900, help="seconds before a backlog-lint or floor run "
                    "is killed (a failure)")
    ap.add_argument("--anchor-timeout", type=float, default=150, help="seconds before an anchor run is killed "
                    "(reported as a lower bound, not repeated; default 150)")
    ap.add_argument("--slow", type=float, default=60, help="a tool whose first run takes longer is run only "
                    "once on that corpus (default 60 s)")
    ap.add_argument("--regen", action="store_true", help="rebuild the corpora even if they are up to date")
    ap.add_argument("--no-install", action="store_true", help="do not install anchors (use what is there)")
    ap.add_argument("--no-anchors", action="store_true", help="skip the anchors entirely")
    ap.add_argument("--profile", action="store_true", help="also cProfile `backlog-lint check` on the medium "
                    "corpus into the report's Profile section")
    ap.add_argument("--notes-only", action="store_true", help="only splice benchmarks/notes.md into the "
                    "existing report")
    ap.add_argument("--profile-only", action="store_true", help="only the profile, spliced into the existing "
                    "report")
    args = ap.parse_args(argv)
    args.work = args.work.resolve()
    args.corpus = args.corpus.resolve()
    if not args.bl.exists():
        found = shutil.which("backlog-lint")
        if found is None:
            ap.error(f"{args.bl} does not exist and backlog-lint is not on PATH (use --backlog-lint)")
        args.bl = Path(found)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    t_start = time.perf_counter()
    state_at_start = git_state()
    names = [n.strip() for n in args.corpora.split(",") if n.strip()]
    for n in names:
        if n not in CORPORA:
            raise SystemExit(f"error: unknown corpus {n!r} (small, medium, big)")
    if args.notes_only:
        splice_notes(args.output)
        log(f"notes spliced into {args.output}")
        return 0
    if args.profile_only:
        names = ["medium"]
    bl = [str(args.bl)]
    py = str(args.bl.parent / "python")
    if not Path(py).exists():
        py = sys.executable
    args.work.mkdir(parents=True, exist_ok=True)
    TOOL_ENV["PYTHONPYCACHEPREFIX"] = str(args.work / "pycache")
    info = build_corpora(args, names, bl)
    feats = bl_features(bl)
    command = "python3 benchmarks/run.py" + "".join(" " + shlex.quote(a) for a in sys.argv[1:])

    if args.profile_only:
        prof = run_profile(args, args.work / "corpora" / "medium", py, feats)
        splice_profile(args.output, sanitize(prof, args))
        print(sanitize(prof, args))
        log(f"profile written to {args.output}")
        return 0

    anchors = {} if args.no_anchors else install_anchors(args)
    if args.no_anchors:
        anchors = {k: {"error": "skipped (--no-anchors)"} for k in ("markdownlint-cli2", "rumdl", "mdformat",
                                                                      "pymarkdown")}
    timeout = {"backlog-lint": args.timeout, "floor": args.timeout, "anchor": args.anchor_timeout}
    loads = [("start", os.getloadavg()[0])]
    results: dict[str, list[Tool]] = {}
    mem: dict[str, tuple[float, float]] = {}
    crashed_anchor = False
    for name in names:
        root = args.work / "corpora" / name
        pre = pick_precommit_file(root) if name == "medium" else None
        tools = make_tools(name, root, bl, feats, anchors, py, info[name]["files"], pre, args.work)
        bench_corpus(name, root, tools, args.runs, timeout, args.slow, [*bl, "check"])
        cold = next(t for t in tools if t.key == "bl-cold")
        mem[name] = (cold.tree_rss, cold.tree_pss)
        results[name] = tools
        loads.append((f"after {name}", os.getloadavg()[0]))
        crashed_anchor |= any(t.crashed and t.crashed != "timed out" for t in tools)
    startup = startup_checks(py, bl, args.runs, args.work)
    profile = None
    if args.profile and "medium" in names:
        profile = run_profile(args, args.work / "corpora" / "medium", py, feats)

    now = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    out = ["# Benchmarks", "",
           f"Generated by `{command}` on {now} in {(time.perf_counter() - t_start) / 60:.1f} min. "
           "Do not edit by hand: run the script again (see `benchmarks/README.md`).", "",
           "## Machine", "", *machine_info(py, bl, anchors),
           *([f"- **backlog-lint changed during the run**: {state_at_start} at the start"]
             if git_state() != state_at_start else []),
           "- 1-minute load average during the run: " + ", ".join(f"{w} {v:.2f}" for w, v in loads)
           + f" (on {os.cpu_count()} cores; anything above the benchmark's own load is other work on the "
           "machine and inflates wall times: CPU times are less affected)", "",
           "## Method", "",
           f"- Every corpus is generated deterministically (seed {SEED}) from the real backlogs in "
           "`shared/corpus`: files are copied with fresh IDs (`TODO-052` → `TODO-<n>`, unique per corpus), "
           "varied title words, and list files repeated to a target size; each corpus has a "
           "`.backlog-lint.toml` with `include = [\"**/*.md\"]` and no `.git` (so files are found by walking).",
           f"- Each tool runs as a child process in the corpus directory, all tools round-robin in one run "
           f"(the order rotated each repetition), {args.runs} repetitions; the table shows the median wall time, "
           "the median CPU time (user + sys of the process and its children, from `wait4`), the largest peak RSS "
           "(`ru_maxrss` reported by GNU time: the largest single process of the tree), and files per second. "
           "Exit codes are ignored (findings are expected); a crash or traceback stops the run.",
           f"- Tools taking longer than {args.slow:g} s on their first run are run once; anchors are killed "
           f"after {args.anchor_timeout:g} s and reported as a lower bound (`> N`), which makes a ratio to them "
           "an upper bound (`< r`).",
           "- Warm: before every warm run the same command runs once untimed, so the warm run finds the cache "
           "of a run on exactly the same files (the pre-commit row edits a file between repetitions; the cold "
           "run uses `--no-cache`, which neither reads nor writes it). "
           "Pre-commit: before each run one mid-sized `TODO.md` gets a new checklist item never seen before, "
           "then `backlog-lint check --respect-include <that file>` runs with the rest of the cache warm.",
           "- Floors (`benchmarks/floors.py`, run with backlog-lint's Python): find + read + sha256 every file; "
           "the same plus `MarkdownIt(\"commonmark\").enable([\"table\", \"strikethrough\"]).parse()`, in one "
           "process and split by size over two processes (`multiprocessing`, fork).",
           "- Peak memory for the target: the summed PSS (proportional set size, `/proc/<pid>/smaps_rollup`) of "
           "the process and all its children, polled every 50 ms during the first cold run of each corpus. PSS "
           "counts a page shared by n processes 1/n in each, so the sum is the memory the tree really holds; "
           "the summed RSS, shown beside it, counts the pages forked workers share with their parent (the "
           "interpreter, imported modules) once per process. GNU time's figure in the tables is one process's.",
           "", "## Corpora", "",
           "| corpus | files | MB | items (backlog-lint `show --json`) | sha256 of paths + contents |",
           "|---|---:|---:|---:|---|"]
    for name in names:
        i = info[name]
        out.append(f"| {name} | {i['files']:,} | {i['bytes'] / 1e6:.2f} | "
                   f"{i['items'] if i['items'] is not None else '?':,} | `{i['sha256'][:16]}` |")
    out.append("")
    for name in names:
        tools = results[name]
        cmds = "; ".join(f"{t.key}: `{sanitize(_show_argv(t.argv), args)}`" for t in tools if t.argv)
        out += [f"## {name} ({info[name]['files']:,} files, {info[name]['bytes'] / 1e6:.1f} MB)", "",
                *corpus_table(tools, info[name]["files"], timeout), "",
                f"Peak memory of the whole process tree, cold check: PSS {mem[name][1]:.0f} MB "
                f"(summed RSS {mem[name][0]:.0f} MB).", "",
                f"<details><summary>Commands</summary>\n\n{cmds}\n\n</details>", ""]
    out += ["## Targets", "", *targets_table(results, timeout, mem, startup), ""]
    out += ["## Start-up", "", "| command | median wall ms | runs | imports (of markdown_it, jsonschema, mdformat) | "
            "other heavy modules imported | slowest top-level imports (ms) |", "|---|---:|---:|---|---|---|"]
    for row in startup:
        if row.get("baseline"):
            out.append(f"| `{row['label']}` | {row['wall'] * 1000:.0f} | {row['runs']} | | | |")
        else:
            slow = ", ".join(f"{n} {ms:.0f}" for n, ms in row["slowest"])
            out.append(f"| `{row['label']}` | {row['wall'] * 1000:.0f} | {row['runs']} | "
                       f"{', '.join(row['heavy']) or 'none'} | {', '.join(row['other']) or 'none'} | {slow} |")
    out.append("")
    body = sanitize("\n".join(out), args)
    write_doc(args.output, body, sanitize(profile, args) if profile else None)
    splice_notes(args.output)
    print(body)
    if profile:
        print(sanitize(profile, args))
    log(f"report written to {args.output} ({(time.perf_counter() - t_start) / 60:.1f} min)")
    if crashed_anchor:
        log("!!! at least one anchor crashed: see the CRASHED rows")
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except ToolCrashed as exc:
        print(f"\nBENCHMARK FAILED: {exc}", file=sys.stderr)
        sys.exit(3)
