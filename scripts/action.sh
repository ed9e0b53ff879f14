#!/usr/bin/env bash
# The logic of the backlog-lint GitHub Action (action.yml). Runnable outside GitHub: it
# reads the action's inputs from INPUT_* variables and the runner's GITHUB_* variables.
#
#   INPUT_PATHS             files/folders to check, shell-quoted words; empty = the whole project
#   INPUT_ARGS              extra `backlog-lint check` options, shell-quoted words (e.g. --select BL1)
#   INPUT_FAIL_ON_FINDINGS  "true" (default): exit 1 when problems are found; "false": exit 0
#   INPUT_SARIF_FILE        when set, also write a SARIF 2.1.0 report to this path
#   GITHUB_WORKSPACE        where to run (annotation paths are relative to it); default: here
#   GITHUB_STEP_SUMMARY     where the Markdown report is appended; skipped when unset
#   RUNNER_TEMP             scratch space; default: TMPDIR or /tmp
#   BACKLOG_LINT            the backlog-lint executable; default: backlog-lint from PATH
#   PYTHON                  a Python to split the inputs into words; default: python from PATH
#
# It runs `backlog-lint check` once per report: `github` annotations to stdout, `markdown`
# appended to the step summary, `sarif` to INPUT_SARIF_FILE. INPUT_ARGS go to every run, so
# they must not choose the report (--output-format, --output-file) or change files (--fix,
# --diff). Exit codes: 0 no problems (or fail-on-findings is false), 1 problems found, 2
# usage or configuration error (bad inputs included), 3 internal error in backlog-lint; 2
# and 3 fail the step whatever fail-on-findings says.
set -euo pipefail

fail() {  # fail CODE MESSAGE: an error annotation (message escaped like actions/toolkit), then exit
  local message=${2//%/%25}
  message=${message//$'\r'/%0D}
  message=${message//$'\n'/%0A}
  printf '::error title=backlog-lint::%s\n' "$message"
  exit "$1"
}

# Split a shell-quoted string into words like a POSIX shell, but without any expansion (no
# globs, variables or command substitution): Python's shlex, since backlog-lint runs on Python.
python=${PYTHON:-$(command -v python || command -v python3)} || fail 2 "python is not on PATH"

read_words() {  # read_words INPUT_NAME: fills the array WORDS from that variable
  WORDS=()
  local file="$tmp_dir/words" word
  "$python" -c '
import shlex, sys
try:
    words = shlex.split(sys.argv[1])
except ValueError as exc:
    sys.exit(f"{exc}")
sys.stdout.write("".join(w + "\0" for w in words))' "${!1:-}" >"$file" 2>"$file.err" ||
    fail 2 "cannot split $1 into words ($(cat "$file.err")): ${!1:-}"
  while IFS= read -r -d '' word; do WORDS+=("$word"); done <"$file"
}

case "$(printf '%s' "${INPUT_FAIL_ON_FINDINGS:-true}" | tr '[:upper:]' '[:lower:]')" in
  true | yes | on | 1) fail_on_findings=true ;;
  false | no | off | 0) fail_on_findings=false ;;
  *) fail 2 "input fail-on-findings must be true or false, not '${INPUT_FAIL_ON_FINDINGS}'" ;;
esac

if [[ -n "${GITHUB_WORKSPACE:-}" ]]; then
  cd "$GITHUB_WORKSPACE"
fi

tmp_root=${RUNNER_TEMP:-${TMPDIR:-/tmp}}
tmp_dir=$(mktemp -d "$tmp_root/backlog-lint.XXXXXX")
trap 'rm -rf "$tmp_dir"' EXIT

read_words INPUT_PATHS
paths=(${WORDS[@]+"${WORDS[@]}"})
read_words INPUT_ARGS
args=(${WORDS[@]+"${WORDS[@]}"})
for arg in ${args[@]+"${args[@]}"}; do
  case "$arg" in
    --output-format* | --output-file* | --fix | --diff)
      fail 2 "input args cannot contain $arg: the action chooses the reports and never changes files" ;;
  esac
done
tool=${BACKLOG_LINT:-backlog-lint}

run() {  # run FORMAT OUTPUT_FILE: backlog-lint check; sets RC (0 or 1), fails the step on 2, 3, ...
  RC=0
  "$tool" check --no-color --output-format "$1" ${args[@]+"${args[@]}"} -- ${paths[@]+"${paths[@]}"} \
    >"$2" || RC=$?
  if ((RC > 1)); then
    cat "$2"
    fail "$RC" "backlog-lint check --output-format $1 failed with exit code $RC (its messages are above)"
  fi
}

count() {  # count KIND: the number of annotations of that kind
  grep -c "^::$1 " "$tmp_dir/annotations.txt" || true
}

# 1. Annotations: the runner reads workflow commands from stdout.
run github "$tmp_dir/annotations.txt"
status=$RC
cat "$tmp_dir/annotations.txt"
echo "backlog-lint: errors: $(count error), warnings: $(count warning), notices: $(count notice)"

# 2. Step summary: the Markdown report, plus a note when GitHub will not show every annotation.
if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
  run markdown "$tmp_dir/summary.md"
  {
    cat "$tmp_dir/summary.md"
    hidden=""
    for kind in error warning notice; do
      n=$(count "$kind")
      if ((n > 10)); then
        hidden+="${hidden:+, }$((n - 10)) of $n ${kind}s"
      fi
    done
    if [[ -n "$hidden" ]]; then
      total=$(($(count error) + $(count warning) + $(count notice)))
      if ((total > 200)); then  # the markdown report lists 200 findings (report/markdown.py MAX_ROWS)
        if [[ -n "${INPUT_SARIF_FILE:-}" ]]; then
          where="The step log and the SARIF report (code scanning) list"
        else
          where="The step log lists"
        fi
        where+=" all $total findings; the table above shows the first 200."
      else
        where="The table above"
        [[ -n "${INPUT_SARIF_FILE:-}" ]] && where+=", the SARIF report (code scanning)"
        where+=" and the step log list them."
      fi
      printf '\n> [!NOTE]\n> GitHub shows at most 10 annotations of each type per step: %s %s\n' \
        "$hidden" "are not annotated on the pull request. $where"
    fi
  } >>"$GITHUB_STEP_SUMMARY"
fi

# 3. SARIF for github/codeql-action/upload-sarif.
if [[ -n "${INPUT_SARIF_FILE:-}" ]]; then
  mkdir -p "$(dirname "$INPUT_SARIF_FILE")"
  run sarif "$INPUT_SARIF_FILE"
fi

if ((status == 1)) && [[ "$fail_on_findings" == true ]]; then
  exit 1
fi
exit 0
