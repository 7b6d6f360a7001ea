#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build: every cargo-fuzz target (`cargo fuzz list`) with the
# sanitizer flags the base-builder image sets, each shipped as $OUT/<t> with its seed corpus
# ($OUT/<t>_seed_corpus.zip, from vectors/ via `tools fuzz-seeds`), the JOSE dictionary
# ($OUT/<t>.dict) and libFuzzer options ($OUT/<t>.options, copied from fuzz/options/, which
# scripts/fuzz-smoke.sh reads its -max_len from). Fails if any target did not build or has no
# seeds or options.
#
# Environment: SRC, OUT, WORK (set by the builder image; scripts/cflite-build.sh simulates them
# locally); CARGO_TARGET_DIR (sanitizer build, default fuzz/target); TOOLS_TARGET_DIR (host
# build of the seed tool, default $WORK/tools-target); TOOLS_RUSTUP_TOOLCHAIN (toolchain of the
# seed tool, default the one in effect).
set -o pipefail
cd "$SRC/jwt-conformance"

# The seed tool is an ordinary host program: build it without the fuzzing flags (a debug build,
# as scripts/fuzz-smoke.sh does, so a local run reuses the workspace's target/).
tools_env=(env -u RUSTFLAGS -u CFLAGS -u CXXFLAGS -u LIB_FUZZING_ENGINE
    CARGO_TARGET_DIR="${TOOLS_TARGET_DIR:-$WORK/tools-target}")
if [ -n "${TOOLS_RUSTUP_TOOLCHAIN:-}" ]; then
    tools_env+=(RUSTUP_TOOLCHAIN="$TOOLS_RUSTUP_TOOLCHAIN")
fi
"${tools_env[@]}" cargo run -q -p tools -- fuzz-seeds --vectors vectors --out fuzz/seeds

cd fuzz
# SANITIZER=none: older images' `cargo` wrapper turns any `cargo fuzz …` of a coverage build
# into `cargo build --bins`, which would list nothing.
list="$(SANITIZER=none cargo fuzz list)"
mapfile -t targets <<<"$list"
[ -n "$list" ] || targets=()
if ((${#targets[@]} == 0)); then
    echo "build.sh: \`cargo fuzz list\` found no targets in $PWD" >&2
    exit 1
fi
echo "build.sh: targets: ${targets[*]}"

cargo fuzz build -O

target_dir="${CARGO_TARGET_DIR:-target}"
release="$target_dir/x86_64-unknown-linux-gnu/release"

# zip DIR ARCHIVE: the files of DIR, without paths, as a fresh ARCHIVE (zip, else python3).
pack() {
    local dir="$1" archive="$2"
    rm -f "$archive"
    if command -v zip >/dev/null 2>&1; then
        (cd "$dir" && find . -maxdepth 1 -type f -printf '%P\n' | LC_ALL=C sort | zip -q -X -@ "$archive")
    elif command -v python3 >/dev/null 2>&1; then
        python3 - "$dir" "$archive" <<'PY'
import os, sys, zipfile
src, archive = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
    for name in sorted(os.listdir(src)):
        path = os.path.join(src, name)
        if os.path.isfile(path):
            z.write(path, name)
PY
    else
        echo "build.sh: neither zip nor python3 is available to pack seed corpora" >&2
        return 1
    fi
}

out="$(cd "$OUT" && pwd)"
failed=()
for t in "${targets[@]}"; do
    if [ ! -x "$release/$t" ]; then
        echo "build.sh: $t: no binary at $release/$t" >&2
        failed+=("$t (not built)")
        continue
    fi
    cp "$release/$t" "$out/$t"
    seeds="seeds/$t"
    count=0
    if [ -d "$seeds" ]; then
        count="$(find "$seeds" -maxdepth 1 -type f | wc -l)"
    fi
    if ((count == 0)); then
        echo "build.sh: $t: no seeds in fuzz/$seeds (does \`tools fuzz-seeds\` know this target?)" >&2
        failed+=("$t (no seeds)")
    else
        pack "$seeds" "$out/${t}_seed_corpus.zip"
    fi
    cp dict/jose.dict "$out/$t.dict"
    # Per-target options (max_len above all: one for every target cut the 257-key seed of
    # `jwks` and let the token targets grow inputs the size rule refuses unread).
    if [ -f "options/$t.options" ]; then
        cp "options/$t.options" "$out/$t.options"
    else
        echo "build.sh: $t: no fuzz/options/$t.options" >&2
        failed+=("$t (no options)")
    fi
    echo "build.sh: $t: binary, $count seeds, dict, options"
done
if ((${#failed[@]})); then
    echo "build.sh: FAILED: ${failed[*]}" >&2
    exit 1
fi
