#!/usr/bin/env bash
# Builds Traefik for the e2e harness (traefik.ts), once, into its own key of the same cache as the
# control-plane binaries, so a control-plane cache is reused as it is and Traefik is built only when
# its own binary is missing:
#   ${CHAINBOARD_TRAEFIK_CACHE:-$HOME/.cache/chainboard/traefik-<version>}/bin/traefik
# It comes from the wrapper Go module in traefik/ (go.mod + go.sum committed): `go install
# github.com/traefik/traefik/v3/cmd/traefik@<tag>` refuses Traefik's go.mod for its replace directives.
# build.sh calls this script; it also runs on its own.
#
#   bash e2e/cluster/build-traefik.sh            build Traefik if it is missing
#   bash e2e/cluster/build-traefik.sh --bin-dir  print the bin directory and exit
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
source "$here/versions.sh"

cache="${CHAINBOARD_TRAEFIK_CACHE:-$HOME/.cache/chainboard/traefik-${TRAEFIK_VERSION}}"
bin="$cache/bin"

if [[ "${1:-}" == "--bin-dir" ]]; then
  echo "$bin"
  exit 0
fi

log() { echo "[build-traefik.sh $(date +%H:%M:%S)] $*"; }
die() { echo "[build-traefik.sh] ERROR: $*" >&2; exit 1; }

command -v go >/dev/null || die "go is not on PATH (Go >= 1.26 is needed to build Traefik ${TRAEFIK_VERSION})"
grep -qE "github.com/traefik/traefik/v3 ${TRAEFIK_VERSION}( |\$)" "$here/traefik/go.mod" \
  || die "traefik/go.mod does not require github.com/traefik/traefik/v3 ${TRAEFIK_VERSION} (versions.sh)"

mkdir -p "$bin"
# One build at a time per cache (two test runs starting together must not build twice).
exec 9>"$cache/.build.lock"
if ! flock -n 9; then
  log "another build holds $cache/.build.lock; waiting for it"
  flock 9
fi

if [[ -x "$bin/traefik" ]]; then
  log "traefik: cached at $bin/traefik"
  exit 0
fi

# Builds share the machine: low priority, and never let go fetch another toolchain.
export GOTOOLCHAIN=local
export CGO_ENABLED=0
export GOFLAGS="-buildvcs=false -mod=readonly"

v=github.com/traefik/traefik/v3/pkg/version
ldflags="-s -w -X $v.Version=${TRAEFIK_VERSION} -X $v.BuildDate=1970-01-01T00:00:00Z"
log "traefik: building github.com/traefik/traefik/v3/cmd/traefik (module traefik/, ${TRAEFIK_VERSION})"
t=$SECONDS
(cd "$here/traefik" && nice -n 10 go build -trimpath -ldflags "$ldflags" -o "$bin/traefik.tmp" \
  github.com/traefik/traefik/v3/cmd/traefik) || { rm -f "$bin/traefik.tmp"; die "building traefik failed"; }
mv -f "$bin/traefik.tmp" "$bin/traefik"
log "traefik: built in $((SECONDS - t))s ($(du -m "$bin/traefik" | cut -f1) MB); bin: $bin"
