"""The GitHub Action: action.yml's shape, and scripts/action.sh run as a runner would run it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO
from tests.helpers import write_tree

ACTION = REPO / "action.yml"
SCRIPT = REPO / "scripts" / "action.sh"
BIN = Path(sys.executable).parent  # the virtualenv's bin folder: backlog-lint and python live there

# Findings of every severity in BACKLOG.md: BL101 and BL202 (errors; the status value has a
# '%', which the message must escape), BL304 and BL102 (warnings), BL204 (info).
BROKEN = """# Backlog

| ID | Title | Status |
|----|-------|--------|
| T-1 | Cache parsed models | Todo | extra |

### T-2: Parallel parsing
- **Status:** 50%
- **Prio:** P1
- **Dependencies:** T-9

---

---
"""

STATUS_SCHEMA = '{"type": "object", "properties": {"status": {"enum": ["todo", "in-progress", "done"]}}}\n'

# A file name that needs escaping in the `file=` property: ',' -> %2C, '%' -> %25.
ODD_NAME = "TODO,100%.md"
ODD = """# Todo

---

---
"""

CLEAN = """# Backlog

### T-1: Cache parsed models
- **Status:** Done
- **Priority:** P1
"""

pytestmark = [pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not available"),
              pytest.mark.slow]  # end-to-end: the real action script; not in the fast loop


# --- action.yml --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def action() -> dict:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def test_action__is_composite_with_documented_inputs(action: dict) -> None:
    assert action["name"] == "backlog-lint"
    assert action["description"]
    assert action["runs"]["using"] == "composite"
    inputs = action["inputs"]
    assert set(inputs) == {"paths", "args", "fail-on-findings", "sarif-file", "python-version", "command", "base"}
    defaults = {name: spec["default"] for name, spec in inputs.items()}
    assert defaults == {"paths": "", "args": "", "fail-on-findings": "true", "sarif-file": "",
                        "python-version": "3.11", "command": "check", "base": "auto"}
    outputs = action["outputs"]
    assert {name: spec["value"] for name, spec in outputs.items()} == {
        "findings": "${{ steps.run.outputs.findings }}", "errors": "${{ steps.run.outputs.errors }}",
        "sarif-file": "${{ steps.run.outputs.sarif-file }}"}
    assert all(spec["description"].strip() for spec in outputs.values())
    assert next(s for s in action["runs"]["steps"] if "scripts/action.sh" in s.get("run", ""))["id"] == "run"
    for name, spec in inputs.items():
        assert spec["description"].strip(), name
        assert spec.get("required") is False, name


def test_action__steps_set_up_python_install_from_checkout_and_run_the_script(action: dict) -> None:
    steps = action["runs"]["steps"]
    setup = [s for s in steps if "uses" in s]
    assert [s["uses"] for s in setup] == ["actions/setup-python@v5"]  # pinned to a major version
    assert setup[0]["with"]["python-version"] == "${{ inputs.python-version }}"
    runs = [s for s in steps if "run" in s]
    assert all(s["shell"] == "bash" for s in runs)
    install = next(s for s in runs if "pip install" in s["run"])
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    assert '"$ACTION_PATH"' in install["run"]
    script = runs[-1]
    assert "scripts/action.sh" in script["run"]
    assert steps.index(setup[0]) < steps.index(install) < steps.index(script)
    # Every input but python-version reaches the script as INPUT_<NAME>.
    for name in set(action["inputs"]) - {"python-version"}:
        assert script["env"][f"INPUT_{name.upper().replace('-', '_')}"] == f"${{{{ inputs.{name} }}}}"


def test_action__no_expression_is_spliced_into_a_script(action: dict) -> None:
    """Inputs go through env: `${{ inputs.args }}` inside `run:` would be shell injection."""
    for step in action["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step["name"]


def test_action__script_is_bash_strict_and_executable() -> None:
    text = SCRIPT.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "\nset -euo pipefail\n" in text
    assert os.access(SCRIPT, os.X_OK)
    assert subprocess.run(["bash", "-n", str(SCRIPT)], check=False).returncode == 0


# --- scripts/action.sh -------------------------------------------------------------------------


class Run:
    def __init__(self, proc: subprocess.CompletedProcess[str], summary: Path) -> None:
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr
        self.summary = summary.read_text(encoding="utf-8") if summary.exists() else ""

    def annotations(self, kind: str) -> list[str]:
        return [line for line in self.out.splitlines() if line.startswith(f"::{kind} ")]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    if not (BIN / "backlog-lint").exists():
        pytest.skip("backlog-lint is not installed next to the running Python")
    ws = tmp_path / "workspace"
    ws.mkdir()
    # BL204 (a preview rule) is selected: these tests want an info-level finding with a safe fix
    (ws / ".backlog-lint.toml").write_text('extend-select = ["BL204"]\n', encoding="utf-8")
    (tmp_path / "runner-temp").mkdir()
    return ws


def action_sh(workspace: Path, env_extra: dict[str, str] | None = None, **inputs: str) -> Run:
    """Run the script with what a runner sets; `inputs` by input name with '_' for '-'."""
    runner_temp = workspace.parent / "runner-temp"
    summary = runner_temp / "step-summary.md"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("INPUT_", "GITHUB_", "RUNNER_")) and k not in ("BACKLOG_LINT", "PYTHON")}
    env.update({
        "PATH": os.pathsep.join([str(BIN), env.get("PATH", "")]),
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(runner_temp),
        "NO_COLOR": "1",
    })
    env.update({f"INPUT_{name.upper()}": value for name, value in inputs.items()})
    env.update(env_extra or {})
    proc = subprocess.run(["bash", str(SCRIPT)], cwd=runner_temp, env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    return Run(proc, summary)


def test_action_sh__findings_annotate_summarise_and_fail(workspace: Path) -> None:
    # a schema of the project's own, so that BL202 reports the '%' status value as an error
    write_tree(workspace, {"BACKLOG.md": BROKEN, ODD_NAME: ODD, "item.schema.json": STATUS_SCHEMA,
                           ".backlog-lint.toml": 'extend-select = ["BL204"]\nschema = "item.schema.json"\n'})
    run = action_sh(workspace, sarif_file="reports/backlog-lint.sarif")
    assert run.code == 1, run.err

    errors = run.annotations("error")
    assert "::error file=BACKLOG.md,line=5,col=1,endLine=5,endColumn=44,title=BL101 table-cell-count::" \
           "table row has 4 cells but its header has 3" in errors[0]
    assert errors[1].startswith("::error file=BACKLOG.md,line=8,col=15,")
    assert "::Status '50%25' is not allowed" in errors[1]  # '%' escaped in the message
    warnings = run.annotations("warning")
    assert any(w.startswith("::warning file=BACKLOG.md,line=10,") and "BL304" in w for w in warnings)
    assert any(w.startswith("::warning file=BACKLOG.md,line=14,col=1,") and "BL102" in w for w in warnings)
    assert any(w.startswith("::warning file=TODO%2C100%25.md,line=5,") for w in warnings)  # escaped property
    assert [n.split(",")[0] for n in run.annotations("notice")] == ["::notice file=BACKLOG.md"]
    assert "backlog-lint: errors: 2, warnings: 3, notices: 1" in run.out

    assert run.summary.startswith("## backlog-lint\n")
    assert "| Location | Rule | Severity | Message |" in run.summary
    assert "| [BACKLOG.md:5](BACKLOG.md#L5) | BL101 | error |" in run.summary
    assert "[TODO,100%.md:5](TODO%2C100%25.md#L5)" in run.summary
    assert "[!NOTE]" not in run.summary  # few annotations: GitHub shows them all

    sarif = json.loads((workspace / "reports" / "backlog-lint.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    assert len(results) == 6
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {"BACKLOG.md", "TODO%2C100%25.md"}  # relative to the workspace: code scanning finds them
    from tests.test_report import sarif_validator

    assert sarif_validator().is_valid(sarif)
    assert list((workspace.parent / "runner-temp").iterdir()) == [workspace.parent / "runner-temp" / "step-summary.md"]


def test_action_sh__fail_on_findings_false_reports_but_passes(workspace: Path) -> None:
    write_tree(workspace, {"BACKLOG.md": BROKEN})
    run = action_sh(workspace, fail_on_findings="false")
    assert run.code == 0, run.err
    assert run.annotations("error") and "BL101" in run.summary
    assert not (workspace / "reports").exists()  # no sarif-file: no SARIF


def test_action_sh__clean_backlog_passes(workspace: Path) -> None:
    write_tree(workspace, {"BACKLOG.md": CLEAN})
    run = action_sh(workspace, sarif_file="out.sarif")
    assert run.code == 0, run.err
    assert not re.search(r"^::", run.out, re.M)
    assert "backlog-lint: errors: 0, warnings: 0, notices: 0" in run.out
    assert run.summary == "## backlog-lint\n\nNo problems found.\n"
    sarif = json.loads((workspace / "out.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"] == []


def test_action_sh__info_findings_do_not_fail(workspace: Path) -> None:
    write_tree(workspace, {"BACKLOG.md": CLEAN.replace("**Priority:**", "**Prio:**")})
    run = action_sh(workspace)
    assert run.code == 0, run.err
    assert len(run.annotations("notice")) == 1


def test_action_sh__summary_is_appended_not_replaced(workspace: Path) -> None:
    write_tree(workspace, {"BACKLOG.md": CLEAN})
    summary = workspace.parent / "runner-temp" / "step-summary.md"
    summary.write_text("## Earlier step\n\n", encoding="utf-8")
    run = action_sh(workspace)
    assert run.summary == "## Earlier step\n\n## backlog-lint\n\nNo problems found.\n"


def test_action_sh__more_than_ten_annotations_noted_in_summary(workspace: Path) -> None:
    write_tree(workspace, {"BACKLOG.md": "# Backlog\n\n" + "---\n\n" * 13})  # 12 repeated breaks
    run = action_sh(workspace, sarif_file="backlog-lint.sarif")
    assert run.code == 1
    assert len(run.annotations("warning")) == 12
    assert "> [!NOTE]\n> GitHub shows at most 10 annotations of each type per step: 2 of 12 warnings are not " \
           "annotated on the pull request." in run.summary
    assert "annotated on the pull request. The table above, the SARIF report (code scanning) and the step log " \
           "list them.\n" in run.summary
    assert run.summary.count("| BL102 | warning |") == 12


def test_action_sh__note_on_a_cut_table_does_not_claim_it_lists_everything(workspace: Path) -> None:
    write_tree(workspace, {"BACKLOG.md": "# Backlog\n\n" + "---\n\n" * 203})  # 202 repeated breaks
    run = action_sh(workspace)
    assert run.code == 1
    assert "202 warnings are not annotated on the pull request. The step log lists all 202 findings; the table " \
           "above shows the first 200.\n" in run.summary
    assert "Only the first 200 of 202 problems are listed here" in run.summary


def test_action_sh__paths_and_args_are_shell_words(workspace: Path) -> None:
    write_tree(workspace, {"BACKLOG.md": BROKEN, "docs/my tasks/TODO.md": ODD})
    run = action_sh(workspace, paths="'docs/my tasks/TODO.md'", args="--select 'BL1'")
    assert run.code == 1, run.err
    files = {line.split(",")[0].split("file=")[1] for line in run.out.splitlines() if line.startswith("::")}
    assert files == {"docs/my tasks/TODO.md"}

    run = action_sh(workspace, paths="BACKLOG.md\n", args="--select BL2 --ignore BL202 --preview")
    codes = re.findall(r"title=(BL\d+)", run.out)
    assert codes == ["BL204"] and run.code == 0  # only an info finding is left

    run = action_sh(workspace, paths="'$HOME' *.md")  # no expansion: both are literal (missing) paths
    assert run.code == 2
    assert "$HOME: no such file or directory" in run.err


@pytest.mark.parametrize(("inputs", "message"), [
    ({"fail_on_findings": "maybe"}, "input fail-on-findings must be true or false, not 'maybe'"),
    ({"args": "--output-format=json"}, "input args cannot contain --output-format=json"),
    ({"args": "--fix"}, "input args cannot contain --fix"),
    ({"paths": "'unclosed"}, "cannot split INPUT_PATHS into words (No closing quotation)"),
    ({"args": "--no-such-option"}, "backlog-lint check --output-format github failed with exit code 2"),
])
def test_action_sh__bad_inputs_exit_2(workspace: Path, inputs: dict[str, str], message: str) -> None:
    write_tree(workspace, {"BACKLOG.md": CLEAN})
    run = action_sh(workspace, **{"fail_on_findings": "false", **inputs})
    assert run.code == 2
    assert f"::error title=backlog-lint::{message}" in run.out


def test_action_sh__configuration_error_fails_even_without_fail_on_findings(workspace: Path) -> None:
    write_tree(workspace, {"BACKLOG.md": CLEAN, ".backlog-lint.toml": "no-such-key = 1\n"})
    run = action_sh(workspace, fail_on_findings="false")
    assert run.code == 2
    assert "no-such-key" in run.err
    assert "::error title=backlog-lint::backlog-lint check --output-format github failed with exit code 2" in run.out
    assert run.summary == ""


# --- pull requests, outputs, format-check ------------------------------------------------------

def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c",
                           "commit.gpgsign=false", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout.strip()


OLD_PROBLEM = CLEAN + "\n---\n\n---\n"  # a repeated break (BL102, line 9) already on the base branch


def pull_request(workspace: Path, tmp_path: Path, *, depth: int | None = None) -> dict[str, str]:
    """A repository like actions/checkout leaves it for a pull request: the base branch `main` with an
    old problem, the PR branch adding a new one; the runner's event payload. Returns the runner's env."""
    origin = tmp_path / "origin"
    origin.mkdir()
    git(origin, "init", "-q", "-b", "main")
    write_tree(origin, {"BACKLOG.md": OLD_PROBLEM})
    git(origin, "add", "-A")
    git(origin, "commit", "-qm", "backlog")
    base_sha = git(origin, "rev-parse", "HEAD")
    git(origin, "checkout", "-qb", "feature")
    write_tree(origin, {"BACKLOG.md": OLD_PROBLEM + "\n### T-2: Parallel parsing\n- **Dependencies:** T-9\n"})
    git(origin, "commit", "-qam", "add T-2")
    clone = ["clone", "-q", "--no-single-branch"] + ([f"--depth={depth}"] if depth else [])
    shutil.rmtree(workspace)
    git(tmp_path, *clone, f"file://{origin}", str(workspace))
    git(workspace, "checkout", "-q", "feature")
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"action": "opened", "number": 7, "pull_request": {
        "number": 7, "base": {"ref": "main", "sha": base_sha}, "head": {"ref": "feature"}}}), encoding="utf-8")
    output = tmp_path / "github-output.txt"
    return {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": str(event), "GITHUB_BASE_REF": "main",
            "GITHUB_HEAD_REF": "feature", "GITHUB_OUTPUT": str(output), "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_REPOSITORY": "octo/backlog", "GITHUB_SHA": git(workspace, "rev-parse", "HEAD")}


def outputs(env: dict[str, str]) -> dict[str, str]:
    text = Path(env["GITHUB_OUTPUT"]).read_text(encoding="utf-8")
    return dict(line.split("=", 1) for line in text.splitlines())


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_action_sh__pull_request_annotates_the_change_and_summarises_everything(workspace: Path,
                                                                               tmp_path: Path) -> None:
    env = pull_request(workspace, tmp_path)
    run = action_sh(workspace, env, sarif_file="backlog-lint.sarif")
    assert run.code == 1, run.out + run.err
    assert "pull-request mode: annotating what changed since" in run.out
    annotated = run.annotations("warning") + run.annotations("error") + run.annotations("notice")
    assert [a.split(",")[1] for a in annotated] == ["line=12"]  # T-9 on the new line, not the old break
    assert "BL304" in annotated[0]
    assert "| BL102 | warning |" in run.summary and "| BL304 | warning |" in run.summary  # everything
    assert "(https://github.com/octo/backlog/blob/" in run.summary  # links that resolve from the run page
    sarif = json.loads((workspace / "backlog-lint.sarif").read_text(encoding="utf-8"))
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} == {"BL102", "BL304"}
    assert outputs(env) == {"findings": "1", "errors": "0", "sarif-file": "backlog-lint.sarif"}


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_action_sh__pull_request_old_problems_do_not_fail(workspace: Path, tmp_path: Path) -> None:
    env = pull_request(workspace, tmp_path)
    write_tree(workspace, {"BACKLOG.md": OLD_PROBLEM})  # the change now only removes T-2 again
    git(workspace, "commit", "-qam", "drop T-2")
    run = action_sh(workspace, env)
    assert run.code == 0, run.out + run.err
    assert outputs(env)["findings"] == "0"
    assert "| BL102 | warning |" in run.summary  # still in the summary
    run = action_sh(workspace, env, base="")  # the whole project, as on a push
    assert run.code == 1 and run.annotations("warning")


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_action_sh__shallow_pull_request_checkout_says_fetch_depth_0(workspace: Path, tmp_path: Path) -> None:
    env = pull_request(workspace, tmp_path, depth=1)
    run = action_sh(workspace, env)
    assert run.code == 2
    assert "fetch-depth: 0" in run.err
    assert "::error title=backlog-lint::backlog-lint check --output-format github failed with exit code 2" in run.out


def test_action_sh__format_check_annotates_files_to_reformat(workspace: Path, tmp_path: Path) -> None:
    canonical = "# Backlog\n\n### T-1: Cache parsed models\n\n- **Status:** Done\n"
    write_tree(workspace, {"BACKLOG.md": canonical, "docs/TODO.md": "# Todo\n* one\n"})
    output = tmp_path / "out.txt"
    run = action_sh(workspace, {"GITHUB_OUTPUT": str(output)}, command="format-check")
    assert run.code == 1, run.out + run.err
    assert run.annotations("error") == ["::error file=docs/TODO.md,title=backlog-lint format::not formatted "
                                        "canonically: run `backlog-lint format docs/TODO.md` and commit the result"]
    assert "1 file(s) would be reformatted" in run.summary and "- `docs/TODO.md`" in run.summary
    assert output.read_text(encoding="utf-8") == "findings=1\nerrors=1\nsarif-file=\n"
    write_tree(workspace, {"docs/TODO.md": "# Todo\n\n- one\n"})
    run = action_sh(workspace, command="format-check")
    assert run.code == 0 and "Every file is formatted canonically." in run.summary


def test_action_sh__unknown_command_exit_2(workspace: Path) -> None:
    write_tree(workspace, {"BACKLOG.md": CLEAN})
    run = action_sh(workspace, command="lint")
    assert run.code == 2 and "input command must be check or format-check, not 'lint'" in run.out
