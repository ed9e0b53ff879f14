"""The rule catalog: rules chosen by code without importing their modules, never missing one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from backlog_lint.rules import ALL_RULES
from backlog_lint.rules._registry import CATALOG, catalog_text, module_names, rule_refs

PACKAGE = Path(__file__).resolve().parent.parent / "backlog_lint"


def test_catalog__is_up_to_date() -> None:
    """Every rule module is in the catalog with its metadata as it is now."""
    text = (PACKAGE / "rules" / CATALOG).read_text(encoding="utf-8")
    listed = sorted({line.split("\t", 1)[0] for line in text.splitlines()[1:]})
    assert listed == module_names(), "a rule module is missing from the catalog (or one is gone)"
    assert text == catalog_text(), f"rules/{CATALOG} is stale: run `python -m backlog_lint.gendocs`"


def test_rule_refs__the_same_rules_as_the_modules_define() -> None:
    real = [(r.code, r.name, r.check.__module__.rsplit(".", 1)[1], r.fixable, r.severity, r.preview, r.per_file,
             r.after_suppressions) for r in ALL_RULES]
    refs = [(r.code, r.name, r.module, r.fixable, r.severity, r.preview, r.per_file, r.after_suppressions)
            for r in rule_refs()]
    assert refs == real
    ref = rule_refs()[0]
    assert ref.check is ALL_RULES[0].check and ref.summary == ALL_RULES[0].summary


def _probe(code: str, cwd: Path, pythonpath: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(pythonpath), "PATH": "/usr/bin:/bin", "HOME": str(cwd)})


def test_choosing_rules__imports_no_rule_module(tmp_path: Path) -> None:
    probe = ("import sys\nfrom pathlib import Path\nfrom backlog_lint import pipeline, selection\n"
             "from backlog_lint.config import Config\n"
             "rules = pipeline.select_rules(Config(root=Path('.')), ('ALL',))\n"
             "assert len(rules) > 50 and not selection.unknown_selectors(['BL1', 'ALL'])\n"
             "print(sorted(m for m in sys.modules if m.startswith('backlog_lint.rules.')"
             " and not m.rsplit('.', 1)[1].startswith('_')))\n")
    out = _probe(probe, tmp_path, PACKAGE.parent)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_a_module_the_catalog_does_not_know__is_described_from_its_source(tmp_path: Path) -> None:
    """A stale catalog costs imports, never a rule: a changed module is read as it is now."""
    import shutil

    copy = tmp_path / "backlog_lint"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    module = next(m for m in module_names() if m != "unknown_value")
    target = copy / "rules" / f"{module}.py"
    text = target.read_text(encoding="utf-8")
    ref = next(r for r in rule_refs() if r.module == module)
    assert f'"{ref.name}"' in text
    target.write_text(text.replace(f'"{ref.name}"', '"renamed-for-the-test"', 1), encoding="utf-8")
    probe = ("from backlog_lint.rules._registry import rule_refs\n"
             f"print([r.name for r in rule_refs() if r.code == {ref.code!r}])\n")
    out = _probe(probe, tmp_path, tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "['renamed-for-the-test']"
