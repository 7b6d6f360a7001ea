#!/usr/bin/env bash
# Go adapters: built in GOPATH mode with Debian's golang-go against Debian's library packages
# (scripts/setup/go.debs; no module proxy). The pinned version of each library is its Debian
# package's version, read with dpkg-query and linked into the adapter (-ldflags -X). Builds
# adapters/NAME/bin/adapter and bin/repro (and bin/repro-SHORT for each extra snippet,
# adapters/NAME/repro-SHORT/main.go), then writes the stamp adapters/NAME/.installed. The
# build cache makes a second run fast.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# shellcheck source=scripts/setup/go-env.sh
. "$root/scripts/setup/go-env.sh"
mkdir -p "$GOCACHE"

# go_adapter NAME LIBRARY DEBIAN-PACKAGE: builds adapters/NAME against the package's version.
go_adapter() {
    local dir="$root/adapters/$1" version
    version="$(dpkg-query -W -f='${Version}' "$3")"
    (cd "$dir" && go build -trimpath -ldflags "-X main.libraryVersion=$version" -o bin/adapter . \
        && go build -trimpath -o bin/repro ./repro)
    local extra
    for extra in "$dir"/repro-*/; do
        [ -d "$extra" ] || continue
        extra="$(basename "$extra")"
        (cd "$dir" && go build -trimpath -o "bin/$extra" "./$extra")
    done
    # The built adapter must greet with the pinned version (it loads the library).
    local hello
    hello="$("$dir/bin/adapter" </dev/null | head -n 1)"
    case "$hello" in
        *"\"library_version\":\"$version\""*) ;;
        *) echo "setup: adapters/$1/bin/adapter did not greet with $2 $version" >&2; exit 1 ;;
    esac
    touch "$dir/.installed"
    echo "setup: $2 $version"
}

go_adapter golang-jwt golang-jwt golang-github-golang-jwt-jwt-dev
go_adapter go-jose go-jose golang-gopkg-square-go-jose.v2-dev
go_adapter jose2go jose2go golang-github-dvsekhvalnov-jose2go-dev
go_adapter jwt-go jwt-go golang-github-dgrijalva-jwt-go-dev
