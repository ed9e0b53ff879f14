#!/usr/bin/env python3
"""How long the language server takes from a keystroke to its diagnostics, on the 1,000-file corpus.

Usage (needs backlog-lint with the `lsp` extra in the running Python):

    python benchmarks/lsp_latency.py                 # the medium corpus of benchmarks/run.py
    python benchmarks/lsp_latency.py --edits 50 --corpus PATH

It builds (or reuses) the medium corpus of `benchmarks/run.py` in its work dir, starts
`python -m backlog_lint server` over stdio with pygls's client, opens one file of median size
and one of the largest, and for each edit (a line typed at the end, then taken back) measures the
time from sending `textDocument/didChange` to receiving the `publishDiagnostics` of that version.
It does so with no debounce (the server's own work) and with the default debounce (what an editor
waits). The target of issue 18 is 150 ms for one file in a 1,000-file workspace.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
TARGET_MS = 150.0


def medium_corpus(work: Path, corpus: Path) -> Path:
    """The medium corpus of run.py (built on first use, reused while its inputs are unchanged)."""
    import run

    args = argparse.Namespace(corpus=corpus, work=work, regen=False)
    run.build_corpora(args, ["medium"], [sys.executable, "-m", "backlog_lint"])
    return work / "corpora" / "medium"


class Probe:
    def __init__(self) -> None:
        self.client = LanguageClient("lsp-latency", "1")
        self.waiting: dict[tuple[str, int], asyncio.Future[float]] = {}

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: types.PublishDiagnosticsParams) -> None:
            fut = self.waiting.pop((params.uri, params.version or 0), None)
            if fut is not None and not fut.done():
                fut.set_result(time.perf_counter())

    def expect(self, uri: str, version: int) -> asyncio.Future[float]:
        fut: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiting[(uri, version)] = fut
        return fut


async def session(root: Path, files: list[Path], edits: int, debounce_ms: float | None) -> dict[str, object]:
    probe = Probe()
    client = probe.client
    await client.start_io(sys.executable, "-m", "backlog_lint", "server")
    options = {} if debounce_ms is None else {"debounceMs": debounce_ms}
    started = time.perf_counter()
    await client.initialize_async(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=root.as_uri(), initialization_options=options))
    client.initialized(types.InitializedParams())
    result: dict[str, object] = {}
    for path in files:
        uri = path.as_uri()
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        opened = probe.expect(uri, 1)
        t0 = time.perf_counter()
        client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "markdown", 1, text)))
        t1 = await asyncio.wait_for(opened, 600)
        first = (t1 - (started if not result else t0)) * 1000
        lines = text.split("\n")
        end = types.Position(len(lines) - 1, len(lines[-1].encode("utf-16-le")) // 2)
        times = []
        version = 1
        for i in range(edits):
            version += 1
            typed = f"\n- [ ] BENCH-{i}: typed in the editor" if i % 2 == 0 else ""
            done = probe.expect(uri, version)
            change = types.TextDocumentContentChangePartial(types.Range(end, end if i % 2 == 0 else _after(end, i - 1)),
                                                             typed)
            t0 = time.perf_counter()
            client.text_document_did_change(types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(version=version, uri=uri), [change]))
            times.append((await asyncio.wait_for(done, 60) - t0) * 1000)
        result[path.name] = {"bytes": len(text.encode()), "first_ms": first, "change_ms": times}
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return result


def _after(end: types.Position, i: int) -> types.Position:
    """The end of the line typed by edit ``i`` (so that the next edit takes it back)."""
    return types.Position(end.line + 1, len(f"- [ ] BENCH-{i}: typed in the editor"))


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p90 = ordered[max(0, int(len(ordered) * 0.9) - 1)]
    return f"median {statistics.median(ordered):6.1f} ms, p90 {p90:6.1f} ms, max {ordered[-1]:6.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=HERE.parent.parent / "shared" / "corpus",
                        help="the shared corpus the medium corpus is built from")
    parser.add_argument("--work", type=Path, default=HERE / ".work", help="run.py's work dir")
    parser.add_argument("--root", type=Path, help="a ready workspace to use instead of the medium corpus")
    parser.add_argument("--edits", type=int, default=30)
    args = parser.parse_args()
    root = args.root.resolve() if args.root else medium_corpus(args.work, args.corpus)
    files = sorted((p for p in root.rglob("*.md") if ".backlog-lint-cache" not in p.parts),
                   key=lambda p: p.stat().st_size)
    print(f"workspace: {len(files)} files, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB")
    picks = [files[len(files) // 2], files[-1]]
    worst: dict[str, float] = {}
    for label, debounce in (("no debounce", 0.0), ("default debounce", None)):
        result = asyncio.run(session(root, picks, args.edits, debounce))
        print(f"\n{label}:")
        for name, r in result.items():
            assert isinstance(r, dict)
            times = r["change_ms"]
            print(f"  {name} ({r['bytes'] / 1000:.0f} kB): open -> diagnostics {r['first_ms']:.0f} ms; "
                  f"change -> diagnostics {summary(times)}")
            worst[label] = max(worst.get(label, 0.0), statistics.median(times))
    for label, ms in worst.items():
        verdict = "met" if ms <= TARGET_MS else "missed"
        print(f"target {TARGET_MS:.0f} ms, {label} (median of the slower file): {verdict} ({ms:.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
