#!/usr/bin/env bash
# Haskell adapters: compiles adapters/haskell-jwt/bin/adapter (adapter.hs + the protocol helper
# adapters/haskell/JwtConformanceAdapter.hs) and bin/repro (repro.hs alone; each extra snippet
# repro-SHORT.hs likewise into bin/repro-SHORT) with Debian's GHC
# against Debian's libraries (scripts/setup/haskell.debs, installed by scripts/setup.sh), then
# writes adapters/haskell-jwt/.installed. The library version in the hello is the Debian
# package's (dpkg-query), passed as LIB_VERSION. Rebuilds only when a source or the package
# changed. Build products go to a temporary directory, never into the sources.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ghcflags=(-v0 -Wall -Werror -O1 -cpp)
helper=("$root/adapters/haskell/JwtConformanceAdapter.hs")

if ! command -v ghc >/dev/null 2>&1; then
    echo "setup: ghc not found; install the packages of scripts/setup/haskell.debs" >&2
    exit 1
fi

# hs_adapter NAME PACKAGE: builds adapters/NAME (PACKAGE: the Debian package whose version goes
# into the hello), checks that the adapter starts and greets, then writes adapters/NAME/.installed.
hs_adapter() {
    local name="$1" package="$2" dir="$root/adapters/$1" version hello out
    version="$(dpkg-query -W -f='${Version}' "$package")"
    local stamp="$dir/bin/.built-$version"
    mkdir -p "$dir/bin"
    if [ ! -f "$stamp" ] || [ ! -x "$dir/bin/adapter" ] || [ ! -x "$dir/bin/repro" ] ||
        [ -n "$(find "$dir/adapter.hs" "$dir"/repro*.hs "${helper[@]}" "${BASH_SOURCE[0]}" -newer "$stamp")" ]; then
        echo "setup: building adapters/$name (Debian $package $version)"
        rm -f "$dir"/bin/.built-*
        out="$(mktemp -d)"
        ghc "${ghcflags[@]}" -DLIB_VERSION="\"$version\"" -i"$root/adapters/haskell" -outputdir "$out/adapter" \
            -o "$dir/bin/adapter" "$dir/adapter.hs"
        local repro short
        for repro in "$dir"/repro*.hs; do
            short="$(basename "$repro" .hs)"
            ghc "${ghcflags[@]}" -outputdir "$out/$short" -o "$dir/bin/$short" "$repro"
        done
        rm -rf "$out"
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

hs_adapter haskell-jwt libghc-jwt-dev
