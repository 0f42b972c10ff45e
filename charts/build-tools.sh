#!/usr/bin/env bash
# Builds the tools the chart and alert tests run, once each, into caches outside the checkout keyed by
# version (like e2e/cluster/build.sh does for the control plane):
#   ${CHAINBOARD_HELM_CACHE:-$HOME/.cache/chainboard/helm-<ver>}/bin/helm
#   ${CHAINBOARD_PROMTOOL_CACHE:-$HOME/.cache/chainboard/promtool-<ver>}/bin/promtool
#   ${CHAINBOARD_PROM_CRDS_CACHE:-$HOME/.cache/chainboard/prometheus-operator-crds-<ver>}/*.yaml
# helm and promtool come from the Go module proxy with `go install <cmd>@<released tag>`; the Prometheus
# Operator's ServiceMonitor and PrometheusRule CRDs (for the chart's server-side dry run) are files of the
# prometheus-operator Go module, fetched with `go mod download`. Everything is moved into place only once
# it succeeded; what is present is reported as "cached" and not fetched or built again.
#
#   bash charts/build-tools.sh             build what is missing
#   bash charts/build-tools.sh --bin-dirs  print "helm=<dir>" and "promtool=<dir>" and exit
set -euo pipefail

# Released tags. Prometheus tags its Go module v0.<major*100+minor>.<patch> (v0.316.0 is Prometheus 3.16.0).
HELM_VERSION=v3.22.0
PROMTOOL_VERSION=v0.316.0
PROM_OPERATOR_VERSION=v0.85.0

helm_cache="${CHAINBOARD_HELM_CACHE:-$HOME/.cache/chainboard/helm-${HELM_VERSION}}"
promtool_cache="${CHAINBOARD_PROMTOOL_CACHE:-$HOME/.cache/chainboard/promtool-${PROMTOOL_VERSION}}"
crds_cache="${CHAINBOARD_PROM_CRDS_CACHE:-$HOME/.cache/chainboard/prometheus-operator-crds-${PROM_OPERATOR_VERSION}}"

if [[ "${1:-}" == "--bin-dirs" ]]; then
  echo "helm=$helm_cache/bin"
  echo "promtool=$promtool_cache/bin"
  echo "crds=$crds_cache"
  exit 0
fi

log() { echo "[build-tools.sh $(date +%H:%M:%S)] $*"; }
die() { echo "[build-tools.sh] ERROR: $*" >&2; exit 1; }

[[ -x /usr/local/go/bin/go ]] && PATH="$PATH:/usr/local/go/bin"
# Go is needed only for what is not cached yet.
need_go() { command -v go >/dev/null || die "go is not on PATH (needed to build $1)"; }

# Builds share the machine: low priority, and never let go fetch another toolchain.
export GOTOOLCHAIN=local
export CGO_ENABLED=0
export GOFLAGS="-buildvcs=false -mod=mod"

build_tool() { # name cache import-path@version ldflags
  local name="$1" cache="$2" pkg="$3" ldflags="$4"
  local bin="$cache/bin"
  mkdir -p "$bin"
  # One build at a time per cache (two test runs starting together must not build twice).
  exec 9>"$cache/.build.lock"
  if ! flock -n 9; then
    log "$name: another build holds $cache/.build.lock; waiting for it"
    flock 9
  fi
  if [[ -x "$bin/$name" ]]; then
    log "$name: cached at $bin/$name"
    exec 9>&-
    return
  fi
  need_go "$name"
  log "$name: go install $pkg"
  local t=$SECONDS tmpbin
  tmpbin="$(mktemp -d "$cache/.build.XXXXXX")"
  (cd "$cache" && GOBIN="$tmpbin" nice -n 10 go install -trimpath -ldflags "$ldflags" "$pkg") \
    || { rm -rf "$tmpbin"; die "go install $pkg failed"; }
  mv -f "$tmpbin/$name" "$bin/$name"
  rm -rf "$tmpbin"
  log "$name: built in $((SECONDS - t))s ($(du -m "$bin/$name" | cut -f1) MB); bin: $bin"
  exec 9>&-
}

build_tool helm "$helm_cache" "helm.sh/helm/v3/cmd/helm@${HELM_VERSION}" \
  "-s -w -X helm.sh/helm/v3/internal/version.version=${HELM_VERSION}"
build_tool promtool "$promtool_cache" "github.com/prometheus/prometheus/cmd/promtool@${PROMTOOL_VERSION}" \
  "-s -w"

crds=(monitoring.coreos.com_servicemonitors.yaml monitoring.coreos.com_prometheusrules.yaml)
if [[ -f "$crds_cache/${crds[0]}" && -f "$crds_cache/${crds[1]}" ]]; then
  log "prometheus-operator CRDs: cached at $crds_cache"
else
  need_go "the prometheus-operator CRDs"
  log "prometheus-operator CRDs: go mod download github.com/prometheus-operator/prometheus-operator@${PROM_OPERATOR_VERSION}"
  dir="$(cd /tmp && GOFLAGS=-mod=mod go mod download -json "github.com/prometheus-operator/prometheus-operator@${PROM_OPERATOR_VERSION}" \
    | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')" || die "go mod download prometheus-operator failed"
  [[ -n "$dir" ]] || die "go mod download gave no module directory for prometheus-operator"
  mkdir -p "$crds_cache"
  tmp="$(mktemp -d "$crds_cache/.fetch.XXXXXX")"
  for f in "${crds[@]}"; do
    cp "$dir/example/prometheus-operator-crd/$f" "$tmp/$f" || { rm -rf "$tmp"; die "$f is not in prometheus-operator ${PROM_OPERATOR_VERSION}"; }
    chmod 644 "$tmp/$f"
  done
  for f in "${crds[@]}"; do mv -f "$tmp/$f" "$crds_cache/$f"; done
  rm -rf "$tmp"
  log "prometheus-operator CRDs: in $crds_cache"
fi
