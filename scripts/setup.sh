#!/usr/bin/env bash
# Installs what the conformance adapters need, from the package registries, pinned exactly.
#
# 1. Debian packages: every name listed in scripts/setup/*.debs (one per line, `#` comments),
#    in one `apt-get install` of those not yet installed.
# 2. Each language's script, scripts/setup/<language>.sh, which installs its libraries (PyPI,
#    npm; Debian's packages for Go, C, C++, Haskell, Ruby, Perl and Erlang) and builds its adapters, then
#    prints one `setup: LIBRARY VERSION` line per library. They run in parallel.
#
# Idempotent: what is already there is kept. Run it before `cargo build -p conformance`.
# `SETUP_LANGUAGES="python node"` limits step 2 to some languages (step 1 always runs).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
here="$root/scripts/setup"

mapfile -t wanted < <(sed 's/#.*//' "$here"/*.debs | tr -s ' \t' '\n\n' | sed '/^$/d' | sort -u)
missing=()
for package in "${wanted[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    echo "setup: apt-get install ${missing[*]}"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The languages' scripts are independent (each writes only its adapters' folders), so they run
# side by side; each one's output is printed whole when it ends, and any failure fails setup.
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
pids=()
languages=()
for language in ${SETUP_LANGUAGES:-rust python node go c cpp haskell ruby perl erlang}; do
    script="$here/$language.sh"
    if [ -f "$script" ]; then
        bash "$script" >"$logs/$language" 2>&1 &
        pids+=("$!")
        languages+=("$language")
    fi
done
failed=()
for i in "${!pids[@]}"; do
    if ! wait "${pids[$i]}"; then
        failed+=("${languages[$i]}")
    fi
    cat "$logs/${languages[$i]}"
done
if ((${#failed[@]})); then
    echo "setup: FAILED: ${failed[*]} (scripts/setup/LANGUAGE.sh)" >&2
    exit 1
fi
