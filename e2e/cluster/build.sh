#!/usr/bin/env bash
# Builds the control-plane binaries the e2e harness runs, once, into a cache outside the checkout
# keyed by version:
#   ${CHAINBOARD_K8S_CACHE:-$HOME/.cache/chainboard/k8s-<k8s>-etcd-<etcd>-kwok-<kwok>}/bin
# etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kustomize come from the wrapper Go
# module in k8s/ (go.mod + go.sum committed, versions pinned there); kwok from
# `go install sigs.k8s.io/kwok/cmd/kwok@<tag>`. Then build-traefik.sh builds Traefik (its own cache key).
# Only what is missing is built; a binary is moved into place only once its build succeeded.
#
#   bash e2e/cluster/build.sh            build what is missing
#   bash e2e/cluster/build.sh --bin-dir  print the bin directory and exit
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
source "$here/versions.sh"

cache="${CHAINBOARD_K8S_CACHE:-$HOME/.cache/chainboard/k8s-${K8S_VERSION}-etcd-${ETCD_VERSION}-kwok-${KWOK_VERSION}}"
bin="$cache/bin"

if [[ "${1:-}" == "--bin-dir" ]]; then
  echo "$bin"
  exit 0
fi

log() { echo "[build.sh $(date +%H:%M:%S)] $*"; }
die() { echo "[build.sh] ERROR: $*" >&2; exit 1; }

command -v go >/dev/null || die "go is not on PATH (Go >= 1.26 is needed to build Kubernetes ${K8S_VERSION})"
gover="$(go env GOVERSION)"
case "$gover" in
  go1.2[6-9]*|go1.[3-9]*) ;;
  *) die "Go $gover is too old: Kubernetes ${K8S_VERSION} needs go >= 1.26.0" ;;
esac

mkdir -p "$bin"
# One build at a time per cache (two test runs starting together must not build twice).
exec 9>"$cache/.build.lock"
if ! flock -n 9; then
  log "another build.sh holds $cache/.build.lock; waiting for it"
  flock 9
fi

# Builds share the machine: run them at low priority, and never let go fetch another toolchain.
export GOTOOLCHAIN=local
export CGO_ENABLED=0
export GOFLAGS="-buildvcs=false -mod=readonly"
nicecmd=(nice -n 10)

ldflags="-s -w"
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
  ldflags+=" -X $p.gitVersion=${K8S_VERSION} -X $p.gitMajor=1 -X $p.gitMinor=${minor}"
  ldflags+=" -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
done

start_all=$SECONDS
built=()

build_go() { # name import-path
  local name="$1" pkg="$2"
  if [[ -x "$bin/$name" ]]; then
    log "$name: cached at $bin/$name"
    return
  fi
  log "$name: building $pkg (module k8s/, ${K8S_VERSION})"
  local t=$SECONDS
  (cd "$here/k8s" && "${nicecmd[@]}" go build -trimpath -ldflags "$ldflags" -o "$bin/$name.tmp" "$pkg") \
    || die "building $name failed"
  mv -f "$bin/$name.tmp" "$bin/$name"
  log "$name: built in $((SECONDS - t))s"
  built+=("$name")
}

build_go etcd go.etcd.io/etcd/server/v3
build_go kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver
build_go kube-controller-manager k8s.io/kubernetes/cmd/kube-controller-manager
build_go kube-scheduler k8s.io/kubernetes/cmd/kube-scheduler
# kustomize renders deploy/ exactly as `kubectl apply -k` would (deploy/manifests.test.ts, the suite).
build_go kustomize sigs.k8s.io/kustomize/kustomize/v5

if [[ -x "$bin/kwok" ]]; then
  log "kwok: cached at $bin/kwok"
else
  log "kwok: go install sigs.k8s.io/kwok/cmd/kwok@${KWOK_VERSION}"
  t=$SECONDS
  tmpbin="$(mktemp -d "$cache/.kwok.XXXXXX")"
  (cd "$cache" && GOFLAGS=-buildvcs=false GOBIN="$tmpbin" "${nicecmd[@]}" go install -trimpath -ldflags "-s -w" \
    "sigs.k8s.io/kwok/cmd/kwok@${KWOK_VERSION}") || { rm -rf "$tmpbin"; die "go install kwok failed"; }
  mv -f "$tmpbin/kwok" "$bin/kwok"
  rm -rf "$tmpbin"
  log "kwok: built in $((SECONDS - t))s"
  built+=("kwok")
fi

for b in etcd kube-apiserver kube-controller-manager kube-scheduler kustomize kwok; do
  [[ -x "$bin/$b" ]] || die "$bin/$b is missing after the build"
done
log "done in $((SECONDS - start_all))s; built: ${built[*]:-nothing (all cached)}; bin: $bin"

# Traefik, for the traefik tests: its own cache key and lock, so a control-plane cache is reused as it is.
exec 9>&-
bash "$here/build-traefik.sh"
