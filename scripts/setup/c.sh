#!/usr/bin/env bash
# C adapters: builds adapters/NAME/bin/adapter (adapters/NAME/adapter.c + the helper adapters/c),
# adapters/NAME/bin/repro (adapters/NAME/repro.c alone) and bin/repro-SHORT for each extra snippet
# adapters/NAME/repro-SHORT.c against Debian's -dev packages
# (scripts/setup/c.debs, installed by scripts/setup.sh), then writes adapters/NAME/.installed.
# The library version in the hello is the Debian package's (dpkg-query), passed as LIB_VERSION
# where the library has no version function. Rebuilds only when a source or the package changed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cflags=(-std=gnu11 -Wall -Wextra -Werror -O2 -D_FORTIFY_SOURCE=2)
helper=("$root/adapters/c/protocol.c" "$root/adapters/c/protocol.h")

# c_adapter NAME PACKAGE ADAPTER-PKGS REPRO-PKGS: builds adapters/NAME (PACKAGE: the library's
# Debian runtime package, whose version goes into the hello; *-PKGS: pkg-config modules), checks
# that the adapter starts and greets, then writes adapters/NAME/.installed.
c_adapter() {
    local name="$1" package="$2" dir="$root/adapters/$1" version hello
    version="$(dpkg-query -W -f='${Version}' "$package")"
    local stamp="$dir/bin/.built-$version"
    local -a adapter_pkgs repro_pkgs
    read -r -a adapter_pkgs <<<"$3"
    read -r -a repro_pkgs <<<"$4"
    mkdir -p "$dir/bin"
    # Extra snippets, one per further forgery root cause: adapters/NAME/repro-SHORT.c -> bin/repro-SHORT.
    local -a extras=()
    local extra
    for extra in "$dir"/repro-*.c; do
        [ -f "$extra" ] && extras+=("$extra")
    done
    local missing=0
    for extra in "${extras[@]}"; do
        extra="$(basename "$extra" .c)"
        [ -x "$dir/bin/$extra" ] || missing=1
    done
    if [ ! -f "$stamp" ] || [ ! -x "$dir/bin/adapter" ] || [ ! -x "$dir/bin/repro" ] || [ "$missing" = 1 ] ||
        [ -n "$(find "$dir/adapter.c" "$dir/repro.c" "${extras[@]}" "${helper[@]}" "${BASH_SOURCE[0]}" -newer "$stamp")" ]; then
        echo "setup: building adapters/$name (Debian $package $version)"
        rm -f "$dir"/bin/.built-*
        # shellcheck disable=SC2046 # pkg-config prints several words
        gcc "${cflags[@]}" -DLIB_VERSION="\"$version\"" $(pkg-config --cflags "${adapter_pkgs[@]}") \
            -o "$dir/bin/adapter" "$dir/adapter.c" "$root/adapters/c/protocol.c" \
            $(pkg-config --libs "${adapter_pkgs[@]}")
        # shellcheck disable=SC2046
        gcc "${cflags[@]}" $(pkg-config --cflags "${repro_pkgs[@]}") \
            -o "$dir/bin/repro" "$dir/repro.c" $(pkg-config --libs "${repro_pkgs[@]}")
        for extra in "${extras[@]}"; do
            # shellcheck disable=SC2046
            gcc "${cflags[@]}" $(pkg-config --cflags "${repro_pkgs[@]}") \
                -o "$dir/bin/$(basename "$extra" .c)" "$extra" $(pkg-config --libs "${repro_pkgs[@]}")
        done
        touch "$stamp"
    fi
    # The library loads: the adapter starts, greets and exits when stdin closes.
    hello="$("$dir/bin/adapter" </dev/null | head -n 1)"
    version="$(sed -n 's/.*"library_version":"\([^"]*\)".*/\1/p' <<<"$hello")"
    if [ -z "$version" ]; then
        echo "setup: adapters/$name/bin/adapter did not greet" >&2
        return 1
    fi
    touch "$dir/.installed"
    echo "setup: $name $version"
}

c_adapter libjwt libjwt0 "libjwt jansson libcrypto" "libjwt"
c_adapter rhonabwy librhonabwy1.1 "librhonabwy jansson" "librhonabwy jansson"
if [ -f "$root/adapters/cjose/adapter.c" ]; then
    c_adapter cjose libcjose0 "cjose jansson" "cjose jansson"
fi
if [ -f "$root/adapters/latchset-jose/adapter.c" ]; then
    c_adapter latchset-jose libjose0 "jose jansson" "jose jansson"
fi
