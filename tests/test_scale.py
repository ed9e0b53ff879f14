"""Hostile sizes and shapes, reduced (issue 19): a quadratic regression fails here.

The shapes come from ``benchmarks/scale_shapes.py`` (the full sizes run in ``benchmarks/scale.py``).
Each bound is generous (several times what a healthy run takes on a slow 2-core machine) and far
below what the quadratic code took on the same input (minutes).
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from scale_shapes import BY_NAME  # noqa: E402

from backlog_lint.format import mdformat_linear  # noqa: E402
from backlog_lint.format.canonical import MDFORMAT_EXTENSIONS, MDFORMAT_OPTIONS, _mdformat  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus"


def _run(folder: Path, *args: str, timeout: float) -> tuple[subprocess.CompletedProcess[str], float]:
    start = time.monotonic()
    try:
        proc = subprocess.run([sys.executable, "-m", "backlog_lint", *args], cwd=folder, capture_output=True,
                              text=True, timeout=timeout, env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin"})
    except subprocess.TimeoutExpired:
        pytest.fail(f"backlog-lint {' '.join(args)} took more than {timeout:.0f} s: quadratic again?")
    return proc, time.monotonic() - start


def _project(tmp_path: Path, shape: str, n: int) -> Path:
    folder = tmp_path / shape
    folder.mkdir()
    (folder / ".backlog-lint.toml").write_text('include = ["**/*.md"]\n', encoding="utf-8")
    (folder / "BACKLOG.md").write_text(BY_NAME[shape].make(n), encoding="utf-8")
    return folder


# shape, size, seconds allowed for `check` (a healthy run: 1-4 s on 2 cores)
CHECKS = [
    ("checklist", 20_000, 40.0),
    ("table", 10_000, 40.0),
    ("headings", 5_000, 40.0),
    ("links", 5_000, 40.0),
    ("duplicates", 20_000, 40.0),
    ("long-lines", 1_000_000, 40.0),
    ("nested", 10_000, 40.0),
]


@pytest.mark.slow
@pytest.mark.parametrize(("shape", "n", "bound"), CHECKS, ids=[c[0] for c in CHECKS])
def test_scale__check_is_bounded(tmp_path: Path, shape: str, n: int, bound: float) -> None:
    folder = _project(tmp_path, shape, n)
    proc, _seconds = _run(folder, "check", "--no-cache", "--output-format", "json", "BACKLOG.md", timeout=bound)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    findings = json.loads(proc.stdout)
    wanted = BY_NAME[shape].min_findings * n // BY_NAME[shape].full
    assert len(findings) >= wanted, f"{len(findings)} findings, expected at least {wanted}"


def test_scale__twenty_thousand_items_sharing_an_id(tmp_path: Path) -> None:
    """BL301 and BL302 compared every pair of a group: 20,000 items with one ID took a minute."""
    folder = _project(tmp_path, "duplicates", 8_000)
    proc, seconds = _run(folder, "check", "--no-cache", "--select", "BL301,BL302", "--output-format", "json",
                         "BACKLOG.md", timeout=60.0)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert sum(f["code"] == "BL301" for f in json.loads(proc.stdout)) == 7_999
    assert seconds < 30.0


def test_scale__a_million_brackets_on_one_line(tmp_path: Path) -> None:
    """plain_text rescanned to the end of the line from every '[': 250,000 '[a](' took minutes."""
    folder = _project(tmp_path, "long-lines", 400_000)
    proc, _ = _run(folder, "check", "--no-cache", "--output-format", "json", "BACKLOG.md", timeout=60.0)
    assert proc.returncode == 1, proc.stderr[-2000:]
    codes = {f["code"] for f in json.loads(proc.stdout)}
    assert {"BL006", "BL305"} <= codes  # the bracket line is named; the 200 KB link target is a finding


# shape, size, seconds allowed for `format --check` and for `format`
FORMATS = [
    ("checklist", 10_000, 90.0),
    ("table", 5_000, 90.0),
    ("headings", 2_000, 90.0),
    ("links", 2_000, 90.0),
    ("duplicates", 5_000, 90.0),
    ("long-lines", 1_000_000, 90.0),
    ("nested", 10_000, 90.0),
]


@pytest.mark.slow
@pytest.mark.parametrize(("shape", "n", "bound"), FORMATS, ids=[c[0] for c in FORMATS])
def test_scale__format_is_bounded_or_refuses(tmp_path: Path, shape: str, n: int, bound: float) -> None:
    folder = _project(tmp_path, shape, n)
    proc, _ = _run(folder, "format", "--check", "--no-cache", "BACKLOG.md", timeout=bound)
    assert proc.returncode in (0, 1, 4), proc.stderr[-2000:]
    if proc.returncode == 4:
        assert "too deep or too big to format safely" in proc.stderr and "BACKLOG.md" in proc.stderr
    before = (folder / "BACKLOG.md").read_bytes()
    proc, _ = _run(folder, "format", "--no-cache", "BACKLOG.md", timeout=bound)
    assert proc.returncode in (0, 4), proc.stderr[-2000:]
    if proc.returncode == 4:
        assert (folder / "BACKLOG.md").read_bytes() == before
    else:
        proc, _ = _run(folder, "format", "--check", "--no-cache", "BACKLOG.md", timeout=bound)
        assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]


def test_scale__a_list_nested_ten_thousand_deep_is_refused_with_exit_4(tmp_path: Path) -> None:
    """Refusing a file too deep to format is not a bug (exit 3): exit 4 and a message saying what to do."""
    folder = _project(tmp_path, "nested", 10_000)
    before = (folder / "BACKLOG.md").read_bytes()
    proc, _ = _run(folder, "format", "--no-cache", "BACKLOG.md", timeout=60.0)
    assert proc.returncode == 4, proc.stdout + proc.stderr[-2000:]
    assert "BACKLOG.md: not formatted: too deep or too big to format safely" in proc.stderr
    assert "line 5 nests more than 20 blocks deep" in proc.stderr and "flatten the nesting" in proc.stderr
    assert (folder / "BACKLOG.md").read_bytes() == before


def test_scale__a_long_checklist_formats_in_linear_time() -> None:
    """mdformat checked the tightness of the whole list for every item, and the tasklist plugin walked back
    to the list for every task: 10,000 entries took a minute or more, 2,000 now take well under a second."""
    mdformat_linear.install()
    assert mdformat_linear.installed() == {"tight-list", "tasklists", "char-references"}
    small, big = BY_NAME["checklist"].make(2_000), BY_NAME["checklist"].make(8_000)
    _mdformat(small, "x")  # warm up
    t0 = time.perf_counter()
    _mdformat(small, "x")
    t1 = time.perf_counter()
    _mdformat(big, "x")
    t2 = time.perf_counter()
    assert t2 - t1 < 30.0
    assert (t2 - t1) < 12 * max(t1 - t0, 0.05), f"4x the input took {(t2 - t1) / (t1 - t0):.1f}x the time"


def _corpus_sample() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    files = sorted(CORPUS.rglob("*.md"))
    return files[:: max(1, len(files) // 40)]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus (../shared/corpus) is not on this machine")
def test_scale__the_linear_mdformat_writes_what_mdformat_writes() -> None:
    """The patched mdformat gives byte for byte the output of the unpatched one (run in a fresh process)."""
    files = _corpus_sample()
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    texts.append(BY_NAME["checklist"].make(300))
    texts.append("- [ ] a\n  - [x] b\n\n  - [ ] c\n- d\n\n1. [ ] e\n1. f\n")
    script = ("import json, sys, mdformat\n"
              "texts = json.load(sys.stdin)\n"
              f"ext, opt = {sorted(MDFORMAT_EXTENSIONS)!r}, {MDFORMAT_OPTIONS!r}\n"
              "print(json.dumps([mdformat.text(t, extensions=set(ext), options=opt) for t in texts]))\n")
    proc = subprocess.run([sys.executable, "-c", script], input=json.dumps(texts), capture_output=True, text=True,
                          check=True, timeout=300)
    expected = json.loads(proc.stdout)
    mdformat_linear.install()
    import mdformat

    for text, want in zip(texts, expected, strict=True):
        with mdformat_linear.one_call():
            got = mdformat.text(text, extensions=MDFORMAT_EXTENSIONS, options=MDFORMAT_OPTIONS)
        assert got == want


def test_scale__a_file_over_the_format_limit_is_refused_at_once(tmp_path: Path) -> None:
    """A 1.2 MB backlog: mdformat would need about 500 MB and a minute; `format` says so (exit 4), `check` reads it."""
    folder = _project(tmp_path, "checklist", 65_000)
    before = (folder / "BACKLOG.md").read_bytes()
    assert len(before) > 1_000_000
    proc, seconds = _run(folder, "format", "--no-cache", "BACKLOG.md", timeout=60.0)
    assert proc.returncode == 4, proc.stderr[-2000:]
    assert "BACKLOG.md: not formatted: too deep or too big to format safely: the file is 1.2 MB" in proc.stderr
    assert "split the file" in proc.stderr
    assert (folder / "BACKLOG.md").read_bytes() == before
    assert seconds < 20.0


# shape, size, bound: the parse's peak of traced memory per byte of input (measured: table 48,
# checklist 58, headings 44, links 40; before repeated short lines and inline contents were one string
# each, items shared their section's inherited dict and the headings' inline children were dropped once
# read, 50, 58, 52 and 40; before the code, blank and
# paragraph lines were runs in arrays
# instead of frozensets, a field kept its spans as columns and short table cells were shared, 54, 65, 64 and 42; before
# blocks held only their kind's fields and line offsets were an array, 55, 74, 70 and 44; before the
# token stream was walked as written and dropped and a paragraph's inline tokens were no longer kept,
# 91, 135, 100 and 80: a table of 100,000 rows held 1.4 million tokens). tracemalloc counts bytes,
# not time: the bound is not flaky.
PARSE_PEAKS = [("table", 2_500, 56), ("checklist", 5_000, 67), ("headings", 1_250, 48), ("links", 1_250, 46)]


@pytest.mark.parametrize(("shape", "n", "per_byte"), PARSE_PEAKS, ids=[p[0] for p in PARSE_PEAKS])
def test_parse__peak_memory_is_bounded_by_the_input(shape: str, n: int, per_byte: int) -> None:
    import tracemalloc

    from backlog_lint.parser import parse_bytes

    parse_bytes(b"# Warm-up\n\n- [ ] TODO-1: imports and compiled patterns\n", "BACKLOG.md")
    data = BY_NAME[shape].make(n).encode("utf-8")
    tracemalloc.start()
    try:
        doc = parse_bytes(data, "BACKLOG.md")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert doc.items or doc.loose_tasks
    assert peak <= per_byte * len(data), f"{peak / len(data):.0f} bytes per byte of input (bound {per_byte})"


# shape, size, bound: the model's own size per byte of input, what stays alive while every rule runs
# (measured as what dropping the model frees: table 32, checklist 30, headings 26, links 34; before repeated
# short lines and a field's values were shared strings and items their section's inherited dict, headings 30;
# before the line sets were runs and a field's spans columns, headings 40).
MODEL_SIZES = [("table", 2_500, 40), ("checklist", 5_000, 36), ("headings", 1_250, 32), ("links", 1_250, 38)]


@pytest.mark.parametrize(("shape", "n", "per_byte"), MODEL_SIZES, ids=[p[0] for p in MODEL_SIZES])
def test_parse__the_model_is_bounded_by_the_input(shape: str, n: int, per_byte: int) -> None:
    import tracemalloc

    from backlog_lint.parser import parse_bytes

    parse_bytes(b"# Warm-up\n\n- [ ] TODO-1: imports and compiled patterns\n", "BACKLOG.md")
    data = BY_NAME[shape].make(n).encode("utf-8")
    tracemalloc.start()
    try:
        doc = parse_bytes(data, "BACKLOG.md")
        assert doc.items or doc.loose_tasks
        with_model = tracemalloc.get_traced_memory()[0]
        del doc
        gc.collect()
        # what dropping the model frees is the model: caches and patterns the parse filled on the way
        # (how full they were depends on the tests that ran before) stay and are not counted
        kept = with_model - tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert kept >= 10 * len(data), "the model was not freed when dropped: something else holds it"
    assert kept <= per_byte * len(data), f"{kept / len(data):.0f} bytes per byte of input (bound {per_byte})"


# shape, size, bound: the per-file rules' peak of traced memory per byte of input, on top of the
# model (measured: table 15, checklist 33, headings 20, links 12; before the closing marks were one
# per type and level and short inline contents shared, 17, 37, 24 and 12; before the marks' nesting was their
# class's, 17, 38, 26 and 12; before the markup rules read compact
# marks streamed from markdown-it and BL314 made buckets only for words that may be misspelt, 117,
# 114, 137 and 50: a backlog of 50,000 heading items held a million tokens and their inline children).
RULE_PEAKS = [("table", 2_500, 18), ("checklist", 5_000, 38), ("headings", 1_250, 23), ("links", 1_250, 14)]


@pytest.mark.parametrize(("shape", "n", "per_byte"), RULE_PEAKS, ids=[p[0] for p in RULE_PEAKS])
def test_per_file_rules__peak_memory_is_bounded_by_the_input(tmp_path: Path, shape: str, n: int,
                                                             per_byte: int) -> None:
    import tracemalloc

    from backlog_lint.config import load_config
    from backlog_lint.parser import parse_bytes
    from backlog_lint.pipeline.running import file_findings

    cfg = load_config(tmp_path)
    file_findings(parse_bytes(b"# Warm-up\n\n- [ ] TODO-1: imports *and* <b> patterns\n", "BACKLOG.md"), cfg)
    data = BY_NAME[shape].make(n).encode("utf-8")
    doc = parse_bytes(data, "BACKLOG.md")
    tracemalloc.start()
    try:
        file_findings(doc, cfg)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak <= per_byte * len(data), f"{peak / len(data):.0f} bytes per byte of input (bound {per_byte})"


@pytest.mark.slow
def test_scale__a_file_over_the_chunk_limit_is_formatted_in_bounded_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file bigger than what mdformat may take at once (FORMAT_MAX_BYTES, lowered here to keep the test
    short) is formatted chunk by chunk when it has top-level headings to cut at: not refused, the same
    text as the whole file formatted at once, and its memory is that of a chunk, not of the file
    (mdformat alone holds some 300 bytes per byte it formats at once, so a file formatted at once
    needs several times the memory of the same file in chunks)."""
    import tracemalloc

    from backlog_lint.errors import TooComplex
    from backlog_lint.format import canonical

    def traced(**kw: int) -> tuple[str, int]:
        tracemalloc.start()
        try:
            out = canonical.format_text(text, path="BACKLOG.md", **kw)
            return out, tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    text = BY_NAME["headings"].make(2_000)
    whole, whole_peak = traced(chunk_bytes=len(text))  # one piece: the reference
    monkeypatch.setattr(canonical, "FORMAT_MAX_BYTES", len(text) // 8)
    with pytest.raises(TooComplex):
        canonical.format_text(text, path="BACKLOG.md", chunk_bytes=len(text))  # one piece over the limit
    out, peak = traced(chunk_bytes=len(text) // 32)
    assert out == whole != text
    assert peak < whole_peak / 3, f"chunked: peak {peak / 1e6:.0f} MB; at once: {whole_peak / 1e6:.0f} MB"
