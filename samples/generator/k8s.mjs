// Builders for Kubernetes objects shaped the way the API server and its controllers write them, so the
// sample dump reads like `kubectl get -o yaml` output of a real cluster. Everything is derived from
// names with hashes (uids, pod-name suffixes, IPs): regenerating writes the same bytes.
import { createHash } from 'node:crypto';

/** The moment the sample dump was taken. Analyse it with this `now` to get the README's results. */
export const REFERENCE_TIME = '2026-11-26T09:30:00Z';
const REF = Date.parse(REFERENCE_TIME);

export const MIN = 60;
export const HOUR = 3600;
export const DAY = 86400;

/** RFC 3339 without fraction, as the API server writes timestamps; `s` seconds before the reference time. */
export const ago = (s) => new Date(REF - s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

const digest = (s) => createHash('sha256').update(s).digest();
const hex = (s, n = 64) => digest(s).toString('hex').slice(0, n);

export function uid(key) {
  const h = hex(`uid:${key}`, 32).split('');
  h[12] = '4';
  h[16] = '89ab'[parseInt(h[16], 16) % 4];
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

// The alphabet of the apiserver's generateName suffixes and of pod-template-hash values.
const SAFE = 'bcdfghjklmnpqrstvwxz2456789';
function suffix(key, n) {
  const b = digest(`suffix:${key}`);
  let out = '';
  for (let i = 0; i < n; i++) out += SAFE[b[i] % SAFE.length];
  return out;
}

let rv = 5_120_344;
const nextRV = () => String((rv += 17 + (rv % 13)));

function meta(kind, { name, namespace, created, labels, annotations, owner, generateName, extra }) {
  return {
    annotations: annotations && Object.keys(annotations).length ? annotations : undefined,
    creationTimestamp: ago(created),
    generateName,
    ...extra,
    labels: labels && Object.keys(labels).length ? labels : undefined,
    name,
    namespace,
    ownerReferences: owner
      ? [{ apiVersion: owner.apiVersion, blockOwnerDeletion: true, controller: true, kind: owner.kind, name: owner.name, uid: owner.uid }]
      : undefined,
    resourceVersion: nextRV(),
    uid: uid(`${kind}/${namespace ?? ''}/${name}`),
  };
}

export const NODES = {
  'worker-1': { ip: '10.0.0.11', pods: '10.42.1', next: 10 },
  'worker-2': { ip: '10.0.0.12', pods: '10.42.2', next: 10 },
  'worker-3': { ip: '10.0.0.13', pods: '10.42.3', next: 10 },
  // Lost at 06:20: only the stuck pod of hst-initech/git is still bound to it.
  'worker-4': { ip: '10.0.0.14', pods: '10.42.4', next: 10 },
};
const SCHEDULABLE = ['worker-1', 'worker-2', 'worker-3'];

const usedClusterIPs = new Set();
function clusterIP(key) {
  const b = digest(`ip:${key}`);
  let ip = `10.43.${b[0]}.${(b[1] % 250) + 2}`;
  for (let i = 2; usedClusterIPs.has(ip); i++) ip = `10.43.${b[0]}.${(b[i] % 250) + 2}`;
  usedClusterIPs.add(ip);
  return ip;
}

/** A client (or system) namespace and everything in it, in the order kubectl lists kinds. */
export class Namespace {
  constructor(name, { created, labels = {} }) {
    this.name = name;
    this.object = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: meta('Namespace', { name, created, labels: { 'kubernetes.io/metadata.name': name, ...labels } }),
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    };
    this.ingresses = [];
    this.services = [];
    this.pods = [];
    this.events = [];
    this.secrets = [];
    this.certificates = [];
    this.slices = [];
  }

  /**
   * Pods of one Deployment. `pods` lists each pod's state; a pod with `old: true` belongs to the previous
   * ReplicaSet (a rollout in progress). Returns the pods for events to refer to.
   */
  deployment({ name, labels, image, oldImage, container = name, ports = [], readiness = '/healthz', created, resources, pods }) {
    const out = [];
    pods.forEach((p, i) => {
      const old = Boolean(p.old);
      const img = old ? oldImage : image;
      const hash = suffix(`${this.name}/${name}/${img}`, 10);
      const rs = `${name}-${hash}`;
      const podName = `${rs}-${suffix(`${this.name}/${rs}/${i}`, 5)}`;
      const node = p.node ?? (p.state === 'pending' ? undefined : SCHEDULABLE[(digest(`${this.name}/${name}`)[0] + i) % SCHEDULABLE.length]);
      out.push(
        this.pod({
          name: podName,
          rs,
          hash,
          labels,
          containers: [{ name: container, image: img, ports, readiness, resources }],
          node,
          created: p.created ?? (old ? created : created - 60 * (i + 1)),
          ...p,
        }),
      );
    });
    return out;
  }

  pod({ name, rs, hash, labels, containers, node, created, state, restarts = 0, ...p }) {
    const ns = this.name;
    const podUid = uid(`Pod/${ns}/${name}`);
    const nodeInfo = node ? NODES[node] : undefined;
    const podIP = nodeInfo && state !== 'pending' ? `${nodeInfo.pods}.${nodeInfo.next++}` : undefined;
    const apiVol = `kube-api-access-${suffix(`${ns}/${name}/vol`, 5)}`;
    const started = created - 5;
    const running = (since = created - 12) => ({ running: { startedAt: ago(since) } });
    const cid = (n) => `containerd://${hex(`${ns}/${name}/${n}`)}`;
    const imageID = (img) => `${img.split(':')[0]}@sha256:${hex(`image:${img}`)}`;
    const cond = (type, status, since, extra = {}) => ({ lastProbeTime: null, lastTransitionTime: ago(since), ...extra, status, type });
    const notReady = (names, since) => ({ message: `containers with unready status: [${names}]`, reason: 'ContainersNotReady', since });

    const cname = containers.map((c) => c.name).join(' ');
    let phase = 'Running';
    let reason;
    let message;
    let ready = { status: 'True', since: created - 20 };
    let extraConditions = [];
    let scheduled = true;
    let readyToStart = 'True';
    let containerStatuses = containers.map((c, i) => ({
      containerID: cid(i),
      image: c.image,
      imageID: imageID(c.image),
      lastState: {},
      name: c.name,
      ready: true,
      restartCount: restarts,
      started: true,
      state: running(),
    }));
    const each = (f) => (containerStatuses = containerStatuses.map(f));
    const deletion = {};

    switch (state) {
      case 'ready':
        break;
      case 'not-ready':
        ready = { status: 'False', ...notReady(cname, p.notReadySince) };
        each((s) => ({ ...s, ready: false }));
        break;
      case 'crash-loop':
        phase = 'Running';
        ready = { status: 'False', ...notReady(cname, created - 30) };
        each((s) => ({
          ...s,
          lastState: { terminated: { containerID: cid('last'), exitCode: p.exitCode, finishedAt: ago(p.lastFinished), reason: 'Error', startedAt: ago(p.lastFinished + 2) } },
          ready: false,
          started: false,
          state: { waiting: { message: `back-off 5m0s restarting failed container=${s.name} pod=${name}_${ns}(${podUid})`, reason: 'CrashLoopBackOff' } },
          containerID: cid('last'),
        }));
        break;
      case 'image-pull':
      case 'config-error':
        phase = 'Pending';
        ready = { status: 'False', ...notReady(cname, created - 3) };
        each((s) => ({
          image: s.image,
          imageID: '',
          lastState: {},
          name: s.name,
          ready: false,
          restartCount: 0,
          started: false,
          state: {
            waiting:
              state === 'image-pull'
                ? { message: `Back-off pulling image "${s.image}"`, reason: 'ImagePullBackOff' }
                : { message: p.configMessage, reason: 'CreateContainerConfigError' },
          },
        }));
        break;
      case 'oom-killed':
      case 'restarting':
        each((s) => ({
          ...s,
          containerID: cid(`run-${restarts}`),
          lastState: {
            terminated: {
              containerID: cid(`run-${restarts - 1}`),
              exitCode: state === 'oom-killed' ? 137 : p.exitCode,
              finishedAt: ago(p.lastFinished),
              reason: state === 'oom-killed' ? 'OOMKilled' : 'Error',
              startedAt: ago(p.lastStarted),
            },
          },
          state: running(p.lastFinished - 1),
        }));
        ready = { status: 'True', since: p.lastFinished - 15 };
        break;
      case 'pending':
        phase = 'Pending';
        scheduled = false;
        containerStatuses = undefined;
        break;
      case 'evicted':
        phase = 'Failed';
        reason = 'Evicted';
        message = p.evictionMessage;
        readyToStart = 'False';
        ready = { status: 'False', reason: 'PodFailed', since: p.evictedAt };
        extraConditions = [cond('DisruptionTarget', 'True', p.evictedAt, { message: p.evictionMessage, reason: 'TerminationByKubelet' })];
        each((s) => ({
          ...s,
          ready: false,
          started: false,
          state: { terminated: { containerID: s.containerID, exitCode: 137, finishedAt: ago(p.evictedAt - 2), reason: 'Error', startedAt: ago(created - 12) } },
        }));
        break;
      case 'terminating':
        // A graceful delete: deletionTimestamp is when the grace period ends, still in the future.
        deletion.deletionGracePeriodSeconds = 30;
        deletion.deletionTimestamp = ago(p.deletedAgo - 30);
        break;
      case 'terminating-stuck':
        // The node stopped reporting; the taint manager evicted the pod but no kubelet confirms it.
        deletion.deletionGracePeriodSeconds = 30;
        deletion.deletionTimestamp = ago(p.deletedAgo - 30);
        ready = { status: 'False', since: p.nodeLostAgo };
        extraConditions = [cond('DisruptionTarget', 'True', p.deletedAgo, { message: 'Taint manager: deleting due to NoExecute taint', reason: 'DeletionByTaintManager' })];
        break;
      default:
        throw new Error(`unknown pod state ${state}`);
    }

    const { since: readySince, ...readyExtra } = ready;
    const conditions = scheduled
      ? [
          ...extraConditions,
          cond('PodReadyToStartContainers', readyToStart, started),
          cond('Initialized', 'True', started),
          cond('Ready', ready.status, readySince ?? started, readyExtra.reason ? { message: readyExtra.message, reason: readyExtra.reason } : {}),
          cond('ContainersReady', ready.status, readySince ?? started, readyExtra.reason ? { message: readyExtra.message, reason: readyExtra.reason } : {}),
          cond('PodScheduled', 'True', created - 1),
        ]
      : [cond('PodScheduled', 'False', created - 1, { message: p.unschedulableMessage, reason: 'Unschedulable' })];

    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: meta('Pod', {
        name,
        namespace: ns,
        created,
        generateName: `${rs}-`,
        labels: { ...labels, 'pod-template-hash': hash },
        owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, uid: uid(`ReplicaSet/${ns}/${rs}`) },
        extra: deletion,
      }),
      spec: {
        containers: containers.map((c) => ({
          image: c.image,
          imagePullPolicy: 'IfNotPresent',
          name: c.name,
          ports: c.ports.length ? c.ports.map((pt) => ({ containerPort: pt.containerPort, name: pt.name, protocol: 'TCP' })) : undefined,
          readinessProbe: c.readiness && c.ports[0]
            ? { failureThreshold: 3, httpGet: { path: c.readiness, port: c.ports[0].name ?? c.ports[0].containerPort, scheme: 'HTTP' }, periodSeconds: 10, successThreshold: 1, timeoutSeconds: 1 }
            : undefined,
          resources: c.resources ?? { limits: { memory: '256Mi' }, requests: { cpu: '50m', memory: '128Mi' } },
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          volumeMounts: [{ mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name: apiVol, readOnly: true }],
        })),
        dnsPolicy: 'ClusterFirst',
        enableServiceLinks: true,
        nodeName: node,
        preemptionPolicy: 'PreemptLowerPriority',
        priority: 0,
        restartPolicy: 'Always',
        schedulerName: 'default-scheduler',
        securityContext: {},
        serviceAccount: 'default',
        serviceAccountName: 'default',
        terminationGracePeriodSeconds: 30,
        tolerations: [
          { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 },
          { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 },
        ],
        volumes: [
          {
            name: apiVol,
            projected: {
              defaultMode: 420,
              sources: [
                { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
                { configMap: { items: [{ key: 'ca.crt', path: 'ca.crt' }], name: 'kube-root-ca.crt' } },
                { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } },
              ],
            },
          },
        ],
      },
      status: {
        conditions,
        containerStatuses,
        hostIP: nodeInfo?.ip,
        hostIPs: nodeInfo ? [{ ip: nodeInfo.ip }] : undefined,
        message,
        phase,
        podIP,
        podIPs: podIP ? [{ ip: podIP }] : undefined,
        qosClass: 'Burstable',
        reason,
        startTime: scheduled ? ago(started) : undefined,
      },
    };
    this.pods.push(pod);
    return pod;
  }

  /** A Service; `ports` as in the spec (targetPort a number or a container port name). */
  service({ name, labels = {}, selector, ports, type = 'ClusterIP', externalName, created }) {
    const spec =
      type === 'ExternalName'
        ? { externalName, ports: ports?.map((p) => ({ name: p.name, port: p.port, protocol: 'TCP', targetPort: p.targetPort ?? p.port })), sessionAffinity: 'None', type }
        : {
            clusterIP: clusterIP(`${this.name}/${name}`),
            internalTrafficPolicy: 'Cluster',
            ipFamilies: ['IPv4'],
            ipFamilyPolicy: 'SingleStack',
            ports: ports.map((p) => ({ name: p.name, nodePort: p.nodePort, port: p.port, protocol: 'TCP', targetPort: p.targetPort ?? p.port })),
            selector,
            sessionAffinity: 'None',
            type,
            ...(type === 'LoadBalancer' ? { allocateLoadBalancerNodePorts: true, externalTrafficPolicy: 'Cluster' } : {}),
          };
    if (spec.clusterIP) spec.clusterIPs = [spec.clusterIP];
    const svc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('Service', { name, namespace: this.name, created, labels }),
      spec,
      status: { loadBalancer: type === 'LoadBalancer' ? { ingress: [{ ip: '127.0.0.1', ipMode: 'VIP' }] } : {} },
    };
    this.services.push(svc);
    return svc;
  }

  /**
   * EndpointSlices for every selector Service, computed the way the endpointslice controller does it:
   * pods with an IP and not terminal; ports resolved per pod (a named targetPort no container declares is
   * left out); `ready` = pod Ready and not deleting, `serving` = pod Ready, `terminating` = deleting; a
   * placeholder slice with no endpoints when nothing matches.
   *
   * @see https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/
   */
  buildSlices() {
    this.slices = [];
    for (const svc of this.services) {
      const sel = svc.spec.selector;
      if (!sel || svc.spec.type === 'ExternalName') continue;
      const name = svc.metadata.name;
      const matching = this.pods.filter(
        (p) => Object.entries(sel).every(([k, v]) => p.metadata.labels?.[k] === v) && p.status.podIP && !['Failed', 'Succeeded'].includes(p.status.phase),
      );
      const groups = new Map();
      for (const pod of matching) {
        const ports = [];
        for (const sp of svc.spec.ports) {
          let port;
          if (typeof sp.targetPort === 'number') port = sp.targetPort;
          else for (const c of pod.spec.containers) for (const cp of c.ports ?? []) if (cp.name === sp.targetPort) port = cp.containerPort;
          if (port !== undefined) ports.push({ name: sp.name ?? '', port, protocol: 'TCP' });
        }
        const key = JSON.stringify(ports);
        if (!groups.has(key)) groups.set(key, { ports, endpoints: [] });
        const readyCond = pod.status.conditions.find((c) => c.type === 'Ready')?.status === 'True';
        const deleting = Boolean(pod.metadata.deletionTimestamp);
        groups.get(key).endpoints.push({
          addresses: [pod.status.podIP],
          conditions: { ready: readyCond && !deleting, serving: readyCond, terminating: deleting },
          nodeName: pod.spec.nodeName,
          targetRef: { kind: 'Pod', name: pod.metadata.name, namespace: this.name, uid: pod.metadata.uid },
        });
      }
      if (groups.size === 0) groups.set('placeholder', { ports: null, endpoints: null });
      let n = 0;
      for (const { ports, endpoints } of groups.values()) {
        const sliceName = `${name}-${suffix(`${this.name}/${name}/slice/${n++}`, 5)}`;
        const created = Date.parse(REFERENCE_TIME) / 1000 - Date.parse(svc.metadata.creationTimestamp) / 1000;
        const lastChange = Math.min(created, ...matching.map((p) => REF / 1000 - Date.parse(p.metadata.creationTimestamp) / 1000));
        this.slices.push({
          addressType: 'IPv4',
          apiVersion: 'discovery.k8s.io/v1',
          endpoints: endpoints ? endpoints.sort((a, b) => a.targetRef.name.localeCompare(b.targetRef.name)) : null,
          kind: 'EndpointSlice',
          metadata: meta('EndpointSlice', {
            name: sliceName,
            namespace: this.name,
            created,
            generateName: `${name}-`,
            annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': ago(Math.max(0, lastChange - 20)) },
            labels: {
              ...svc.metadata.labels,
              'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
              'kubernetes.io/service-name': name,
            },
            owner: { apiVersion: 'v1', kind: 'Service', name, uid: svc.metadata.uid },
            extra: { generation: 1 + (endpoints?.length ?? 0) },
          }),
          ports: ports && ports.length ? ports : null,
        });
      }
    }
  }

  /**
   * An Ingress. `address: false` leaves status.loadBalancer empty (no controller published one);
   * otherwise Traefik's published address, 127.0.0.1 so that probes stay on loopback.
   */
  ingress({ name, className, annotations = {}, labels = {}, rules, defaultBackend, tls, address = true, created }) {
    const ing = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: meta('Ingress', { name, namespace: this.name, created, labels, annotations, extra: { generation: 1 } }),
      spec: {
        defaultBackend,
        ingressClassName: className,
        rules: rules?.map((r) => ({
          host: r.host,
          http: { paths: r.paths.map((p) => ({ backend: p.backend, path: p.path ?? '/', pathType: p.pathType ?? 'Prefix' })) },
        })),
        tls,
      },
      status: { loadBalancer: address ? { ingress: [{ ip: '127.0.0.1' }] } : {} },
    };
    this.ingresses.push(ing);
    return ing;
  }

  /** A Warning (or Normal) Event about an object, as the kubelet, scheduler or a controller reports it. */
  event({ object, type = 'Warning', reason, message, count = 1, first, last, component, host, fieldPath }) {
    const objKind = object.kind;
    const objName = object.metadata.name;
    const name = `${objName}.${hex(`event:${this.name}/${objName}/${reason}`, 16)}`;
    this.events.push({
      apiVersion: 'v1',
      count,
      eventTime: null,
      firstTimestamp: ago(first),
      involvedObject: {
        apiVersion: object.apiVersion,
        fieldPath,
        kind: objKind,
        name: objName,
        namespace: this.name,
        resourceVersion: object.metadata.resourceVersion,
        uid: object.metadata.uid,
      },
      kind: 'Event',
      lastTimestamp: ago(last),
      message,
      metadata: meta('Event', { name, namespace: this.name, created: first }),
      reason,
      reportingComponent: component,
      reportingInstance: host ?? '',
      source: host ? { component, host } : { component },
      type,
    });
  }

  /** A `kubernetes.io/tls` Secret holding a PEM chain and its key, as cert-manager or a human made it. */
  tlsSecret({ name, created, crt, key, ca, annotations, labels }) {
    this.secrets.push({
      apiVersion: 'v1',
      data: {
        'ca.crt': ca ? Buffer.from(ca).toString('base64') : undefined,
        'tls.crt': Buffer.from(crt).toString('base64'),
        'tls.key': Buffer.from(key).toString('base64'),
      },
      kind: 'Secret',
      metadata: meta('Secret', { name, namespace: this.name, created, annotations, labels }),
      type: 'kubernetes.io/tls',
    });
  }

  /** A cert-manager Certificate as ingress-shim creates it for an annotated Ingress. */
  certificate({ ingress, secretName, dnsNames, issuer, created, status }) {
    this.certificates.push({
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: meta('Certificate', {
        name: secretName,
        namespace: this.name,
        created,
        owner: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: ingress.metadata.name, uid: ingress.metadata.uid },
        extra: { generation: 1 },
      }),
      spec: { dnsNames, issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: issuer }, secretName, usages: ['digital signature', 'key encipherment'] },
      status,
    });
  }

  /** Every object, kinds in the order `kubectl get ingress,svc,endpointslices,pods,events` lists them. */
  objects() {
    this.buildSlices();
    const byName = (a, b) => a.metadata.name.localeCompare(b.metadata.name);
    return [
      ...this.ingresses.sort(byName),
      ...this.services.sort(byName),
      ...this.slices.sort(byName),
      ...this.pods.sort(byName),
      ...this.events.sort(byName),
      ...this.certificates.sort(byName),
      ...this.secrets.sort(byName),
    ];
  }
}

/** The cluster's IngressClass for the public Traefik (not marked default: Ingresses must name it). */
export function ingressClass(name, controller, created) {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: meta('IngressClass', {
      name,
      created,
      annotations: { 'meta.helm.sh/release-name': 'traefik', 'meta.helm.sh/release-namespace': 'traefik' },
      labels: {
        'app.kubernetes.io/instance': 'traefik-traefik',
        'app.kubernetes.io/managed-by': 'Helm',
        'app.kubernetes.io/name': 'traefik',
        'helm.sh/chart': 'traefik-37.1.2',
      },
      extra: { generation: 1 },
    }),
    spec: { controller },
  };
}
