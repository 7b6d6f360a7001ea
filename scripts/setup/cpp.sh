#!/usr/bin/env bash
# C++ adapters: builds adapters/NAME/bin/adapter (adapters/NAME/adapter.cpp + the protocol loop
# adapters/cpp-jwt/jc.hpp, on nlohmann::json) and adapters/NAME/bin/repro (adapters/NAME/repro.cpp
# alone; each extra snippet repro-SHORT.cpp likewise into bin/repro-SHORT) against Debian's -dev packages (scripts/setup/cpp.debs, installed by scripts/setup.sh),
# then writes adapters/NAME/.installed. The library version in the hello is the Debian package's
# (dpkg-query), passed as LIB_VERSION. Rebuilds only when a source or the package changed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cxxflags=(-std=gnu++17 -Wall -Wextra -Werror -O2 -D_FORTIFY_SOURCE=2)
helper=("$root/adapters/cpp-jwt/jc.hpp")

# cpp_adapter NAME PACKAGE LIBS: builds adapters/NAME (PACKAGE: the Debian package whose version
# goes into the hello; LIBS: the linker flags of adapter and repro), checks that the adapter starts
# and greets, then writes adapters/NAME/.installed.
cpp_adapter() {
    local name="$1" package="$2" dir="$root/adapters/$1" version hello
    version="$(dpkg-query -W -f='${Version}' "$package")"
    local stamp="$dir/bin/.built-$version"
    local -a libs
    read -r -a libs <<<"$3"
    mkdir -p "$dir/bin"
    if [ ! -f "$stamp" ] || [ ! -x "$dir/bin/adapter" ] || [ ! -x "$dir/bin/repro" ] ||
        [ -n "$(find "$dir/adapter.cpp" "$dir"/repro*.cpp "${helper[@]}" "${BASH_SOURCE[0]}" -newer "$stamp")" ]; then
        echo "setup: building adapters/$name (Debian $package $version)"
        rm -f "$dir"/bin/.built-*
        g++ "${cxxflags[@]}" -DLIB_VERSION="\"$version\"" -o "$dir/bin/adapter" "$dir/adapter.cpp" "${libs[@]}"
        local repro
        for repro in "$dir"/repro*.cpp; do
            g++ "${cxxflags[@]}" -o "$dir/bin/$(basename "$repro" .cpp)" "$repro" "${libs[@]}"
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

cpp_adapter cpp-jwt libcpp-jwt-dev "-lssl -lcrypto"
cpp_adapter poco-jwt libpocojwt80 "-lPocoJWT -lPocoJSON -lPocoCrypto -lPocoFoundation -lssl -lcrypto"
