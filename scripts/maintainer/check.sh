#!/usr/bin/env bash
# The maintainer's path, end to end, as docs/maintainers.md tells it (run by .ci/run):
#   1. install the lean runner (with `live`) into a temporary prefix (--path, and --git from the
#      committed HEAD), run the reference from an empty folder, and check that it runs the live
#      key-set vectors;
#   2. write a helper-based adapter for a library outside this tree, as its maintainers would
#      (joserfc, PyPI);
#   3. gate it with --fail-on must and a baseline: all known (exit 0), a new failure (exit 1), a
#      fixed failure (exit 0, reported so the baseline can shrink); publish its own matrix pages;
#   4. run action.yml's steps locally (scripts/maintainer/run_action.py) with that adapter,
#      passing and failing, and check the reports, the job summary and the cache; then a Node
#      adapter (the Node helper README's example, on jose from npm) with `helpers: node`;
#   5. check the CI jobs of docs/maintainers.md (at most 10 lines of YAML, the action's inputs);
#   6. build the Dockerfile's build stage from a context made only of what it COPYs, with its
#      own RUN line (no Docker daemon in CI to build the image itself);
#   7. vendor both helpers into a maintainer's git repository as docs/maintainers.md says (an
#      npm tarball, a wheel), clone it afresh, `npm ci` and `pip install -r`, and run an
#      adapter on each helper from the clone.
# Environment: CARGO_TARGET_DIR (default target/, shared so that the install reuses the build).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
fail() { echo "maintainer-check: FAILED: $*" >&2; exit 1; }
expect() { # expect CODE WHAT COMMAND...: runs COMMAND, which must exit CODE.
    local want="$1" what="$2" code=0
    shift 2
    "$@" >"$work/out" 2>"$work/err" || code=$?
    if [ "$code" != "$want" ]; then
        tail -n 30 "$work/out" "$work/err" >&2
        fail "$what: exit $code, expected $want"
    fi
    echo "maintainer-check: $what: exit $code as expected"
}

echo "maintainer-check: 1. cargo install --path conformance --no-default-features --features live into a temporary prefix"
cargo install --locked --quiet --path "$root/conformance" --no-default-features --features live --root "$work/prefix"
conformance="$work/prefix/bin/conformance"
mkdir "$work/empty"
cd "$work/empty"
expect 0 "the installed runner's reference run from an empty folder" "$conformance"
grep -q "622 vectors\|[0-9]\+ vectors, [0-9]\+ pass, 0 acceptable, 0 fail" "$work/out" || fail "no summary: $(tail -1 "$work/out")"
"$conformance" list-adapters >"$work/list"
grep -q "jsonwebtoken .*unavailable: .*rust-crates" "$work/list" || fail "a lean install lists jsonwebtoken as unavailable"
grep -q "josekit .*unavailable: .*josekit" "$work/list" || fail "a lean install lists josekit as unavailable"
expect 0 "the installed runner's live key-set vectors" "$conformance" run --filter 'fetch/*' \
    --format json --output "$work/live.json" --no-progress
python3 - "$work/live.json" <<'PY' || fail "the lean install runs the live key-set vectors"
import json, sys
def results(node):
    if isinstance(node, dict):
        if "id" in node and "result" in node:
            yield node
        for value in node.values():
            yield from results(value)
    elif isinstance(node, list):
        for value in node:
            yield from results(value)
found = list(results(json.load(open(sys.argv[1]))))
skipped = [r["id"] for r in found if r["result"] == "skip"]
assert found and not skipped, f"{len(skipped)} of {len(found)} fetch vectors skipped: {skipped[:5]}"
print(f"maintainer-check: {len(found)} fetch vectors ran, none skipped")
PY
expect 2 "matrix outside a checkout without --docs (never writes into the runner's source)" \
    "$conformance" matrix --adapters reference --no-progress
[ -z "$(ls -A "$work/empty")" ] || fail "the runner wrote into the working folder"

echo "maintainer-check: 1b. cargo install --git (this repository's committed HEAD)"
if git -C "$root" rev-parse --verify -q HEAD >/dev/null; then
    # HEAD's crates and the working tree's hash alike in a shared target dir: with uncommitted
    # changes, the git install would link the working tree's artifacts, so it builds apart.
    git_target="$CARGO_TARGET_DIR"
    git -C "$root" diff --quiet HEAD -- || git_target="$work/git-target"
    CARGO_TARGET_DIR="$git_target" cargo install --locked --quiet --git "file://$root" conformance \
        --no-default-features --features live --root "$work/git-prefix"
    expect 0 "the git-installed runner from an empty folder" "$work/git-prefix/bin/conformance" run --filter 'accept/*' --no-progress
else
    echo "maintainer-check: not a git checkout; --git install left out"
fi

echo "maintainer-check: 2. a joserfc adapter on the Python helper"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check --no-input \
    "$root/adapters/python" -r "$root/scripts/maintainer/requirements.txt"
adapter="$root/scripts/maintainer/joserfc_adapter.py"
# Code lines: not blank, not comments, not the module docstring.
code_lines="$(python3 - "$adapter" <<'PY'
import ast, sys
text = open(sys.argv[1]).read()
doc = ast.parse(text).body[0]
skip = set(range(doc.lineno, doc.end_lineno + 1)) if isinstance(doc, ast.Expr) else set()
print(sum(1 for n, line in enumerate(text.splitlines(), 1)
          if n not in skip and line.strip() and not line.strip().startswith("#")))
PY
)"
echo "maintainer-check: joserfc_adapter.py has $code_lines code lines"
((code_lines <= 30)) || fail "a maintainer's adapter takes at most about 30 lines ($code_lines)"
run=("$conformance" run --adapter "exec:$work/venv/bin/python $adapter" --no-progress)

echo "maintainer-check: 3. --fail-on must and a baseline"
expect 1 "no baseline, must failures" "${run[@]}" --fail-on must
expect 0 "--write-baseline" "${run[@]}" --write-baseline "$work/baseline.json"
expect 0 "all failures known" "${run[@]}" --fail-on must --baseline "$work/baseline.json"
grep -q ", 0 new; passed" "$work/err" || fail "the gate says passed"
"$work/venv/bin/python" - "$work/baseline.json" "$work/new.json" "$work/fixed.json" <<'PY'
import json, sys
source, new, fixed = sys.argv[1:]
baseline = json.load(open(source))
# A must *failure* (the baseline also lists acceptable results, which the gate never counts).
musts = [e for e in baseline["failures"] if e["severity"] == "must" and e["result"] == "fail"]
assert musts, "joserfc fails must vectors today; the check needs one"
json.dump({**baseline, "failures": [e for e in baseline["failures"] if e is not musts[0]]}, open(new, "w"))
open(new + ".vector", "w").write(musts[0]["vector"])
extra = {"adapter": "joserfc", "vector": "accept/baseline", "result": "fail", "severity": "must", "impact": "false-reject"}
json.dump({**baseline, "failures": baseline["failures"] + [extra]}, open(fixed, "w"))
PY
expect 1 "a new failure" "${run[@]}" --fail-on must --baseline "$work/new.json"
grep -q "$(cat "$work/new.json.vector")" "$work/err" || fail "the new failure is named"
expect 0 "a fixed failure" "${run[@]}" --fail-on must --baseline "$work/fixed.json"
grep -q "shrink it" "$work/err" && grep -q "accept/baseline" "$work/err" || fail "the fixed failure is reported"

expect 0 "matrix --docs DIR --adapters: its own matrix pages" "$conformance" matrix --docs "$work/site" \
    --adapters reference --adapters "exec:$work/venv/bin/python $adapter" --no-progress
for page in matrix.md findings.md disputes.md matrix/joserfc.md normative.md; do
    [ -s "$work/site/$page" ] || fail "matrix wrote $page"
done
# Self-contained: every relative link of the pages leads to a file in the folder.
python3 - "$work/site" <<'PY' || fail "the pages' links stay in the folder"
import os, re, sys
site = sys.argv[1]
broken = []
for page in ["matrix.md", "findings.md", "disputes.md"] + ["matrix/" + p for p in os.listdir(os.path.join(site, "matrix"))]:
    for target in re.findall(r"\]\(([^)\s#]+)", open(os.path.join(site, page)).read()):
        if ":" not in target and not os.path.isfile(os.path.normpath(os.path.join(site, os.path.dirname(page), target))):
            broken.append(f"{page}: {target}")
assert not broken, broken[:10]
PY
expect 0 "matrix --check on its own pages" "$conformance" matrix --docs "$work/site" \
    --adapters reference --adapters "exec:$work/venv/bin/python $adapter" --no-progress --check

echo "maintainer-check: 4. action.yml's steps, run locally"
mkdir -p "$work/home" "$work/ws/ci" "$work/temp"
cp "$work/baseline.json" "$work/ws/ci/jwt-baseline.json"
action() { # action WORKSPACE RUNNER_TEMP INPUTS...: the action's steps, run in WORKSPACE.
    local ws="$1" temp="$2"
    shift 2
    # A fresh HOME (the runner's cache lives there) keeps the machine's toolchain and registry.
    (cd "$ws" && RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}" CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" \
        HOME="$work/home" RUNNER_TEMP="$temp" GITHUB_WORKSPACE="$ws" \
        PATH="$work/venv/bin:$PATH" "$work/venv/bin/python" "$root/scripts/maintainer/run_action.py" \
        "$root/action.yml" "$@")
}
inputs=(adapter="python $adapter" fail-on=must baseline=ci/jwt-baseline.json helpers=python)
expect 0 "the action, all known (cache miss: installs the runner)" action "$work/ws" "$work/temp" "${inputs[@]}"
grep -q "cache miss" "$work/out" || fail "the first run misses the cache"
grep -q "cache saved" "$work/out" || fail "the runner is cached after a passing run"
for f in results.txt results.json results.xml results.md gate.txt; do
    [ -s "$work/temp/artifacts/jwt-conformance-report/$f" ] || fail "report $f uploaded"
done
grep -q "## jwt-conformance" "$work/temp/github_step_summary" || fail "the job summary"
grep -q ", 0 new; passed" "$work/temp/github_step_summary" || fail "the job summary has the gate"
rm -rf "$work/home/.jwt-conformance" "$work/ws/jwt-conformance-report"
cp "$work/new.json" "$work/ws/ci/jwt-baseline.json"
expect 1 "the action, a new failure (cache hit; reports still uploaded)" action "$work/ws" "$work/temp" "${inputs[@]}"
grep -q "cache hit" "$work/out" || fail "the second run restores the runner from the cache"
grep -q "uploaded" "$work/out" || fail "the reports are uploaded after a failure"
expect 2 "the action, a broken adapter" action "$work/ws" "$work/temp" adapter="python -c pass" fail-on=must
expect 1 "the action, a missing input" action "$work/ws" "$work/temp" fail-on=must

# Node: the maintainer's project has jose, and its adapter is the example of the Node helper's
# README, taken from there (so that it cannot rot); the action installs the helper.
mkdir -p "$work/node-ws/ci"
sed -n '/^```js$/,/^```$/p' "$root/adapters/node/README.md" | sed '1d;$d' >"$work/node-ws/ci/jose_adapter.mjs"
[ -s "$work/node-ws/ci/jose_adapter.mjs" ] || fail "the Node helper's README has its example adapter"
(cd "$work/node-ws" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error jose@6.2.18 >/dev/null)
mkdir -p "$work/node-temp"
# jose accepts Ed25519 keys that are small-order points (eddsa/key-non-canonical-*: forgery), so
# the gate fails on forgery once the example declares EdDSA; the reports still name them.
expect 1 "the action, a Node adapter on the helper (fail-on forgery: jose's Ed25519 key check)" action \
    "$work/node-ws" "$work/node-temp" adapter="node ci/jose_adapter.mjs" fail-on=forgery helpers=node
grep -q "jose-mini: [0-9]* vectors" "$work/node-ws/jwt-conformance-report/results.txt" \
    || fail "the Node adapter ran the corpus"
grep -q "eddsa/key-non-canonical-identity-sign-bit" "$work/node-ws/jwt-conformance-report/results.txt" \
    || fail "the Node adapter's forgery findings are reported"

echo "maintainer-check: 5. the jobs of docs/maintainers.md: at most 10 lines, inputs the action has"
"$work/venv/bin/python" "$root/scripts/maintainer/yaml_jobs.py" "$root/docs/maintainers.md" "$root/action.yml"

echo "maintainer-check: 6. the Dockerfile's build stage builds from what it copies"
# The context holds only what the build stage COPYs (conformance/tests/packaging.rs checks the
# list against the workspace); its RUN line runs there as written, into a temporary root.
mkdir "$work/context"
awk '/^FROM/ { stage++ } stage == 1 && $1 == "COPY" && $2 !~ /^--from/ { for (i = 2; i < NF; i++) print $i }' \
    "$root/Dockerfile" | while read -r src; do
    [ -e "$root/$src" ] || fail "the Dockerfile copies $src, which does not exist"
    cp -r "$root/$src" "$work/context/$src"
done
install_line="$(awk '/^FROM/ { stage++ } stage == 1 && /^RUN cargo install/ { sub(/^RUN /, ""); print }' "$root/Dockerfile")"
[[ "$install_line" == *"--no-default-features --features live --root /opt/jwt-conformance"* ]] \
    || fail "the Dockerfile installs the lean runner with live: $install_line"
# Its own target dir, as in a clean image build: cargo gives the copy's path packages the same
# build-script folders as the checkout's, so a shared one would hand the checkout's runner the
# copy's embedded corpus, or the reverse.
(cd "$work/context" && CARGO_TARGET_DIR="$work/context-target" \
    bash -c "${install_line/--root \/opt\/jwt-conformance/--root $work/image} --quiet") \
    || fail "the Dockerfile's build stage does not build from what it copies"
(cd "$work/empty" && expect 0 "the image's runner" "$work/image/bin/conformance" run --filter 'accept/*' --no-progress)

echo "maintainer-check: 7. the helpers survive a fresh clone of the maintainer's repository"
repo="$work/maintainer-repo"
mkdir -p "$repo/ci"
git -C "$repo" init -q
printf 'node_modules/\n.venv/\n' >"$repo/.gitignore"
cp "$work/node-ws/ci/jose_adapter.mjs" "$repo/ci/jose_adapter.mjs"
cp "$adapter" "$repo/ci/jwt_adapter.py"
# As docs/maintainers.md says: the Node helper packed into the repository and installed from
# there (package.json records `file:ci/….tgz`, which `npm ci` extracts), the Python helper as
# a wheel named by a requirements line.
(cd "$repo" && npm init -y >/dev/null \
    && npm pack --silent --pack-destination ci "$root/adapters/node" >/dev/null \
    && npm install --save-dev --no-audit --no-fund --loglevel=error ./ci/jwt-conformance-adapter-*.tgz jose@6.2.18 >/dev/null)
"$work/venv/bin/pip" wheel --quiet --disable-pip-version-check --no-deps -w "$repo/ci" "$root/adapters/python"
{
    (cd "$repo" && ls ci/jwt_conformance_adapter-*.whl | sed 's|^|./|')
    grep -E '^(joserfc|cryptography|cffi|pycparser)==' "$root/scripts/maintainer/requirements.txt"
} >"$repo/requirements.txt"
git -C "$repo" add -A
git -C "$repo" -c user.name=check -c user.email=check@localhost commit -qm "jwt-conformance helpers"
git clone -q "$repo" "$work/clone"
cd "$work/clone"
grep -q '"file:ci/jwt-conformance-adapter-[0-9.]*\.tgz"' package.json || fail "package.json names the packed helper"
npm ci --no-audit --no-fund --loglevel=error >/dev/null
[ -d node_modules/jwt-conformance-adapter ] && [ ! -L node_modules/jwt-conformance-adapter ] \
    || fail "npm ci installs the helper itself, not a link"
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check --no-input --no-cache-dir -r requirements.txt
expect 0 "a fresh clone's npm ci: the Node adapter on the packed helper" \
    "$conformance" run --adapter "exec:node ci/jose_adapter.mjs" --filter 'accept/*' --fail-on forgery --no-progress
expect 0 "a fresh clone's pip install -r: the Python adapter on the wheel" \
    "$conformance" run --adapter "exec:.venv/bin/python ci/jwt_adapter.py" --filter 'accept/*' --fail-on forgery --no-progress
echo "maintainer-check: passed"
