# Versions of the control-plane binaries the e2e harness runs. Sourced by build.sh; harness.ts reads
# the same values (keep the two in step: harness.ts parses this file).
# K8S_VERSION must match the k8s.io/kubernetes requirement in k8s/go.mod, ETCD_VERSION the
# go.etcd.io/etcd/server/v3 requirement there (the one Kubernetes itself requires).
K8S_VERSION=v1.36.3
ETCD_VERSION=v3.6.8
KWOK_VERSION=v0.8.0
# kustomize (renders deploy/) is pinned by k8s/go.mod too: sigs.k8s.io/kustomize/kustomize/v5 v5.8.1,
# the version Kubernetes itself requires.
# Traefik, the ingress controller the traefik tests run (build-traefik.sh): must match the
# github.com/traefik/traefik/v3 requirement in traefik/go.mod.
TRAEFIK_VERSION=v3.7.13
# cert-manager's CRDs for the ACME-chain test (e2e/cluster/cert-manager.test.ts): its module's deploy/crds.
CERT_MANAGER_VERSION=v1.21.2
