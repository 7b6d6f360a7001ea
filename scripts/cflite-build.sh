#!/usr/bin/env bash
# Runs .clusterfuzzlite/build.sh locally, as the ClusterFuzzLite builder would ($SRC, $OUT and
# $WORK simulated in a temporary directory, $SRC/jwt-conformance a symlink to this repository),
# then checks what it packed for every target of `cargo fuzz list`: an executable $OUT/<t>, a
# seed zip with one entry per file of fuzz/seeds/<t>, $OUT/<t>.dict identical to
# fuzz/dict/jose.dict and $OUT/<t>.options identical to fuzz/options/<t>.options (with a
# [libfuzzer] section: its max_len is the target's). Each packed target then
# runs for CFLITE_FUZZ_SECONDS (default 2; 0: only its seeds, once) on its unzipped seed corpus
# with its dictionary and options. Prints one line per target; exits 1 on any miss.
#
#   FUZZ_TARGET_DIR=~/.cache/jwt-conformance/fuzz-target scripts/cflite-build.sh
#
# Environment: FUZZ_TARGET_DIR (sanitizer build, default fuzz/target: give the directory
# scripts/fuzz-smoke.sh builds into and nothing rebuilds), CARGO_TARGET_DIR (workspace build of
# `tools`, default target/), CFLITE_OUT (keep $OUT there instead of a temporary directory),
# CFLITE_FUZZ_SECONDS.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
start=$SECONDS
secs="${CFLITE_FUZZ_SECONDS:-2}"

bash scripts/install-fuzz.sh >/dev/null

# The toolchain selection of scripts/fuzz-smoke.sh: nightly when the machine has it, else stable
# with RUSTC_BOOTSTRAP=1 (dropping the failed stable probe cargo caches). build.sh runs plain
# `cargo`, hence RUSTUP_TOOLCHAIN; the seed tool keeps the toolchain in effect here, like
# fuzz-smoke's `cargo run -p tools`, so its build in target/ is reused.
fuzz_target_dir="${FUZZ_TARGET_DIR:-$root/fuzz/target}"
tools_toolchain="$(rustup show active-toolchain 2>/dev/null | awk 'NR==1 {print $1}')" || tools_toolchain=""
if cargo +nightly --version >/dev/null 2>&1; then
    export RUSTUP_TOOLCHAIN=nightly
else
    echo "cflite-build: no nightly toolchain; using stable with RUSTC_BOOTSTRAP=1"
    rm -f "$fuzz_target_dir/.rustc_info.json"
    export RUSTC_BOOTSTRAP=1
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/cflite.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src" "$tmp/work"
ln -s "$root" "$tmp/src/jwt-conformance"
cp .clusterfuzzlite/build.sh "$tmp/src/build.sh" # as the Dockerfile does
out="${CFLITE_OUT:-$tmp/out}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

echo "cflite-build: build.sh (SRC=$tmp/src OUT=$out CARGO_TARGET_DIR=$fuzz_target_dir)"
build_start=$SECONDS
(
    cd "$tmp/src"
    SRC="$tmp/src" OUT="$out" WORK="$tmp/work" CARGO_TARGET_DIR="$fuzz_target_dir" \
        TOOLS_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}" \
        TOOLS_RUSTUP_TOOLCHAIN="$tools_toolchain" bash -eu "$tmp/src/build.sh"
) || {
    echo "cflite-build: FAILED: build.sh exited non-zero (see above)"
    exit 1
}
echo "cflite-build: build.sh took $((SECONDS - build_start)) s"

mapfile -t targets < <(cd fuzz && cargo fuzz list)
if ((${#targets[@]} == 0)); then
    echo "cflite-build: FAILED: \`cargo fuzz list\` found no targets"
    exit 1
fi

# Entries of a zip (files only), or -1 when it is not a readable zip.
zip_entries() {
    python3 - "$1" <<'PY'
import sys, zipfile
try:
    with zipfile.ZipFile(sys.argv[1]) as z:
        print(sum(1 for i in z.infolist() if not i.is_dir()))
except Exception:
    print(-1)
PY
}

problems=()
for t in "${targets[@]}"; do
    miss=()
    bin="$out/$t" zip="$out/${t}_seed_corpus.zip" dict="$out/$t.dict" opts="$out/$t.options"
    want="$(find "fuzz/seeds/$t" -maxdepth 1 -type f 2>/dev/null | wc -l)"
    [ -x "$bin" ] || miss+=("no executable $bin")
    entries=-1
    if [ -s "$zip" ]; then
        entries="$(zip_entries "$zip")"
        if ((entries < 1)); then
            miss+=("seed zip is empty or unreadable")
        elif ((entries != want)); then
            miss+=("seed zip has $entries entries, fuzz/seeds/$t has $want files")
        fi
    else
        miss+=("no seed zip (or empty) $zip")
    fi
    cmp -s "$dict" fuzz/dict/jose.dict || miss+=("$t.dict differs from fuzz/dict/jose.dict (or is missing)")
    grep -qx '\[libfuzzer\]' "$opts" 2>/dev/null || miss+=("$t.options has no [libfuzzer] section")
    cmp -s "$opts" "fuzz/options/$t.options" ||
        miss+=("$t.options differs from fuzz/options/$t.options (or is missing)")

    ran="not run"
    if [ -x "$bin" ] && ((entries > 0)); then
        # The options file as flags, the zip unpacked: what ClusterFuzzLite does with them.
        mapfile -t flags < <(awk '/^\[/ {s = ($0 == "[libfuzzer]")} s && /=/ {
            gsub(/[ \t]/, ""); split($0, kv, "="); print "-" kv[1] "=" kv[2] }' "$opts")
        corpus="$tmp/corpus/$t" run="$tmp/run/$t" log="$tmp/run/$t.log"
        mkdir -p "$corpus" "$run/findings"
        python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$zip" "$corpus"
        if ((secs > 0)); then limit=(-max_total_time="$secs"); else limit=(-runs=0); fi
        if (cd "$run" && JWT_FUZZ_FINDINGS="$run/findings" timeout 600 "$bin" "${flags[@]}" \
            -dict="$dict" "${limit[@]}" -print_final_stats=1 -artifact_prefix="$run/" \
            "$corpus") >"$log" 2>&1; then
            execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
            cov="$(grep -oE 'cov: [0-9]+' "$log" | tail -1)"
            ran="ran ${execs:-?} execs${cov:+, $cov}"
        else
            ran="run FAILED"
            # The panic or sanitizer report and libFuzzer's summary, without the stack frames.
            why="$(grep -v -E '^ *(#[0-9]+ |[0-9]+: |at )' "$log" |
                grep -A3 -E 'panicked at|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|SUMMARY' |
                head -n 20)"
            miss+=("$bin exited non-zero on its seed corpus (${secs} s run):"$'\n'"${why:-$(tail -n 20 "$log")}")
        fi
    fi
    if ((${#miss[@]})); then
        status=MISS
        for m in "${miss[@]}"; do problems+=("$t: $m"); done
    else
        status=ok
    fi
    printf 'cflite-build: %-12s %-4s exe %s, seed zip %s/%s entries, dict %s, options %s, %s\n' \
        "$t" "$status" "$([ -x "$bin" ] && echo ok || echo missing)" "$entries" "$want" \
        "$(cmp -s "$dict" fuzz/dict/jose.dict && echo ok || echo bad)" \
        "$(cmp -s "$opts" "fuzz/options/$t.options" && grep -qx '\[libfuzzer\]' "$opts" &&
            echo ok || echo bad)" "$ran"
done

if ((${#problems[@]})); then
    echo "cflite-build: FAILED (${#problems[@]} problem(s)):"
    printf '  %s\n' "${problems[@]}"
    exit 1
fi
echo "cflite-build: ${#targets[@]} targets packed and checked in $((SECONDS - start)) s"
