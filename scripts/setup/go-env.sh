# Sourced by scripts/setup/go.sh and scripts/test.sh: Debian's Go in GOPATH mode against
# Debian's library packages (no module proxy), with a build cache that persists between runs.
root="${root:?}"
export GO111MODULE=off GOFLAGS= GOPROXY=off CGO_ENABLED=0
export GOPATH="$root/adapters/go:/usr/share/gocode"
export GOCACHE="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/jwt-conformance/go-build"
