#!/usr/bin/env bash
# Perl adapters: Debian's Crypt::JWT, CryptX, JSON and JSON::XS (scripts/setup/perl.debs,
# installed by scripts/setup.sh; installed here too when this script runs alone), checked
# against the pinned version. The helper (adapters/perl) is loaded with `use lib`: nothing to
# install.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
debs="$root/scripts/setup/perl.debs"

mapfile -t wanted < <(sed 's/#.*//' "$debs" | tr -s ' \t' '\n\n' | sed '/^$/d')
missing=()
for package in "${wanted[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

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
