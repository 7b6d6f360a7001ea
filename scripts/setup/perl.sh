#!/usr/bin/env bash
# Perl adapters: Debian's Crypt::JWT, CryptX, JSON, JSON::XS and Mojo::JWT (scripts/setup/perl.debs,
# installed by scripts/setup.sh before this script runs; `SETUP_LANGUAGES=perl` runs it alone),
# checked against the pinned version. The helper (adapters/perl) is loaded with `use lib`:
# nothing to install.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# perl_adapter NAME LIBRARY PINNED CHECK: runs CHECK (Perl printing the library's version, then
# other details) with the helper loaded, refuses another version than PINNED, then writes
# adapters/NAME/.installed.
perl_adapter() {
    local dir="$root/adapters/$1" line
    rm -f "$dir/.installed"
    line="$(perl -I"$root/adapters/perl" -MJwtConformanceAdapter -e "$4")"
    if [ "${line%% *}" != "$3" ]; then
        echo "setup: $2 ${line%% *} is installed, but the $1 adapter is pinned to $3 (Debian bookworm)" >&2
        exit 1
    fi
    touch "$dir/.installed"
    echo "setup: $2 $line"
}

# The adapter pins JSON.pm's backend to JSON::XS: it must load.
perl_adapter crypt-jwt Crypt::JWT 0.034 'BEGIN { $ENV{PERL_JSON_BACKEND} = "JSON::XS" } use Crypt::JWT; use JSON;
    JSON->is_xs or die "JSON.pm did not load JSON::XS\n";
    print "$Crypt::JWT::VERSION (CryptX $CryptX::VERSION, JSON::XS $JSON::XS::VERSION)"'
perl_adapter mojo-jwt Mojo::JWT 0.09 'use Mojo::JWT; use Mojolicious; use Crypt::OpenSSL::RSA; use Crypt::OpenSSL::Bignum;
    print "$Mojo::JWT::VERSION (Mojolicious $Mojolicious::VERSION, Crypt::OpenSSL::RSA $Crypt::OpenSSL::RSA::VERSION)"'
