"""Lower bounds ("floors") that backlog-lint's timings are compared with.

Run by benchmarks/run.py as a child process, with the same Python as backlog-lint, so
interpreter start-up and imports count exactly as they do for the real tool:

    python benchmarks/floors.py read   CORPUS_DIR   # find + read + sha256 every *.md file
    python benchmarks/floors.py parse1 CORPUS_DIR   # ... and parse it with markdown-it-py, 1 process
    python benchmarks/floors.py parse2 CORPUS_DIR   # ... the same split over 2 processes

The parser configuration is the one the issue names: CommonMark + tables + strikethrough.
Standard library only, plus markdown-it-py for the parse floors.
"""

from __future__ import annotations

import hashlib
import os
import sys


def find_files(root: str) -> list[str]:
    """Every *.md / *.markdown file under root, skipping hidden directories (caches)."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "node_modules")
        for name in sorted(filenames):
            if name.lower().endswith((".md", ".markdown")):
                out.append(os.path.join(dirpath, name))
    return out


def read_all(files: list[str]) -> int:
    total = 0
    for path in files:
        with open(path, "rb") as fh:
            data = fh.read()
        hashlib.sha256(data).digest()
        total += len(data)
    return total


def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def parse_all(files: list[str]) -> int:
    md = _parser()
    tokens = 0
    for path in files:
        with open(path, "rb") as fh:
            data = fh.read()
        hashlib.sha256(data).digest()
        tokens += len(md.parse(data.decode("utf-8", "replace")))
    return tokens


def balanced_chunks(files: list[str], n: int) -> list[list[str]]:
    """Split files into n chunks of about equal bytes (largest first, to the lightest chunk)."""
    chunks: list[list[str]] = [[] for _ in range(n)]
    loads = [0] * n
    for path in sorted(files, key=lambda p: -os.path.getsize(p)):
        i = loads.index(min(loads))
        chunks[i].append(path)
        loads[i] += os.path.getsize(path)
    return [c for c in chunks if c]


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("read", "parse1", "parse2"):
        print(__doc__, file=sys.stderr)
        return 2
    mode, root = argv
    files = find_files(root)
    if mode == "read":
        result = read_all(files)
    elif mode == "parse1":
        result = parse_all(files)
    else:
        import multiprocessing

        chunks = balanced_chunks(files, 2)
        with multiprocessing.get_context("fork").Pool(len(chunks)) as pool:
            result = sum(pool.map(parse_all, chunks, chunksize=1))
    print(f"{mode}: {len(files)} files, result {result}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
