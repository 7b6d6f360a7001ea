#!/usr/bin/env bash
# Ruby adapters: Debian's ruby, ruby-jwt and ruby-json-jwt (scripts/setup/ruby.debs, installed by
# scripts/setup.sh before this script runs; `SETUP_LANGUAGES=ruby` runs it alone), checked
# against the pinned version. The helper (adapters/ruby) is loaded with require_relative:
# nothing to install.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# ruby_adapter NAME LIBRARY PINNED CHECK: runs CHECK (Ruby printing the library's version) with
# the helper loaded, refuses another version than PINNED, then writes adapters/NAME/.installed.
ruby_adapter() {
    local dir="$root/adapters/$1" version
    rm -f "$dir/.installed"
    version="$(ruby -e "require ARGV[0]; $4" "$root/adapters/ruby/jwt_conformance_adapter.rb")"
    if [ "$version" != "$3" ]; then
        echo "setup: $2 $version is installed, but the $1 adapter is pinned to $3 (Debian bookworm)" >&2
        exit 1
    fi
    touch "$dir/.installed"
    echo "setup: $2 $version"
}

ruby_adapter ruby-jwt ruby-jwt 2.5.0 'require "jwt"; print JWT::VERSION::STRING'
ruby_adapter json-jwt json-jwt 1.14.0 'require "json/jwt"; print Gem.loaded_specs.fetch("json-jwt").version'
