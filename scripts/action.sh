#!/usr/bin/env bash
# The logic of the backlog-lint GitHub Action (action.yml). Runnable outside GitHub: it
# reads the action's inputs from INPUT_* variables and the runner's GITHUB_* variables.
#
#   INPUT_PATHS             files/folders to check, shell-quoted words; empty = the whole project
#   INPUT_ARGS              extra `backlog-lint check` options, shell-quoted words (e.g. --select BL1)
#   INPUT_FAIL_ON_FINDINGS  "true" (default): exit 1 when problems are found; "false": exit 0
#   INPUT_SARIF_FILE        when set, also write a SARIF 2.1.0 report to this path
#   INPUT_COMMAND           "check" (default) or "format-check" (`backlog-lint format --check`)
#   INPUT_BASE              "auto" (default): on pull_request events, pull-request mode against the
#                           pull request's base (annotations only where the change touched; the
#                           summary and SARIF still report everything); "": the whole project;
#                           anything else: a git revision to compare with (`check --base REF`)
#   GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_BASE_REF   the event (for INPUT_BASE=auto)
#   GITHUB_OUTPUT           where the outputs findings, errors and sarif-file are written
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

output() {  # output NAME VALUE: a step output, when the runner asks for them
  if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
    printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"
  fi
}

escape_property() {  # as actions/toolkit's escapeProperty
  local v=${1//%/%25}
  v=${v//$'\r'/%0D}
  v=${v//$'\n'/%0A}
  v=${v//:/%3A}
  printf '%s' "${v//,/%2C}"
}

case "${INPUT_COMMAND:-check}" in
  check) command=check ;;
  format-check) command=format-check ;;
  *) fail 2 "input command must be check or format-check, not '${INPUT_COMMAND}'" ;;
esac

if [[ "$command" == format-check ]]; then
  # Every file that is not formatted canonically is an error annotation, a line of the summary and a finding.
  RC=0
  "$tool" format --check -- ${paths[@]+"${paths[@]}"} >"$tmp_dir/format.txt" 2>"$tmp_dir/format.err" || RC=$?
  cat "$tmp_dir/format.err" >&2
  if ((RC > 1)); then
    cat "$tmp_dir/format.txt"
    fail "$RC" "backlog-lint format --check failed with exit code $RC (its messages are above)"
  fi
  files=()
  while IFS= read -r line; do
    [[ "$line" == "Would reformat: "* ]] && files+=("${line#Would reformat: }")
  done <"$tmp_dir/format.txt"
  for file in ${files[@]+"${files[@]}"}; do
    printf '::error file=%s,title=backlog-lint format::%s\n' "$(escape_property "$file")" \
      "not formatted canonically: run \`backlog-lint format $file\` and commit the result"
  done
  echo "backlog-lint: $(tail -n 1 "$tmp_dir/format.txt")"
  if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
    {
      printf '## backlog-lint format\n\n'
      if ((${#files[@]} == 0)); then
        printf 'Every file is formatted canonically.\n'
      else
        printf '%s file(s) would be reformatted; run `backlog-lint format` and commit the result:\n\n' "${#files[@]}"
        for file in "${files[@]}"; do printf -- '- `%s`\n' "$file"; done
      fi
    } >>"$GITHUB_STEP_SUMMARY"
  fi
  output findings "${#files[@]}"
  output errors "${#files[@]}"
  output sarif-file ""
  if ((RC == 1)) && [[ "$fail_on_findings" == true ]]; then
    exit 1
  fi
  exit 0
fi

# Pull-request mode: the base of the pull request, from the event the runner hands over.
base=""
case "${INPUT_BASE-auto}" in
  auto)
    if [[ "${GITHUB_EVENT_NAME:-}" == pull_request || "${GITHUB_EVENT_NAME:-}" == pull_request_target ]]; then
      if [[ -n "${GITHUB_EVENT_PATH:-}" && -f "${GITHUB_EVENT_PATH}" ]]; then
        base=$("$python" -c '
import json, sys
with open(sys.argv[1], encoding="utf-8") as fh:
    print(json.load(fh).get("pull_request", {}).get("base", {}).get("sha", ""))' "$GITHUB_EVENT_PATH") ||
          fail 2 "cannot read the pull request's base from GITHUB_EVENT_PATH ($GITHUB_EVENT_PATH)"
      fi
      if [[ -z "$base" && -n "${GITHUB_BASE_REF:-}" ]]; then
        base="origin/$GITHUB_BASE_REF"
      fi
    fi ;;
  *) base=${INPUT_BASE} ;;
esac
base_args=()
if [[ -n "$base" ]]; then
  base_args=(--base "$base")
  echo "backlog-lint: pull-request mode: annotating what changed since $base"
fi

run() {  # run FORMAT OUTPUT_FILE [OPTION...]: backlog-lint check; sets RC (0 or 1), fails the step on 2, 3, ...
  local format=$1 file=$2
  shift 2
  RC=0
  "$tool" check --no-color --output-format "$format" "$@" ${args[@]+"${args[@]}"} -- ${paths[@]+"${paths[@]}"} \
    >"$file" || RC=$?
  if ((RC > 1)); then
    cat "$file"
    fail "$RC" "backlog-lint check --output-format $format failed with exit code $RC (its messages are above)"
  fi
}

count() {  # count KIND: the number of annotations of that kind
  grep -c "^::$1 " "$tmp_dir/annotations.txt" || true
}

# 1. Annotations: the runner reads workflow commands from stdout. In pull-request mode only what
#    the change touched; its findings decide whether the step fails.
run github "$tmp_dir/annotations.txt" ${base_args[@]+"${base_args[@]}"}
status=$RC
cat "$tmp_dir/annotations.txt"
echo "backlog-lint: errors: $(count error), warnings: $(count warning), notices: $(count notice)"
output findings "$(($(count error) + $(count warning) + $(count notice)))"
output errors "$(count error)"

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

# 3. SARIF for github/codeql-action/upload-sarif (the whole project, like the summary).
if [[ -n "${INPUT_SARIF_FILE:-}" ]]; then
  mkdir -p "$(dirname "$INPUT_SARIF_FILE")"
  run sarif "$INPUT_SARIF_FILE"
fi
output sarif-file "${INPUT_SARIF_FILE:-}"

if ((status == 1)) && [[ "$fail_on_findings" == true ]]; then
  exit 1
fi
exit 0
