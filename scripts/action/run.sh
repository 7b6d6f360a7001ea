#!/usr/bin/env bash
# Action step: runs the corpus against the adapter command, writes every report into the
# report folder, adds the gate's decision and the Markdown report to the job summary, and exits
# with the runner's code: 0 passed, 1 a failure the gate counts, 2 a setup error (a broken
# adapter, a bad baseline).
set -euo pipefail
: "${JWT_CONFORMANCE_ADAPTER:?the adapter input of the action is required}"
report="${JWT_CONFORMANCE_REPORT:-jwt-conformance-report}"
args=(run --adapter "exec:$JWT_CONFORMANCE_ADAPTER" --fail-on "${JWT_CONFORMANCE_FAIL_ON:-must}"
    --reports "$report" --output "$report/results.txt" --no-progress)
if [ -n "${JWT_CONFORMANCE_BASELINE:-}" ]; then
    args+=(--baseline "$JWT_CONFORMANCE_BASELINE")
fi
mkdir -p "$report"
code=0
conformance "${args[@]}" || code=$?
if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -f "$report/gate.txt" ]; then
    {
        echo '## jwt-conformance'
        echo
        echo '```'
        cat "$report/gate.txt"
        echo '```'
        echo
        cat "$report/results.md"
    } >>"$GITHUB_STEP_SUMMARY"
fi
exit "$code"
