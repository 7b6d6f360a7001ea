#!/usr/bin/env bash
# Erlang adapters, on Debian's packages (scripts/setup/erlang.debs, installed by scripts/setup.sh):
# compiles the protocol helper adapters/erlang into adapters/erlang/ebin, checks that erlang-jose
# and jiffy load at the pinned versions and that the adapter greets, then writes its stamp.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jose_pinned=1.11.5
jiffy_pinned=1.1.1

for tool in erl erlc escript; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "setup: $tool not found; install the packages of scripts/setup/erlang.debs" >&2
        exit 1
    fi
done

helper="$root/adapters/erlang"
mkdir -p "$helper/ebin"
if [ ! "$helper/ebin/jwt_conformance_adapter.beam" -nt "$helper/jwt_conformance_adapter.erl" ]; then
    erlc -Werror -o "$helper/ebin" "$helper/jwt_conformance_adapter.erl"
fi

# The versions that load, with jiffy as jose's JSON module.
versions="$(erl -noshell -noinput -pa "$helper/ebin" -eval '
    ok = application:load(jiffy),
    ok = jose:json_module(jose_json_jiffy),
    #{<<"k">> := 1} = jose:decode(<<"{\"k\":1}">>),
    {module, jwt_conformance_adapter} = code:ensure_loaded(jwt_conformance_adapter),
    {ok, Jose} = application:get_key(jose, vsn),
    {ok, Jiffy} = application:get_key(jiffy, vsn),
    io:format("~s ~s~n", [Jose, Jiffy]),
    halt().')" || {
    echo "setup: erlang-jose, jiffy or the helper does not load" >&2
    exit 1
}
read -r jose jiffy <<<"$versions"
if [ "$jose" != "$jose_pinned" ] || [ "$jiffy" != "$jiffy_pinned" ]; then
    echo "setup: erlang-jose $jose and jiffy $jiffy installed; pinned: $jose_pinned and $jiffy_pinned" >&2
    exit 1
fi

adapter="$root/adapters/erlang-jose"
hello="$(cd "$adapter" && escript adapter.escript </dev/null)" || true
if [[ "$hello" != *'"name":"erlang-jose"'* ]]; then
    echo "setup: adapters/erlang-jose/adapter.escript does not greet" >&2
    exit 1
fi
echo "setup: erlang-jose $jose"
echo "setup: jiffy $jiffy"
echo "erlang-jose $jose jiffy $jiffy" >"$adapter/.installed"
