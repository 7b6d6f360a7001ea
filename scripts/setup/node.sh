#!/usr/bin/env bash
# Node adapters: `npm ci` in each adapter's folder, as pinned in its package-lock.json (the
# helper adapters/node is a file: dependency, linked into node_modules).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends nodejs npm
fi

# node_adapter NAME PACKAGE: installs adapters/NAME and prints PACKAGE's version. npm ci runs
# again only when package-lock.json differs from the copy kept in node_modules after the last one.
node_adapter() {
    local dir="$root/adapters/$1"
    if ! cmp -s "$dir/package-lock.json" "$dir/node_modules/.setup-package-lock.json"; then
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
        cp "$dir/package-lock.json" "$dir/node_modules/.setup-package-lock.json"
    fi
    # Loads the library as the adapter does (an import from its folder), then reads its version.
    (cd "$dir" && node --input-type=module -e '
        const name = process.argv[1];
        await import(name);
        const { readFileSync } = await import("node:fs");
        const pkg = JSON.parse(readFileSync(`node_modules/${name}/package.json`, "utf8"));
        console.log("setup:", name, pkg.version);' "$2")
}

node_adapter jose jose
node_adapter fast-jwt fast-jwt
node_adapter node-jsonwebtoken jsonwebtoken
node_adapter jsrsasign jsrsasign
node_adapter njwt njwt
