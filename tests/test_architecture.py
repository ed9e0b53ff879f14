"""The shape of the code: layers without import circles, small modules, one home for each rule code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from backlog_lint.rules import ALL_RULES

PACKAGE = Path(__file__).resolve().parent.parent / "backlog_lint"
MAX_LINES = 400
_CODE_RE = re.compile(r"^BL\d{3}$")


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _top_level_imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Modules of the package this one imports when it is imported (not inside functions or TYPE_CHECKING)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            targets = [base, *(f"{base}.{a.name}" for a in node.names)]
        for t in targets:
            if t in known and t != name:
                out.add(t)
    return out


def test_architecture__no_import_circles() -> None:
    modules = _modules()
    known = set(modules)
    graph = {name: _top_level_imports(name, path, known) for name, path in modules.items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            circle = visit(node)
            assert circle is None, f"import circle: {' -> '.join(circle)}"


def test_architecture__modules_stay_small() -> None:
    big = {str(p.relative_to(PACKAGE.parent)): n for p in PACKAGE.rglob("*.py")
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not big, f"modules over {MAX_LINES} lines: {big}"


def test_architecture__rule_codes_only_in_their_own_module() -> None:
    """A rule is named by its code in its own module (and the docs); elsewhere code refers to the rule object."""
    owner = {r.code: r.check.__module__ for r in ALL_RULES}
    found = []
    for name, path in _modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, ast.Module | ast.FunctionDef | ast.ClassDef) and n.body
                      and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and _CODE_RE.match(node.value)
                    and id(node) not in docstrings and owner.get(node.value) != name):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {node.value!r}")
    assert not found, found


def test_adding_a_rule_takes_one_module(tmp_path: Path) -> None:
    """The worked example of docs/architecture.md: its rule module, dropped into a copy of the
    package and nothing else, is registered, selectable and finds what its docstring says."""
    import shutil
    import subprocess
    import sys

    doc = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    example = re.search(r"`backlog_lint/rules/(\w+)\.py`:\n\n```python\n(.*?)\n```\n\n- ", doc, re.DOTALL)
    assert example is not None, "docs/architecture.md lost its worked example"
    name, code = example.group(1), example.group(2)
    copy = tmp_path / "backlog_lint"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(PACKAGE.parent / "schemas", tmp_path / "schemas")
    (copy / "rules" / f"{name}.py").write_text(code + "\n", encoding="utf-8")
    (tmp_path / "BACKLOG.md").write_text("# Backlog\n\n- [ ] FIXME export\n- [ ] Export the board\n",
                                         encoding="utf-8")
    probe = ("import backlog_lint, sys; from backlog_lint.rules import BY_CODE\n"
             f"assert backlog_lint.__file__.startswith({str(tmp_path)!r}), backlog_lint.__file__\n"
             "r = BY_CODE['BL199']; assert r.per_file\n"
             "report = backlog_lint.check(['BACKLOG.md'], select=['BL199'])\n"
             "print([(f.code, f.span.line, f.span.col) for f in report.findings])\n")
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True,
                         env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[('BL199', 3, 3)]"  # the entry's title span


def test_model__holds_the_text_not_the_run(tmp_path: Path) -> None:
    """Rule output and file paths stay off the model: a document is a function of its bytes and display
    path, so the same file read from two folders (and checked or not) gives the same pickled model."""
    import pickle

    from backlog_lint import pipeline
    from backlog_lint.config import Config

    text = b"# Backlog\n\n## T-1: Ship it\n\n- **Status:** Dnoe\n\n- [ ] open box\n\n#### skipped level\n"
    models = []
    for folder in ("one", "two/deeper"):
        path = tmp_path / folder / "BACKLOG.md"
        path.parent.mkdir(parents=True)
        path.write_bytes(text)
        parsed = pipeline.load_documents(Config(root=path.parent), [(path, "BACKLOG.md")], findings=True)
        assert parsed.findings["BACKLOG.md"], "the per-file rules ran"  # ... beside the model, not in it
        assert parsed.locations == {"BACKLOG.md": str(path)}
        models.append(pickle.dumps(parsed.documents[0], protocol=pickle.HIGHEST_PROTOCOL))
    assert models[0] == models[1]


PARSER_MAX_LINES = 300  # one convention per recogniser module (issue 14): a newcomer reads one in a sitting


def test_architecture__parser_recognisers_stay_within_300_lines() -> None:
    big = {p.name: n for p in (PACKAGE / "parser").glob("*.py")
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > PARSER_MAX_LINES}
    assert not big, f"parser modules over {PARSER_MAX_LINES} lines: {big}"
