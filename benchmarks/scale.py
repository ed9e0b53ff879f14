"""Hostile sizes and shapes (issue 19): time and peak memory of every command on generated backlogs.

Generates each shape of ``scale_shapes.py`` at 4 sizes (the full size of the issue and 1/2, 1/4,
1/8 of it), runs ``check``, ``check --fix``, ``format --check`` and ``format`` on each (one file in
a project of its own, no cache), asserts that each run did the work (the file was checked, the
findings expected were reported, the exit status is one the command documents) and writes the
table, with the linearity and memory targets, between the scale markers of ``docs/benchmarks.md``.
Standard library only; see ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale_shapes import BY_NAME, SHAPES, Shape

REPO = Path(__file__).resolve().parent.parent
START, END = "<!-- scale:start -->", "<!-- scale:end -->"
COMMANDS: dict[str, tuple[str, ...]] = {
    "check": ("check", "--no-cache"),
    "check --fix": ("check", "--fix", "--no-cache"),
    "format --check": ("format", "--check", "--no-cache"),
    "format": ("format", "--no-cache"),
}
EXPECTED_EXIT = {"check": {0, 1}, "check --fix": {0, 1}, "format --check": {0, 1, 4}, "format": {0, 4}}
FOUND_RE = re.compile(r"Found ([\d,]+) problem")
CHECKED_RE = re.compile(r"Checked ([\d,]+) file")
MEMORY_LIMIT_MB = 400  # peak RSS of any command on a file of up to 8 MB
LINEAR_CHECK = 2.5  # check at size n within 2.5x its time at n/2
LINEAR_OTHERS = 3.0  # format, format --check and --fix per MB within 3x of check's


@dataclass
class Run:
    shape: str
    size: int
    mb: float
    command: str
    seconds: float  # wall
    cpu: float  # user + system seconds of the process (what the ratios use: other work on the machine
    # inflates wall times much more than CPU times)
    rss_mb: float
    exit: int
    findings: int | None
    note: str = ""


def measure(argv: list[str], cwd: Path, timeout: float) -> tuple[float, float, float, int, str]:
    """Wall seconds, CPU seconds, peak RSS (MB, GNU time's %M when available), exit status, output."""
    gnu_time = shutil.which("time", path="/usr/bin")
    stats = cwd / ".time"
    cmd = [gnu_time, "-f", "%M %U %S", "-o", str(stats), *argv] if gnu_time else argv
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        seconds = time.perf_counter() - start
        return seconds, seconds, 0.0, -9, "killed"
    seconds = time.perf_counter() - start
    rss, cpu = 0.0, seconds
    if gnu_time and stats.exists():
        fields = [x.split() for x in stats.read_text().splitlines() if len(x.split()) == 3]
        if fields:
            rss, cpu = int(fields[-1][0]) / 1024, float(fields[-1][1]) + float(fields[-1][2])
        stats.unlink()
    return seconds, cpu, rss, proc.returncode, out.decode("utf-8", "replace")


def project(work: Path, shape: Shape, size: int) -> tuple[Path, bytes]:
    folder = work / f"{shape.name}-{size}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".backlog-lint.toml").write_text('include = ["**/*.md"]\n', encoding="utf-8")
    data = shape.make(size).encode("utf-8")
    return folder, data


def run_one(exe: str, shape: Shape, size: int, command: str, work: Path, timeout: float) -> Run:
    folder, data = project(work, shape, size)
    (folder / "BACKLOG.md").write_bytes(data)  # fresh for every command: --fix and format write
    seconds, cpu, rss, code, out = measure([exe, *COMMANDS[command], "BACKLOG.md"], folder, timeout)
    found = FOUND_RE.search(out)
    findings = int(found.group(1).replace(",", "")) if found else (0 if "All checks passed" in out else None)
    run = Run(shape.name, size, len(data) / 1e6, command, seconds, cpu, rss, code,
              findings if command.startswith("check") else None)
    problems = []
    if code == -9:
        problems.append(f"killed after {timeout:.0f} s")
    elif code not in EXPECTED_EXIT[command]:
        problems.append(f"exit {code}: {out.strip().splitlines()[-1][:200] if out.strip() else 'no output'}")
    if "Traceback" in out:
        problems.append("traceback")
    if command == "check" and code >= 0:
        checked = CHECKED_RE.search(out)
        if not checked or checked.group(1) != "1":
            problems.append("did not check the file")
        wanted = shape.min_findings * size // shape.full
        if findings is None or findings < wanted:
            problems.append(f"{findings} findings, expected at least {wanted}")
    if command.startswith("format") and code == 4:
        run.note = "refused: " + next((x for x in out.splitlines() if "error:" in x), "")[:120]
    run.note = "; ".join([*problems, run.note] if run.note else problems)
    if problems:
        run.note = "FAILED: " + run.note
    return run


def targets(runs: list[Run]) -> list[str]:
    """The issue's targets, each line starting with PASS or FAIL."""
    lines = []
    by = {(r.shape, r.size, r.command): r for r in runs}
    for shape in sorted({r.shape for r in runs}, key=lambda n: [s.name for s in SHAPES].index(n)):
        sizes = sorted({r.size for r in runs if r.shape == shape})
        checks = [by.get((shape, n, "check")) for n in sizes]
        for half, full in itertools.pairwise(checks):
            if half and full and half.exit >= 0 and full.exit >= 0 and full.size == 2 * half.size:
                ratio = full.cpu / max(half.cpu, 0.01)
                ok = ratio <= LINEAR_CHECK or full.cpu < 1.0
                lines.append(f"{'PASS' if ok else 'FAIL'} {shape}: check at {full.size:,} takes {ratio:.2f}x "
                             f"its time at {half.size:,} (target ≤ {LINEAR_CHECK}x)")
        for n in sizes:
            base = by.get((shape, n, "check"))
            for command in ("check --fix", "format --check", "format"):
                r = by.get((shape, n, command))
                if not (r and base) or base.exit < 0:
                    continue
                if r.exit == 4:
                    lines.append(f"PASS {shape} {n:,}: {command} refuses (exit 4) in {r.seconds:.1f} s")
                    continue
                if r.exit == -9:
                    lines.append(f"FAIL {shape} {n:,}: {command} killed after {r.seconds:.0f} s")
                    continue
                ratio = r.cpu / max(base.cpu, 0.01)
                ok = ratio <= LINEAR_OTHERS or r.cpu < 1.0
                lines.append(f"{'PASS' if ok else 'FAIL'} {shape} {n:,}: {command} {ratio:.2f}x check's time "
                             f"(target ≤ {LINEAR_OTHERS}x)")
    for r in runs:
        if r.exit != -10 and r.mb <= 8 and r.rss_mb > MEMORY_LIMIT_MB:
            lines.append(f"FAIL {r.shape} {r.size:,}: {r.command} peaks at {r.rss_mb:.0f} MB "
                         f"(target ≤ {MEMORY_LIMIT_MB} MB)")
    worst = max((r.rss_mb for r in runs if r.mb <= 8), default=0)
    lines.append(f"{'PASS' if worst <= MEMORY_LIMIT_MB else 'FAIL'} peak RSS of any command on a file ≤ 8 MB: "
                 f"{worst:.0f} MB (target ≤ {MEMORY_LIMIT_MB} MB)")
    dup = by.get(("duplicates", BY_NAME["duplicates"].full, "check"))
    if dup:
        lines.append(f"{'PASS' if dup.cpu <= 5 and dup.exit >= 0 else 'FAIL'} 20,000 near-identical items "
                     f"checked in {dup.cpu:.1f} s of CPU, {dup.seconds:.1f} s wall (target ≤ 5 s)")
    bad = [r for r in runs if r.note.startswith("FAILED") and r.exit != -9]
    lines.extend(f"FAIL {r.shape} {r.size:,} {r.command}: {r.note}" for r in bad)
    return lines


def table(runs: list[Run]) -> list[str]:
    out = ["| shape | size | MB | command | wall (s) | CPU (s) | CPU s/MB | peak RSS (MB) | exit | findings | note |",
           "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---|"]
    for r in runs:
        if r.exit == -10:
            out.append(f"| {r.shape} | {r.size:,} | {r.mb:.2f} | {r.command} | | | | | | | {r.note} |")
            continue
        t = f"> {r.seconds:.0f}" if r.exit == -9 else f"{r.seconds:.2f}"
        out.append(f"| {r.shape} | {r.size:,} | {r.mb:.2f} | {r.command} | {t} | {r.cpu:.2f} "
                   f"| {r.cpu / max(r.mb, 0.001):.2f} "
                   f"| {r.rss_mb:.0f} | {'killed' if r.exit == -9 else r.exit} | "
                   f"{'' if r.findings is None else f'{r.findings:,}'} | {r.note.replace('|', '/')} |")
    return out


# Before the fixes of issue 19: `check` and `format --check` at the full sizes, measured by hand with
# GNU time at commit bb262a5 (the branch point) on the same generated files, 2 shared cores, wall time.
BEFORE = """\
| shape (full size) | check | format --check |
|---|---|---|
| checklist | 22.2 s, 662 MB | killed after 150 s (1.1 GB) |
| table | 24.6 s, 892 MB | 134.6 s, 1.83 GB |
| headings | 42.1 s, 980 MB | killed after 150 s (2.07 GB) |
| links | 29.9 s, 622 MB | 132.6 s, 1.15 GB |
| duplicates | 65.7 s, 191 MB | 82.0 s, 361 MB |
| long-lines | exit 3 (BL305: `OSError: [Errno 36] File name too long`); with that fixed, 117.8 s | killed (issue) |
| nested | 0.4 s, 28 MB | exit 3 (refused as a bug) |
"""

# the run of 2026-12-05 09:22 UTC kept in docs/benchmarks.md at commit 081d7ef, before the token stream
# was walked as written and dropped (issue 19, memory): check at the full size, and format --check's CPU
# time over check's at 1/8 of it (format refused anything over 1 MB)
BEFORE_MEMORY = """\
| shape (full size) | check: CPU, peak RSS | format --check / check CPU at 1/8 |
|---|---|---|
| checklist | 8.2 s, 619 MB | 5.67x |
| table | 11.2 s, 714 MB | 7.39x |
| headings | 13.8 s, 865 MB | 6.75x |
| links | 17.8 s, 552 MB | 4.00x |
| duplicates | 2.6 s, 166 MB | 4.32x (6.76x at 1/4, 10.34x at 1/2) |
"""


def report(runs: list[Run], exe: str, started: float, argv: list[str]) -> str:
    version = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip()
    commit = subprocess.run(["git", "-C", str(REPO), "log", "-1", "--format=%h"], capture_output=True,
                            text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    if commit:
        version += f", commit {commit}" + (" with uncommitted changes" if dirty else "")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    shapes = "\n".join(f"- **{s.name}**: {s.make.__doc__}" for s in SHAPES if any(r.shape == s.name for r in runs))
    body = [
        START,
        "## Hostile sizes and shapes (issue 19)",
        "",
        f"Generated by `python3 benchmarks/scale.py {' '.join(argv)}`".rstrip() + f" on "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} in {(time.time() - started) / 60:.1f} min "
        f"({version}; {os.cpu_count()} cores; 1-minute load average {load:.2f} at the end). Every run is one "
        "process on one generated `BACKLOG.md` in a project of its own, no cache; the file is written afresh "
        "before each command (`--fix` and `format` change it). Peak RSS is GNU time's `%M`. Do not edit by "
        "hand: run the script again (see `benchmarks/README.md`).",
        "",
        shapes,
        "",
        "### Before (commit bb262a5, for comparison)",
        "",
        BEFORE,
        "### Before the memory work (commit 081d7ef, for comparison)",
        "",
        BEFORE_MEMORY,
        "### Targets",
        "",
        *[f"- {line}" for line in targets(runs)],
        "",
        "### Runs",
        "",
        *table(runs),
        END,
    ]
    return "\n".join(body) + "\n"


def splice(doc: Path, section: str) -> None:
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        tail = rest.split(END, 1)[1].lstrip("\n")
        text = head + section + ("\n" + tail if tail else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    doc.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shapes", default=",".join(s.name for s in SHAPES), help="comma-separated shape names")
    ap.add_argument("--fractions", default="8,4,2,1", help="sizes as divisors of the full size (default 8,4,2,1)")
    ap.add_argument("--commands", default=",".join(COMMANDS), help="comma-separated commands")
    ap.add_argument("--timeout", type=float, default=300.0, help="kill a run after this many seconds")
    ap.add_argument("--backlog-lint", default=str(REPO / ".venv" / "bin" / "backlog-lint"))
    ap.add_argument("--work", type=Path, default=REPO / "benchmarks" / ".work" / "scale")
    ap.add_argument("--output", type=Path, default=REPO / "docs" / "benchmarks.md",
                    help="the report; the scale section is replaced, the rest kept ('-': print only)")
    args = ap.parse_args(argv)
    started = time.time()
    shapes = [BY_NAME[n] for n in args.shapes.split(",")]
    commands = args.commands.split(",")
    runs: list[Run] = []
    killed: dict[tuple[str, str], int] = {}  # a command killed at one size is not run at larger ones
    for shape in shapes:
        for div in sorted((int(x) for x in args.fractions.split(",")), reverse=True):
            size = max(1, shape.full // div)
            for command in commands:
                if (shape.name, command) in killed:
                    run = Run(shape.name, size, 0.0, command, 0.0, 0.0, 0.0, -10, None,
                              f"not run: killed at a smaller size ({killed[(shape.name, command)]:,})")
                    runs.append(run)
                    continue
                run = run_one(args.backlog_lint, shape, size, command, args.work, args.timeout)
                if run.exit == -9:
                    killed[(shape.name, command)] = size
                runs.append(run)
                print(f"{shape.name:11} {size:>9,} {run.mb:6.2f} MB  {command:15} {run.seconds:8.2f} s "
                      f"{run.cpu:8.2f} s CPU "
                      f"{run.rss_mb:7.0f} MB  exit {run.exit}  {run.note}", flush=True)
    section = report(runs, args.backlog_lint, started, sys.argv[1:] if argv is None else argv)
    print("\n".join(x for x in section.splitlines() if x.startswith("- ")))
    if str(args.output) != "-":
        splice(args.output, section)
    return 1 if any(line.startswith("FAIL") for line in targets(runs)) else 0


if __name__ == "__main__":
    sys.exit(main())
