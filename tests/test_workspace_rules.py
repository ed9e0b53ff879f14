"""Workspace rules (BL3xx-BL5xx) on multi-file fixture projects, the seeds and the public corpus.

Fixture projects live in tests/fixtures/workspaces/<case>/: the Markdown files of a small
project plus ``expected.txt`` listing the findings as ``path:line:col CODE`` lines.
Comment lines at the top of expected.txt configure the run:

    # select: BL301,BL302     rules to run (required)
    # checked: a.md           files passed on the command line (default: the whole project)

An optional ``config.toml`` in the case folder is used as the project's .backlog-lint.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from backlog_lint import pipeline
from backlog_lint.diagnostics import Diagnostic
from tests.conftest import PUBLIC, seed
from tests.helpers import NEEDS_A_BASE, brief, config_for, lint_tree

FIXTURES = Path(__file__).parent / "fixtures" / "workspaces"
WORKSPACE_CODES = ("BL3", "BL4", "BL5")


def _cases() -> list[Path]:
    return sorted(p for p in FIXTURES.iterdir() if (p / "expected.txt").is_file()) if FIXTURES.is_dir() else []


def _read_case(case: Path) -> tuple[dict[str, str], list[str], tuple[str, ...], list[str] | None, str | None]:
    files: dict[str, str] = {}
    for p in sorted(case.rglob("*")):
        if p.is_file() and p.name not in ("expected.txt", "config.toml"):
            files[p.relative_to(case).as_posix()] = p.read_text(encoding="utf-8")
    select: tuple[str, ...] = ()
    checked: list[str] | None = None
    expected: list[str] = []
    for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("# select:"):
            select = tuple(c.strip() for c in line.split(":", 1)[1].split(","))
        elif line.startswith("# checked:"):
            checked = [c.strip() for c in line.split(":", 1)[1].split(",")]
        elif line.strip() and not line.startswith("#"):
            expected.append(line.strip())
    toml = (case / "config.toml").read_text(encoding="utf-8") if (case / "config.toml").is_file() else None
    if toml is not None and "include" not in toml:
        toml = 'include = ["**/*.md"]\n' + toml
    assert select, f"{case.name}/expected.txt needs a '# select:' line"
    return files, expected, select, checked, toml


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.name)
def test_fixture_workspace(case: Path, tmp_path: Path) -> None:
    files, expected, select, checked, toml = _read_case(case)
    diags = lint_tree(tmp_path, files, select=select, checked=checked, toml=toml)
    assert sorted(brief(diags)) == sorted(expected), "\n".join(f"{b}  {d.message}" for b, d in
                                                              zip(brief(diags), diags, strict=True))


def test_every_workspace_rule_has_a_fixture() -> None:
    from backlog_lint.rules import ALL_RULES

    covered: set[str] = set()
    for case in _cases():
        covered.update(line.split()[-1] for line in _read_case(case)[1])
    missing = [r.code for r in ALL_RULES if r.code >= "BL301" and r.code not in covered | NEEDS_A_BASE]
    assert not missing, f"no fixture finding for {missing}"


# --------------------------------------------------------------------------- the corpus


def lint_project(src: Path, tmp_path: Path, select: tuple[str, ...] = WORKSPACE_CODES) -> list[Diagnostic]:
    """Copy one corpus file or folder into an empty project (every .md included) and lint it."""
    if src.is_dir():
        shutil.copytree(src, tmp_path / src.name)
    else:
        shutil.copy(src, tmp_path / src.name)
    cfg = config_for(tmp_path, 'include = ["**/*.md"]\npreview = true\n')  # preview rules are asserted too
    run = pipeline.Pipeline.create(cfg, select=select, cwd=tmp_path)
    return run.check(run.files([]), reuse=False).diagnostics


def _found(diags: list[Diagnostic], code: str) -> list[Diagnostic]:
    return [d for d in diags if d.code == code]


def test_seed_003__duplicate_title_and_undefined_labels(tmp_path: Path) -> None:
    diags = lint_project(seed("003"), tmp_path)
    dup = _found(diags, "BL302")
    assert [(d.span.line, d.related[0][1].line) for d in dup] == [(73, 60)]
    assert "Optional read-only route peek" in dup[0].message
    labels = _found(diags, "BL501")
    assert sorted(d.message.split("'")[1] for d in labels) == ["perf", "qa"]


def test_seed_002__broken_spec_link_mixed_scales_and_no_spec_dangling(tmp_path: Path) -> None:
    diags = lint_project(seed("002"), tmp_path)
    links = _found(diags, "BL305")
    assert [d.span.line for d in links] == [13]
    assert ".specflow/specs/SPEC-038.md" in links[0].message
    scales = _found(diags, "BL503")
    assert any("scale" in d.message for d in scales)
    assert any("marks P1 with" in d.message for d in scales)
    assert not [d for d in _found(diags, "BL304") if "SPEC-038" in d.message]


def test_seed_002__execution_order_index(tmp_path: Path) -> None:
    """Equal values in the Execution Order table (🔴 P1 = P1, wave -1, '4-6 hours' = '4-6 hours (...)') are
    not reported; its Unlocks column, which misses TODO-055's dependency on TODO-051, is. TODO-055 also names
    TODO-052, "(interceptor pipeline fix — independent but same wave)": the item says itself that it does not
    depend on it, so TODO-052's row need not list it (reviewed on the ecosystem corpus as a false positive)."""
    diags = _found(lint_project(seed("002"), tmp_path, ("BL308",)), "BL308")
    assert [(d.span.line, "TODO-055" in d.message, "TODO-051" in d.message) for d in diags] == [(453, True, True)]


def _public(name: str) -> Path:
    path = PUBLIC / name
    if not path.exists():
        pytest.skip("public corpus not available")
    return path


def test_public__callumk7_duplicate_and_case_drift(tmp_path: Path) -> None:
    diags = lint_project(_public("Callumk7__game_master_core__backlog__tasks"), tmp_path)
    dup = _found(diags, "BL301")
    assert len(dup) == 1 and "'task-037'" in dup[0].message
    assert "task-037" in dup[0].related[0][0] or "task-037" in dup[0].path
    drift = _found(diags, "BL309")
    assert sorted(Path(d.path).name[:8] for d in drift) == ["task-003", "task-037", "task-037"]
    assert all("TASK-" in d.message for d in drift)


def test_public__posthog_summary_checklist_against_plans(tmp_path: Path) -> None:
    diags = lint_project(_public("PostHog__posthog-vscode__.planning__ROADMAP.md"), tmp_path)
    # the summary checklist (lines 15-17) and the progress table check phases whose plans are all open:
    # done with open tasks, reported at each phase's heading and naming the summary line
    done = _found(diags, "BL401")
    assert [(d.span.line, " ".join(d.message.split()[:2])) for d in done] == [
        (23, "Phase 1"), (40, "Phase 2"), (55, "Phase 3")]
    assert all("summary checklist checks it on line 1" in d.message for d in done)
    # the summary checklist says nothing BL405 reports; the progress row "1/2 | Complete" (line 101) contradicts itself
    assert [d.span.line for d in _found(diags, "BL405")] == [101]


def _projects() -> list[Path]:
    from tests.conftest import SEEDS, public_projects

    seeds = sorted(SEEDS.glob("*.md")) if SEEDS.is_dir() else []
    return seeds + public_projects()


@pytest.mark.parametrize("project", _projects(), ids=lambda p: p.name[:50])
def test_corpus__workspace_rules_run_and_stay_in_bounds(project: Path, tmp_path: Path) -> None:
    diags = lint_project(project, tmp_path)
    docs = {p.relative_to(tmp_path).as_posix(): p.read_text(encoding="utf-8", errors="replace").splitlines()
            for p in tmp_path.rglob("*.md")}
    for d in diags:
        lines = docs[d.path]
        assert 1 <= d.span.line <= max(len(lines), 1), d
        assert d.message and "None" not in d.message, d
