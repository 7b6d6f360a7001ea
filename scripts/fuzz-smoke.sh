#!/usr/bin/env bash
# Builds every cargo-fuzz target once (AddressSanitizer, release with debug assertions), then
# runs each for SECONDS (default 30) from seeds derived from vectors/ (`tools fuzz-seeds`) plus
# any corpus kept in fuzz/corpus/<target>, with the -max_len of fuzz/options/<target>.options.
# Fails on any crash, timeout (>10 s per input), OOM (>4 GiB) or leak. Third-party findings of
# the differential target are listed, not failed.
#
#   scripts/fuzz-smoke.sh [SECONDS] [TARGET...]
#
# Environment: FUZZ_TARGET_DIR (cargo target dir of the sanitizer build, default fuzz/target;
# point it at a cache to reuse builds between runs), CARGO_TARGET_DIR (workspace build of
# `tools`), FUZZ_JOBS (targets run at once, default the number of cores: libFuzzer uses one).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
secs="${1:-30}"
shift || true
targets=("$@")
if ((${#targets[@]} == 0)); then
    targets=(verify structured json base64url jwks differential)
fi

bash scripts/install-fuzz.sh

# Nightly when the machine has it; otherwise stable with the bootstrap escape hatch (a failed
# stable probe is cached by cargo in .rustc_info.json: drop it first).
fuzz_target_dir="${FUZZ_TARGET_DIR:-$root/fuzz/target}"
if cargo +nightly --version >/dev/null 2>&1; then
    cargo_fuzz=(cargo +nightly fuzz)
else
    echo "fuzz-smoke: no nightly toolchain; using stable with RUSTC_BOOTSTRAP=1"
    rm -f "$fuzz_target_dir/.rustc_info.json"
    export RUSTC_BOOTSTRAP=1
    cargo_fuzz=(cargo fuzz)
fi

echo "fuzz-smoke: seeds from vectors/"
cargo run -q -p tools -- fuzz-seeds --vectors vectors --out fuzz/seeds

echo "fuzz-smoke: building ${targets[*]}"
build_start=$SECONDS
for t in "${targets[@]}"; do
    "${cargo_fuzz[@]}" build -O --target-dir "$fuzz_target_dir" --fuzz-dir fuzz "$t"
done
echo "fuzz-smoke: build took $((SECONDS - build_start)) s"

findings="$root/fuzz/findings"
mkdir -p "$findings"
before="$(find "$findings" -name '*.json' | wc -l)"
export JWT_FUZZ_FINDINGS="$findings"
logs="$root/fuzz/target/smoke-logs"
mkdir -p "$logs"
# fuzz_one TARGET: runs one target for $secs; writes its summary to $logs/TARGET.summary and
# exits non-zero when the target failed.
fuzz_one() {
    local t="$1" log="$logs/$1.log" summary="$logs/$1.summary" max_len
    mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
    # The target's max_len, as ClusterFuzzLite gets it: without one libFuzzer takes the longest
    # seed (16 KiB for the token targets, past the 8 KiB the size rule lets through).
    max_len="$(sed -n 's/^max_len *= *\([0-9][0-9]*\) *$/\1/p' "fuzz/options/$t.options" 2>/dev/null)"
    if [ -z "$max_len" ]; then
        echo "fuzz-smoke: $t FAILED: no max_len in fuzz/options/$t.options" >"$summary"
        return 1
    fi
    echo "fuzz-smoke: $t for ${secs}s (max_len $max_len)" >"$summary"
    local code=0
    "${cargo_fuzz[@]}" run -O --target-dir "$fuzz_target_dir" --fuzz-dir fuzz "$t" \
        "fuzz/corpus/$t" "fuzz/seeds/$t" -- \
        -max_total_time="$secs" -max_len="$max_len" -rss_limit_mb=4096 -timeout=10 \
        -use_value_profile=1 -dict=fuzz/dict/jose.dict -print_final_stats=1 >"$log" 2>&1 || code=$?
    if ((code == 0)); then
        grep -E '^#[0-9]+.*(DONE|pulse)' "$log" | tail -1 >>"$summary" || true
        grep -E 'stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log" >>"$summary" || true
    else
        { echo "fuzz-smoke: $t FAILED; last lines of $log:"; tail -n 60 "$log"; } >>"$summary"
    fi
    grep -h '^FINDING:' "$log" >>"$summary" || true
    return "$code"
}

# libFuzzer runs one thread: as many targets at once as there are cores, each for $secs.
jobs="${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}"
failed=()
for ((i = 0; i < ${#targets[@]}; i += jobs)); do
    batch=("${targets[@]:i:jobs}")
    pids=()
    for t in "${batch[@]}"; do
        fuzz_one "$t" &
        pids+=("$!")
    done
    for j in "${!batch[@]}"; do
        wait "${pids[$j]}" || failed+=("${batch[$j]}")
        cat "$logs/${batch[$j]}.summary"
    done
done

# Findings are third-party disagreements, reported but not failures of this project: a
# library that accepts `crit` stays that way from run to run.
after="$(find "$findings" -name '*.json' | wc -l)"
if ((after > before)); then
    echo "fuzz-smoke: $((after - before)) new finding(s) in fuzz/findings/ (not a failure);" \
        "make vectors with: cargo run -p tools -- crash-to-vector fuzz/findings/<file>"
fi
if ((${#failed[@]})); then
    echo "fuzz-smoke: FAILED: ${failed[*]} (artifacts in fuzz/artifacts/<target>/;" \
        "convert with: cargo run -p tools -- crash-to-vector FILE)"
    exit 1
fi
echo "fuzz-smoke: ${#targets[@]} passed, 0 failed"
