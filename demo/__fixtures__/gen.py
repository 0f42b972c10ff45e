# Writes cluster.yaml: a small kubectl-shaped dump for the demo server's tests (python3 gen.py > cluster.yaml).
import json, sys
T = "2025-05-01T10:00:00Z"
items = []
def meta(name, ns=None, labels=None, annotations=None, owners=None, uid=None):
    m = {"name": name, "creationTimestamp": T, "resourceVersion": "1", "uid": uid or f"00000000-0000-4000-8000-{abs(hash((name, ns))) % 10**12:012d}"}
    if ns: m["namespace"] = ns
    if labels: m["labels"] = labels
    if annotations: m["annotations"] = annotations
    if owners: m["ownerReferences"] = owners
    m["managedFields"] = [{"manager": "kubectl", "operation": "Update", "apiVersion": "v1", "time": T}]
    return m
items.append({"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass", "metadata": meta("traefik-external"), "spec": {"controller": "traefik.io/ingress-controller"}})
for ns in ["hst-my-client", "hst-acme", "hst-globex", "kube-system"]:
    items.append({"apiVersion": "v1", "kind": "Namespace", "metadata": meta(ns, labels={"kubernetes.io/metadata.name": ns}), "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}})
ipn = [10]
def app(ns, name, host, replicas, port=8080, ready=True):
    h = "7d9f8b6c5d" if name == "web" else "5c6b7d8f9a"
    rs = f"{name}-{h}"
    sel = {"app": name}
    items.append({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {**meta(name, ns, labels=sel), "generation": 1},
        "spec": {"replicas": replicas, "selector": {"matchLabels": sel}, "template": {"metadata": {"labels": sel}, "spec": {"containers": [{"name": name, "image": f"registry.example.com/{name}:1.4.2", "ports": [{"name": "http", "containerPort": port, "protocol": "TCP"}]}]}}},
        "status": {"observedGeneration": 1, "replicas": replicas, "readyReplicas": replicas, "availableReplicas": replicas, "updatedReplicas": replicas}})
    items.append({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": meta(rs, ns, labels={**sel, "pod-template-hash": h}, owners=[{"apiVersion": "apps/v1", "kind": "Deployment", "name": name, "uid": "d", "controller": True}]),
        "spec": {"replicas": replicas, "selector": {"matchLabels": {**sel, "pod-template-hash": h}}}, "status": {"replicas": replicas, "readyReplicas": replicas, "availableReplicas": replicas}})
    eps = []
    for i in range(replicas):
        pod = f"{rs}-{'abcde fghij klmno'.split()[i]}"
        ipn[0] += 1
        ip = f"10.244.1.{ipn[0]}"
        items.append({"apiVersion": "v1", "kind": "Pod", "metadata": meta(pod, ns, labels={**sel, "pod-template-hash": h}, owners=[{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": rs, "uid": "r", "controller": True, "blockOwnerDeletion": True}]),
            "spec": {"nodeName": "node-1", "terminationGracePeriodSeconds": 30, "restartPolicy": "Always", "containers": [{"name": name, "image": f"registry.example.com/{name}:1.4.2", "ports": [{"name": "http", "containerPort": port, "protocol": "TCP"}]}]},
            "status": {"phase": "Running", "podIP": ip, "podIPs": [{"ip": ip}], "hostIP": "10.0.0.11", "startTime": T, "qosClass": "BestEffort",
                "conditions": [{"type": t, "status": "True", "lastTransitionTime": T} for t in ["Initialized", "Ready", "ContainersReady", "PodScheduled"]],
                "containerStatuses": [{"name": name, "ready": True, "started": True, "restartCount": 0, "image": f"registry.example.com/{name}:1.4.2", "imageID": "", "state": {"running": {"startedAt": T}}}]}})
        eps.append({"addresses": [ip], "conditions": {"ready": True, "serving": True, "terminating": False}, "nodeName": "node-1", "targetRef": {"kind": "Pod", "namespace": ns, "name": pod, "uid": "p"}})
    items.append({"apiVersion": "v1", "kind": "Service", "metadata": meta(name, ns, labels=sel), "spec": {"type": "ClusterIP", "clusterIP": f"10.96.0.{ipn[0]}", "selector": sel, "ports": [{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"}]}})
    items.append({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "metadata": meta(f"{name}-x7k2p", ns, labels={"kubernetes.io/service-name": name, "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"}, owners=[{"apiVersion": "v1", "kind": "Service", "name": name, "uid": "s", "controller": True}]),
        "addressType": "IPv4", "endpoints": eps, "ports": [{"name": "http", "port": port, "protocol": "TCP"}]})
    items.append({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta(name, ns, annotations={"traefik.ingress.kubernetes.io/router.entrypoints": "websecure", "traefik.ingress.kubernetes.io/router.tls.certresolver": "letsencrypt", "external-dns.alpha.kubernetes.io/hostname": host, "kubectl.kubernetes.io/last-applied-configuration": "{}"}),
        "spec": {"ingressClassName": "traefik-external", "tls": [{"hosts": [host], "secretName": f"{name}-tls"}], "rules": [{"host": host, "http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": {"service": {"name": name, "port": {"name": "http"}}}}]}}]},
        "status": {"loadBalancer": {"ingress": [{"ip": "203.0.113.10"}]}}})
app("hst-my-client", "web", "app.my-client.junovy.com", 2)
app("hst-acme", "api", "api.acme.example.com", 1)
app("hst-globex", "web", "www.globex.example.com", 2)
# A Service whose selector matches nothing: an empty slice.
items.append({"apiVersion": "v1", "kind": "Service", "metadata": meta("worker", "hst-acme", labels={"app": "worker"}), "spec": {"type": "ClusterIP", "clusterIP": "10.96.0.99", "selector": {"app": "worker"}, "ports": [{"port": 80, "targetPort": 9000}]}})
items.append({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "metadata": meta("worker-q9z8w", "hst-acme", labels={"kubernetes.io/service-name": "worker"}), "addressType": "IPv4", "endpoints": None, "ports": [{"port": 9000, "protocol": "TCP"}]})
items.append({"apiVersion": "v1", "kind": "Event", "metadata": meta("worker.17f3a2b1c0d4e5f6", "hst-acme"), "involvedObject": {"kind": "Service", "namespace": "hst-acme", "name": "worker", "apiVersion": "v1"},
    "reason": "FailedToUpdateEndpointSlices", "message": "Error updating Endpoint Slices for Service hst-acme/worker", "source": {"component": "endpoint-slice-controller"}, "firstTimestamp": T, "lastTimestamp": T, "count": 3, "type": "Warning", "eventTime": None, "reportingComponent": "endpoint-slice-controller", "reportingInstance": ""})
items.append({"apiVersion": "v1", "kind": "Event", "metadata": meta("web.17f3a2b1c0d4e5f7", "hst-my-client"), "involvedObject": {"kind": "Deployment", "namespace": "hst-my-client", "name": "web", "apiVersion": "apps/v1"},
    "reason": "ScalingReplicaSet", "message": "Scaled up replica set web-7d9f8b6c5d to 2", "source": {"component": "deployment-controller"}, "firstTimestamp": T, "lastTimestamp": T, "count": 1, "type": "Normal", "eventTime": None, "reportingComponent": "deployment-controller", "reportingInstance": ""})
items.append({"apiVersion": "v1", "kind": "Secret", "metadata": meta("api-tls", "hst-acme"), "type": "kubernetes.io/tls", "data": {"tls.crt": "", "tls.key": "c2VjcmV0"}})
items.append({"apiVersion": "v1", "kind": "Secret", "metadata": meta("db-password", "hst-acme"), "type": "Opaque", "data": {"password": "c2VjcmV0"}})
items.append({"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta("kube-root-ca.crt", "hst-acme"), "data": {"ca.crt": "x"}})
items.append({"apiVersion": "v1", "kind": "Pod", "metadata": meta("coredns-5d78c9869d-abcde", "kube-system", labels={"k8s-app": "kube-dns"}), "spec": {"nodeName": "node-1", "containers": [{"name": "coredns", "image": "registry.k8s.io/coredns/coredns:v1.11.1"}]}, "status": {"phase": "Running", "podIP": "10.244.0.2"}})
import yaml
print("# A small kubectl-shaped dump (kubectl get ... -A -o yaml) for the demo server's tests. Generated by gen.py.")
print(yaml.safe_dump({"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": items}, sort_keys=False, default_flow_style=False))
