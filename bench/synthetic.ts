/**
 * Synthetic clusters in full API shape (as `kubectl get -o json` or a list/watch response carries them:
 * apiVersion, kind, metadata with uid/resourceVersion/creationTimestamp/managedFields, spec, full
 * status), for the analysis benchmark and the cluster-scale benchmark that loads them into the demo API
 * server. Deterministic: the same options (and seed) give the same objects, byte for byte.
 *
 * The object builders (`k8sPod`, `k8sService`, ...) are exported for reuse; they write objects the way
 * the controllers do (a ReplicaSet's Pods with their conditions, an EndpointSlice as the
 * endpointslice-controller writes it).
 */

import { DEFAULT_NAMESPACE_PREFIX } from '../lib/chain/options';
import { seededRandom as rng } from '../lib/model/random';

export type K8sObject = Record<string, unknown> & { apiVersion: string; kind: string; metadata: Record<string, unknown> };

/** The default clock of the builders; timestamps are relative to it. */
export const SYNTHETIC_NOW = new Date('2025-06-01T12:00:00Z');

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const ago = (now: Date, ms: number) => iso(now.getTime() - ms);
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

/** FNV-1a, for stable uids and resourceVersions. */
function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
const hex = (n: number, len: number) => n.toString(16).padStart(8, '0').slice(0, len);
const SAFE = 'bcdfghjklmnpqrstvwxz2456789';
/** Like apimachinery's SafeEncodeString: the alphabet of pod-template-hash and generateName suffixes. */
function safeId(seed: string, len: number): string {
  let out = '';
  let h = fnv(seed);
  for (let i = 0; i < len; i++) {
    if (i % 5 === 4) h = fnv(`${seed}#${i}`);
    out += SAFE[h % SAFE.length];
    h = Math.floor(h / SAFE.length);
  }
  return out;
}

/** `n` hex digits derived from a string (FNV-1a of the string with a counter, chained). */
function hexOf(seed: string, n: number): string {
  let out = '';
  for (let i = 0; out.length < n; i++) out += fnv(`${i}:${seed}`).toString(16).padStart(8, '0');
  return out.slice(0, n);
}

/** A stable uid (UUID v4 form) for an object. */
export function uidFor(kind: string, ns: string | undefined, name: string): string {
  const h = hexOf(`${kind}/${ns ?? ''}/${name}`, 32);
  const variant = '89ab'[parseInt(h[16]!, 16) % 4];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
const rv = (kind: string, ns: string | undefined, name: string) => String(100000 + (fnv(`rv:${kind}/${ns}/${name}`) % 9_000_000));

interface MetaOpts {
  kind: string;
  ns?: string;
  name: string;
  createdAt: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Record<string, unknown>[];
  generateName?: string;
  manager?: string;
  /** Fields the manager owns, for managedFields (a trimmed FieldsV1). */
  fields?: Record<string, unknown>;
  extra?: Record<string, unknown>;
}

function meta(o: MetaOpts): Record<string, unknown> {
  const m: Record<string, unknown> = {};
  if (o.annotations && Object.keys(o.annotations).length) m.annotations = o.annotations;
  m.creationTimestamp = o.createdAt;
  if (o.generateName) m.generateName = o.generateName;
  if (o.labels && Object.keys(o.labels).length) m.labels = o.labels;
  if (o.manager) {
    m.managedFields = [
      {
        apiVersion: o.kind === 'EndpointSlice' ? 'discovery.k8s.io/v1' : o.kind === 'Ingress' ? 'networking.k8s.io/v1' : GATEWAY_KINDS.has(o.kind) ? `${GATEWAY_GROUP}/v1` : 'v1',
        fieldsType: 'FieldsV1',
        fieldsV1: o.fields ?? { 'f:metadata': {} },
        manager: o.manager,
        operation: 'Update',
        time: o.createdAt,
      },
    ];
  }
  m.name = o.name;
  if (o.ns) m.namespace = o.ns;
  if (o.ownerReferences) m.ownerReferences = o.ownerReferences;
  m.resourceVersion = rv(o.kind, o.ns, o.name);
  m.uid = uidFor(o.kind, o.ns, o.name);
  return { ...m, ...o.extra };
}

const GATEWAY_GROUP = 'gateway.networking.k8s.io';
const GATEWAY_KINDS: ReadonlySet<string> = new Set(['GatewayClass', 'Gateway', 'HTTPRoute']);

export function k8sNamespace(name: string, opts: { now?: Date; labels?: Record<string, string> } = {}): K8sObject {
  const now = opts.now ?? SYNTHETIC_NOW;
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: meta({ kind: 'Namespace', name, createdAt: ago(now, 90 * DAY), labels: { 'kubernetes.io/metadata.name': name, ...opts.labels } }),
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

export function k8sIngressClass(name: string, opts: { controller?: string; isDefault?: boolean; now?: Date } = {}): K8sObject {
  const now = opts.now ?? SYNTHETIC_NOW;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: meta({
      kind: 'IngressClass',
      name,
      createdAt: ago(now, 200 * DAY),
      annotations: {
        'meta.helm.sh/release-name': 'traefik',
        'meta.helm.sh/release-namespace': 'traefik',
        ...(opts.isDefault ? { 'ingressclass.kubernetes.io/is-default-class': 'true' } : {}),
      },
      labels: { 'app.kubernetes.io/managed-by': 'Helm', 'app.kubernetes.io/name': 'traefik' },
    }),
    spec: { controller: opts.controller ?? 'traefik.io/ingress-controller' },
  };
}

export type PathSpec =
  | { path?: string; pathType?: string; service: string; port: number | string }
  | { path?: string; pathType?: string; resource: { apiGroup?: string; kind: string; name: string } };

export interface IngressOpts {
  ns: string;
  name: string;
  className?: string;
  annotations?: Record<string, string>;
  rules?: { host?: string; paths?: PathSpec[] }[];
  tls?: { hosts?: string[]; secretName?: string }[];
  defaultBackend?: { service: string; port: number | string };
  /** status.loadBalancer.ingress; [] for an Ingress not admitted. */
  loadBalancer?: { ip?: string; hostname?: string }[];
  now?: Date;
  createdAgo?: number;
}

const backend = (service: string, port: number | string) => ({ service: { name: service, port: typeof port === 'number' ? { number: port } : { name: port } } });

/** An Ingress as `kubectl get ingress -o json` shows it. */
export function k8sIngress(o: IngressOpts): K8sObject {
  const now = o.now ?? SYNTHETIC_NOW;
  const spec: Record<string, unknown> = {};
  if (o.defaultBackend) spec.defaultBackend = backend(o.defaultBackend.service, o.defaultBackend.port);
  if (o.className) spec.ingressClassName = o.className;
  if (o.rules) {
    spec.rules = o.rules.map((r) => {
      const rule: Record<string, unknown> = {};
      if (r.host) rule.host = r.host;
      if (r.paths) {
        rule.http = {
          paths: r.paths.map((p) => ({
            backend: 'service' in p ? backend(p.service, p.port) : { resource: p.resource },
            path: p.path ?? '/',
            pathType: p.pathType ?? 'Prefix',
          })),
        };
      }
      return rule;
    });
  }
  if (o.tls) spec.tls = o.tls;
  const lb = o.loadBalancer ?? [{ ip: '203.0.113.10' }];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: meta({
      kind: 'Ingress',
      ns: o.ns,
      name: o.name,
      createdAt: ago(now, o.createdAgo ?? 30 * DAY),
      annotations: o.annotations,
      labels: { 'app.kubernetes.io/instance': o.name, 'app.kubernetes.io/name': o.name },
      manager: 'helm',
      fields: { 'f:metadata': { 'f:annotations': {}, 'f:labels': {} }, 'f:spec': { 'f:rules': {} } },
      extra: { generation: 1 },
    }),
    spec,
    status: { loadBalancer: lb.length ? { ingress: lb } : {} },
  };
}

export interface ServiceOpts {
  ns: string;
  name: string;
  ports?: { name?: string; port: number; targetPort?: number | string; protocol?: string }[];
  selector?: Record<string, string>;
  type?: string;
  externalName?: string;
  now?: Date;
}

/** A Service as `kubectl get svc -o json` shows it (ClusterIP, or ExternalName). */
export function k8sService(o: ServiceOpts): K8sObject {
  const now = o.now ?? SYNTHETIC_NOW;
  const type = o.type ?? 'ClusterIP';
  const spec: Record<string, unknown> = {};
  const ip = `10.43.${fnv(`${o.ns}/${o.name}`) % 250}.${(fnv(`${o.name}/${o.ns}`) % 250) + 2}`;
  if (type === 'ExternalName') {
    spec.externalName = o.externalName;
    if (o.ports) spec.ports = o.ports.map((p) => ({ protocol: 'TCP', ...p, targetPort: p.targetPort ?? p.port }));
    spec.sessionAffinity = 'None';
    spec.type = 'ExternalName';
  } else {
    spec.clusterIP = ip;
    spec.clusterIPs = [ip];
    spec.internalTrafficPolicy = 'Cluster';
    spec.ipFamilies = ['IPv4'];
    spec.ipFamilyPolicy = 'SingleStack';
    spec.ports = (o.ports ?? [{ port: 80, targetPort: 8080 }]).map((p) => ({ protocol: 'TCP', ...p, targetPort: p.targetPort ?? p.port }));
    if (o.selector) spec.selector = o.selector;
    spec.sessionAffinity = 'None';
    spec.type = type;
  }
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta({
      kind: 'Service',
      ns: o.ns,
      name: o.name,
      createdAt: ago(now, 30 * DAY),
      labels: { 'app.kubernetes.io/instance': o.name, 'app.kubernetes.io/name': o.name },
      annotations: { 'meta.helm.sh/release-name': o.name, 'meta.helm.sh/release-namespace': o.ns },
      manager: 'helm',
      fields: { 'f:spec': { 'f:ports': {}, 'f:selector': {} } },
    }),
    spec,
    status: { loadBalancer: {} },
  };
}

export interface EndpointSpec {
  ip: string;
  /** The Pod behind the endpoint (targetRef). */
  pod?: string;
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
  nodeName?: string;
  zone?: string;
  /** Leave `conditions` out entirely (an unset ready means ready). */
  noConditions?: boolean;
}

export interface SliceOpts {
  ns: string;
  service: string;
  name?: string;
  /** `null` as the controller writes a placeholder slice for a Service without endpoints. */
  ports?: { name?: string; port?: number; protocol?: string }[] | null;
  endpoints?: EndpointSpec[] | null;
  /** Default: the endpointslice controller (with the ownerReference to the Service). */
  managedBy?: string;
  now?: Date;
}

/** An EndpointSlice as the endpointslice-controller writes it. */
export function k8sEndpointSlice(o: SliceOpts): K8sObject {
  const now = o.now ?? SYNTHETIC_NOW;
  const name = o.name ?? `${o.service}-${safeId(`slice/${o.ns}/${o.service}`, 5)}`;
  const managedBy = o.managedBy ?? 'endpointslice-controller.k8s.io';
  const controller = managedBy === 'endpointslice-controller.k8s.io';
  const endpoints =
    o.endpoints === null
      ? null
      : (o.endpoints ?? []).map((e) => {
          const ep: Record<string, unknown> = { addresses: [e.ip] };
          if (!e.noConditions) ep.conditions = { ready: e.ready ?? true, serving: e.serving ?? e.ready ?? true, terminating: e.terminating ?? false };
          if (e.nodeName) ep.nodeName = e.nodeName;
          if (e.pod) ep.targetRef = { kind: 'Pod', name: e.pod, namespace: o.ns, uid: uidFor('Pod', o.ns, e.pod) };
          if (e.zone) ep.zone = e.zone;
          return ep;
        });
  return {
    addressType: 'IPv4',
    apiVersion: 'discovery.k8s.io/v1',
    endpoints,
    kind: 'EndpointSlice',
    metadata: meta({
      kind: 'EndpointSlice',
      ns: o.ns,
      name,
      createdAt: ago(now, 2 * DAY),
      generateName: controller ? `${o.service}-` : undefined,
      labels: {
        ...(controller ? { 'app.kubernetes.io/instance': o.service, 'app.kubernetes.io/name': o.service } : {}),
        'endpointslice.kubernetes.io/managed-by': managedBy,
        'kubernetes.io/service-name': o.service,
      },
      annotations: controller ? { 'endpoints.kubernetes.io/last-change-trigger-time': ago(now, 2 * HOUR) } : undefined,
      ownerReferences: controller
        ? [{ apiVersion: 'v1', blockOwnerDeletion: true, controller: true, kind: 'Service', name: o.service, uid: uidFor('Service', o.ns, o.service) }]
        : undefined,
      manager: controller ? 'kube-controller-manager' : 'kubectl-client-side-apply',
      fields: { 'f:endpoints': {}, 'f:ports': {} },
      extra: { generation: 3 },
    }),
    ports: o.ports === null ? null : (o.ports ?? [{ name: '', port: 8080 }]).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
  };
}

/** What state the builder puts a Pod in; each as the kubelet reports it. */
export type PodState =
  | { kind: 'ready' }
  | { kind: 'not-ready' }
  | { kind: 'crash-loop'; restarts?: number; exitCode?: number; lastFinishedAgo?: number }
  | { kind: 'image-pull'; image?: string }
  | { kind: 'config-error'; reason?: string; message?: string }
  | { kind: 'unschedulable'; message?: string }
  | { kind: 'creating' }
  | { kind: 'oom'; restarts?: number; lastFinishedAgo?: number }
  | { kind: 'restarted'; restarts?: number; lastFinishedAgo?: number; exitCode?: number; reason?: string }
  | { kind: 'evicted' }
  | { kind: 'terminating'; deletedAgo?: number; finalizers?: string[] };

export interface PodOpts {
  ns: string;
  name: string;
  labels: Record<string, string>;
  /** The owning ReplicaSet (Deployment pods); default derived from the Pod name. */
  replicaSet?: string | null;
  image?: string;
  containerName?: string;
  ports?: { name?: string; containerPort: number }[];
  state?: PodState;
  ip?: string;
  node?: string;
  now?: Date;
  createdAgo?: number;
}

/** A Pod as `kubectl get pod -o json` shows it. */
export function k8sPod(o: PodOpts): K8sObject {
  const now = o.now ?? SYNTHETIC_NOW;
  const state = o.state ?? { kind: 'ready' };
  const created = o.createdAgo ?? 2 * DAY;
  const createdAt = ago(now, created);
  const started = ago(now, created - 5_000);
  const running = ago(now, created - 12_000);
  const cname = o.containerName ?? 'app';
  const image = state.kind === 'image-pull' && state.image ? state.image : (o.image ?? 'registry.example.com/my-app:1.4.2');
  const rs = o.replicaSet === null ? undefined : (o.replicaSet ?? o.name.replace(/-[a-z0-9]{5}$/, ''));
  const node = state.kind === 'unschedulable' ? undefined : (o.node ?? 'worker-1');
  const ip = state.kind === 'unschedulable' ? undefined : (o.ip ?? `10.42.${fnv(o.ns) % 250}.${(fnv(`${o.ns}/${o.name}`) % 250) + 2}`);
  const cond = (type: string, status: boolean, extra: Record<string, unknown> = {}) => ({
    lastProbeTime: null,
    lastTransitionTime: extra.at ?? running,
    ...(extra.message ? { message: extra.message } : {}),
    ...(extra.reason ? { reason: extra.reason } : {}),
    status: status ? 'True' : 'False',
    type,
  });
  const notReady = { reason: 'ContainersNotReady', message: `containers with unready status: [${cname}]` };
  const cs: Record<string, unknown> = {
    containerID: `containerd://${hexOf(`container/${o.ns}/${o.name}/${cname}`, 64)}`,
    image,
    imageID: `${image.split(':')[0]}@sha256:${hexOf(`image/${image}`, 64)}`,
    lastState: {},
    name: cname,
    ready: true,
    restartCount: 0,
    started: true,
    state: { running: { startedAt: running } },
  };
  let phase = 'Running';
  let conditions = [
    cond('PodReadyToStartContainers', true),
    cond('Initialized', true, { at: createdAt }),
    cond('Ready', true),
    cond('ContainersReady', true),
    cond('PodScheduled', true, { at: createdAt }),
  ];
  const extraMeta: Record<string, unknown> = {};
  let statusExtra: Record<string, unknown> = {};
  switch (state.kind) {
    case 'ready':
      break;
    case 'not-ready':
      cs.ready = false;
      conditions = [cond('PodReadyToStartContainers', true), cond('Initialized', true, { at: createdAt }), cond('Ready', false, notReady), cond('ContainersReady', false, notReady), cond('PodScheduled', true, { at: createdAt })];
      break;
    case 'crash-loop': {
      const finished = ago(now, state.lastFinishedAgo ?? 2 * MIN);
      cs.ready = false;
      cs.started = false;
      cs.restartCount = state.restarts ?? 7;
      cs.lastState = { terminated: { containerID: cs.containerID, exitCode: state.exitCode ?? 1, finishedAt: finished, reason: 'Error', startedAt: ago(now, (state.lastFinishedAgo ?? 2 * MIN) + 3_000) } };
      cs.state = { waiting: { message: `back-off 5m0s restarting failed container=${cname} pod=${o.name}_${o.ns}(${uidFor('Pod', o.ns, o.name)})`, reason: 'CrashLoopBackOff' } };
      conditions = [cond('PodReadyToStartContainers', true), cond('Initialized', true, { at: createdAt }), cond('Ready', false, notReady), cond('ContainersReady', false, notReady), cond('PodScheduled', true, { at: createdAt })];
      break;
    }
    case 'image-pull':
      phase = 'Pending';
      cs.ready = false;
      cs.started = false;
      delete cs.containerID;
      cs.imageID = '';
      cs.state = { waiting: { message: `Back-off pulling image "${image}"`, reason: 'ImagePullBackOff' } };
      conditions = [cond('PodReadyToStartContainers', true), cond('Initialized', true, { at: createdAt }), cond('Ready', false, notReady), cond('ContainersReady', false, notReady), cond('PodScheduled', true, { at: createdAt })];
      delete statusExtra.startTime;
      break;
    case 'config-error':
      phase = 'Pending';
      cs.ready = false;
      cs.started = false;
      delete cs.containerID;
      cs.imageID = '';
      cs.state = { waiting: { message: state.message ?? `secret "${o.labels.app ?? 'app'}-env" not found`, reason: state.reason ?? 'CreateContainerConfigError' } };
      conditions = [cond('PodReadyToStartContainers', true), cond('Initialized', true, { at: createdAt }), cond('Ready', false, notReady), cond('ContainersReady', false, notReady), cond('PodScheduled', true, { at: createdAt })];
      break;
    case 'creating':
      phase = 'Pending';
      cs.ready = false;
      cs.started = false;
      delete cs.containerID;
      cs.imageID = '';
      cs.state = { waiting: { reason: 'ContainerCreating' } };
      conditions = [cond('PodReadyToStartContainers', false), cond('Initialized', true, { at: createdAt }), cond('Ready', false, notReady), cond('ContainersReady', false, notReady), cond('PodScheduled', true, { at: createdAt })];
      break;
    case 'unschedulable':
      phase = 'Pending';
      conditions = [
        cond('PodScheduled', false, {
          at: createdAt,
          reason: 'Unschedulable',
          message: state.message ?? '0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
        }),
      ];
      break;
    case 'oom': {
      const ago_ = state.lastFinishedAgo ?? 10 * MIN;
      cs.restartCount = state.restarts ?? 3;
      cs.lastState = { terminated: { containerID: cs.containerID, exitCode: 137, finishedAt: ago(now, ago_), reason: 'OOMKilled', startedAt: ago(now, ago_ + 40 * MIN) } };
      cs.state = { running: { startedAt: ago(now, ago_ - 1_000) } };
      break;
    }
    case 'restarted': {
      const ago_ = state.lastFinishedAgo ?? 20 * MIN;
      cs.restartCount = state.restarts ?? 2;
      cs.lastState = { terminated: { containerID: cs.containerID, exitCode: state.exitCode ?? 1, finishedAt: ago(now, ago_), reason: state.reason ?? 'Error', startedAt: ago(now, ago_ + 2 * HOUR) } };
      cs.state = { running: { startedAt: ago(now, ago_ - 1_000) } };
      break;
    }
    case 'evicted':
      phase = 'Failed';
      cs.ready = false;
      cs.started = false;
      cs.state = { terminated: { containerID: cs.containerID, exitCode: 137, finishedAt: ago(now, 3 * HOUR), reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated', startedAt: running } };
      conditions = [cond('PodReadyToStartContainers', false), cond('Initialized', true, { at: createdAt }), cond('Ready', false, { reason: 'PodFailed' }), cond('ContainersReady', false, { reason: 'PodFailed' }), cond('PodScheduled', true, { at: createdAt }), cond('DisruptionTarget', true, { reason: 'TerminationByKubelet', message: 'Pod was terminated in response to imminent node shutdown.' })];
      statusExtra = { message: 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 91344Ki. Container app was using 1948040Ki, request is 512Mi, has larger consumption of memory. ', reason: 'Evicted' };
      break;
    case 'terminating': {
      const deleted = ago(now, state.deletedAgo ?? 10_000);
      extraMeta.deletionGracePeriodSeconds = 30;
      extraMeta.deletionTimestamp = deleted;
      if (state.finalizers) extraMeta.finalizers = state.finalizers;
      break;
    }
  }
  const status: Record<string, unknown> = { conditions, ...statusExtra };
  if (state.kind !== 'unschedulable') {
    status.containerStatuses = [cs];
    status.hostIP = `192.168.10.${(fnv(node ?? '') % 200) + 10}`;
    status.hostIPs = [{ ip: status.hostIP }];
  }
  status.phase = phase;
  if (ip) {
    status.podIP = ip;
    status.podIPs = [{ ip }];
  }
  status.qosClass = 'Burstable';
  if (state.kind !== 'unschedulable') status.startTime = started;
  const spec: Record<string, unknown> = {
    containers: [
      {
        image,
        imagePullPolicy: 'IfNotPresent',
        name: cname,
        ...(o.ports === undefined ? { ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }] } : o.ports.length ? { ports: o.ports.map((p) => ({ ...p, protocol: 'TCP' })) } : {}),
        readinessProbe: { failureThreshold: 3, httpGet: { path: '/healthz', port: o.ports?.[0]?.containerPort ?? 8080, scheme: 'HTTP' }, periodSeconds: 10, successThreshold: 1, timeoutSeconds: 1 },
        resources: { limits: { memory: '512Mi' }, requests: { cpu: '50m', memory: '256Mi' } },
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        volumeMounts: [{ mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name: 'kube-api-access', readOnly: true }],
      },
    ],
    dnsPolicy: 'ClusterFirst',
    enableServiceLinks: true,
    ...(node ? { nodeName: node } : {}),
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
        name: 'kube-api-access',
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
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta({
      kind: 'Pod',
      ns: o.ns,
      name: o.name,
      createdAt,
      generateName: rs ? `${rs}-` : undefined,
      labels: { ...o.labels, ...(rs ? { 'pod-template-hash': rs.slice(rs.lastIndexOf('-') + 1) } : {}) },
      ownerReferences: rs
        ? [{ apiVersion: 'apps/v1', blockOwnerDeletion: true, controller: true, kind: 'ReplicaSet', name: rs, uid: uidFor('ReplicaSet', o.ns, rs) }]
        : undefined,
      manager: 'kubelet',
      fields: { 'f:status': { 'f:conditions': {}, 'f:containerStatuses': {}, 'f:phase': {} } },
      extra: extraMeta,
    }),
    spec,
    status,
  };
}

export interface EventOpts {
  ns: string;
  involved: { kind: string; name: string; apiVersion?: string };
  reason: string;
  message: string;
  type?: string;
  count?: number;
  lastAgo?: number;
  firstAgo?: number;
  component?: string;
  now?: Date;
}

/** A core/v1 Event as `kubectl get events -o json` shows it. */
export function k8sEvent(o: EventOpts): K8sObject {
  const now = o.now ?? SYNTHETIC_NOW;
  const last = ago(now, o.lastAgo ?? MIN);
  const first = ago(now, o.firstAgo ?? o.lastAgo ?? MIN);
  const name = `${o.involved.name}.${hex(fnv(`${o.reason}/${o.message}`), 8)}${hex(fnv(o.involved.name), 8)}`;
  return {
    apiVersion: 'v1',
    count: o.count ?? 1,
    eventTime: null,
    firstTimestamp: first,
    involvedObject: {
      apiVersion: o.involved.apiVersion ?? 'v1',
      kind: o.involved.kind,
      name: o.involved.name,
      namespace: o.ns,
      uid: uidFor(o.involved.kind, o.ns, o.involved.name),
      ...(o.involved.kind === 'Pod' ? { fieldPath: 'spec.containers{app}' } : {}),
    },
    kind: 'Event',
    lastTimestamp: last,
    message: o.message,
    metadata: meta({ kind: 'Event', ns: o.ns, name, createdAt: first }),
    reason: o.reason,
    reportingComponent: o.component ?? 'kubelet',
    reportingInstance: o.component ? '' : 'worker-1',
    source: { component: o.component ?? 'kubelet', ...(o.component ? {} : { host: 'worker-1' }) },
    type: o.type ?? 'Warning',
  };
}

/** A `kubernetes.io/tls` Secret; `tls.key` is a placeholder (Chainboard never reads it). */
export function k8sTlsSecret(o: { ns: string; name: string; certPem: string; now?: Date }): K8sObject {
  const now = o.now ?? SYNTHETIC_NOW;
  return {
    apiVersion: 'v1',
    data: {
      'tls.crt': Buffer.from(o.certPem).toString('base64'),
      'tls.key': Buffer.from('-----BEGIN PRIVATE KEY-----\nnot-a-key\n-----END PRIVATE KEY-----\n').toString('base64'),
    },
    kind: 'Secret',
    metadata: meta({ kind: 'Secret', ns: o.ns, name: o.name, createdAt: ago(now, 30 * DAY), manager: 'kubectl-create' }),
    type: 'kubernetes.io/tls',
  };
}

/** A cert-manager Certificate (cert-manager.io/v1), as cert-manager's ingress-shim creates it. */
export function k8sCertificate(o: {
  ns: string;
  name: string;
  secretName: string;
  dnsNames: string[];
  issuer: string;
  ready: boolean;
  reason?: string;
  message?: string;
  notAfter?: string;
  renewalTime?: string;
  ingress?: string;
  now?: Date;
}): K8sObject {
  const now = o.now ?? SYNTHETIC_NOW;
  return {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: meta({
      kind: 'Certificate',
      ns: o.ns,
      name: o.name,
      createdAt: ago(now, 30 * DAY),
      ownerReferences: o.ingress
        ? [{ apiVersion: 'networking.k8s.io/v1', blockOwnerDeletion: true, controller: true, kind: 'Ingress', name: o.ingress, uid: uidFor('Ingress', o.ns, o.ingress) }]
        : undefined,
      manager: 'cert-manager-ingress-shim',
      extra: { generation: 1 },
    }),
    spec: { dnsNames: o.dnsNames, issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: o.issuer }, secretName: o.secretName, usages: ['digital signature', 'key encipherment'] },
    status: {
      conditions: [
        {
          lastTransitionTime: ago(now, 3 * HOUR),
          message: o.message ?? (o.ready ? 'Certificate is up to date and has not expired' : 'Issuing certificate as Secret does not exist'),
          observedGeneration: 1,
          reason: o.reason ?? (o.ready ? 'Ready' : 'DoesNotExist'),
          status: o.ready ? 'True' : 'False',
          type: 'Ready',
        },
      ],
      ...(o.notAfter ? { notAfter: o.notAfter } : {}),
      ...(o.renewalTime ? { renewalTime: o.renewalTime } : {}),
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// The Gateway API (gateway.networking.k8s.io/v1), with the status its controller writes

/** A status condition as a Gateway API controller writes it. */
function gatewayCondition(type: string, status: boolean, reason: string, at: string, message?: string): Record<string, unknown> {
  return { lastTransitionTime: at, ...(message ? { message } : {}), observedGeneration: 1, reason, status: status ? 'True' : 'False', type };
}

/** Traefik's Gateway controller, the one the synthetic GatewayClass names. */
export const GATEWAY_CONTROLLER = 'traefik.io/gateway-controller';

/** A GatewayClass its controller has accepted. */
export function k8sGatewayClass(name: string, opts: { controller?: string; now?: Date } = {}): K8sObject {
  const now = opts.now ?? SYNTHETIC_NOW;
  const at = ago(now, 200 * DAY);
  return {
    apiVersion: `${GATEWAY_GROUP}/v1`,
    kind: 'GatewayClass',
    metadata: meta({
      kind: 'GatewayClass',
      name,
      createdAt: at,
      annotations: { 'meta.helm.sh/release-name': 'traefik', 'meta.helm.sh/release-namespace': 'traefik' },
      labels: { 'app.kubernetes.io/managed-by': 'Helm', 'app.kubernetes.io/name': 'traefik' },
      manager: 'helm',
      extra: { generation: 1 },
    }),
    spec: { controllerName: opts.controller ?? GATEWAY_CONTROLLER },
    status: { conditions: [gatewayCondition('Accepted', true, 'Accepted', at, 'Handled by Traefik controller')] },
  };
}

export interface GatewayOpts {
  ns: string;
  name: string;
  className: string;
  /** The HTTPS listener's hostname (`*.example.com`). */
  hostname: string;
  /** The listener's certificate Secret, in the Gateway's namespace. */
  certificateSecret: string;
  /** How many routes are attached to the listener (status.listeners[].attachedRoutes). */
  attachedRoutes: number;
  address?: string;
  now?: Date;
}

/** The name of the synthetic Gateway's one listener (Traefik's entrypoint for HTTPS). */
export const GATEWAY_LISTENER = 'websecure';

/**
 * A shared Gateway with one HTTPS listener open to routes of every namespace, accepted and programmed by
 * its controller, as Traefik's Gateway provider writes its status.
 */
export function k8sGateway(o: GatewayOpts): K8sObject {
  const now = o.now ?? SYNTHETIC_NOW;
  const at = ago(now, 200 * DAY);
  const ok = (type: string) => gatewayCondition(type, true, type, at);
  return {
    apiVersion: `${GATEWAY_GROUP}/v1`,
    kind: 'Gateway',
    metadata: meta({
      kind: 'Gateway',
      ns: o.ns,
      name: o.name,
      createdAt: at,
      annotations: { 'meta.helm.sh/release-name': 'traefik', 'meta.helm.sh/release-namespace': o.ns },
      labels: { 'app.kubernetes.io/managed-by': 'Helm', 'app.kubernetes.io/name': 'traefik' },
      manager: 'helm',
      fields: { 'f:spec': { 'f:gatewayClassName': {}, 'f:listeners': {} } },
      extra: { generation: 1 },
    }),
    spec: {
      gatewayClassName: o.className,
      listeners: [
        {
          allowedRoutes: { namespaces: { from: 'All' } },
          hostname: o.hostname,
          name: GATEWAY_LISTENER,
          port: 8443,
          protocol: 'HTTPS',
          tls: { certificateRefs: [{ group: '', kind: 'Secret', name: o.certificateSecret }], mode: 'Terminate' },
        },
      ],
    },
    status: {
      addresses: [{ type: 'IPAddress', value: o.address ?? '203.0.113.10' }],
      conditions: [ok('Accepted'), ok('Programmed')],
      listeners: [
        {
          attachedRoutes: o.attachedRoutes,
          conditions: [ok('Accepted'), ok('Programmed'), ok('ResolvedRefs')],
          name: GATEWAY_LISTENER,
          supportedKinds: [{ group: GATEWAY_GROUP, kind: 'HTTPRoute' }, { group: GATEWAY_GROUP, kind: 'GRPCRoute' }],
        },
      ],
    },
  };
}

export interface HTTPRouteOpts {
  ns: string;
  name: string;
  host: string;
  /** The parent Gateway. */
  gateway: { ns: string; name: string };
  service: string;
  port: number;
  /** The controller's ResolvedRefs verdict; default resolved. */
  resolvedRefs?: { ok: false; reason: string; message: string };
  now?: Date;
}

/** An HTTPRoute of one host to one Service port through a shared Gateway's HTTPS listener, with its controller's status. */
export function k8sHTTPRoute(o: HTTPRouteOpts): K8sObject {
  const now = o.now ?? SYNTHETIC_NOW;
  const at = ago(now, 30 * DAY);
  const parentRef = { group: GATEWAY_GROUP, kind: 'Gateway', name: o.gateway.name, namespace: o.gateway.ns, sectionName: GATEWAY_LISTENER };
  const refs = o.resolvedRefs;
  return {
    apiVersion: `${GATEWAY_GROUP}/v1`,
    kind: 'HTTPRoute',
    metadata: meta({
      kind: 'HTTPRoute',
      ns: o.ns,
      name: o.name,
      createdAt: at,
      annotations: { 'external-dns.alpha.kubernetes.io/hostname': o.host },
      labels: { 'app.kubernetes.io/instance': o.name, 'app.kubernetes.io/name': o.name },
      manager: 'helm',
      fields: { 'f:metadata': { 'f:annotations': {}, 'f:labels': {} }, 'f:spec': { 'f:hostnames': {}, 'f:parentRefs': {}, 'f:rules': {} } },
      extra: { generation: 1 },
    }),
    spec: {
      hostnames: [o.host],
      parentRefs: [parentRef],
      rules: [
        {
          backendRefs: [{ group: '', kind: 'Service', name: o.service, port: o.port, weight: 1 }],
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        },
      ],
    },
    status: {
      parents: [
        {
          conditions: [
            gatewayCondition('Accepted', true, 'Accepted', at),
            refs ? gatewayCondition('ResolvedRefs', false, refs.reason, at, refs.message) : gatewayCondition('ResolvedRefs', true, 'ResolvedRefs', at),
          ],
          controllerName: GATEWAY_CONTROLLER,
          parentRef,
        },
      ],
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// A whole application (Ingress -> Service -> EndpointSlice -> Pods), and whole clusters

export interface AppOpts {
  ns: string;
  name: string;
  host: string;
  replicas?: number;
  /** Per replica, the Pod state (default ready). */
  states?: PodState[];
  now?: Date;
  className?: string;
  annotations?: Record<string, string>;
  loadBalancerIp?: string;
  /** Route the domain through an HTTPRoute of this Gateway instead of an Ingress. */
  gateway?: { ns: string; name: string };
}

/**
 * The seed set-up of one domain: a Traefik Ingress with a cert resolver (or, with `gateway`, an HTTPRoute
 * through that Gateway), Service 80 -> 8080, its EndpointSlice and Pods; the route comes first.
 */
export function k8sApp(o: AppOpts): K8sObject[] {
  const now = o.now ?? SYNTHETIC_NOW;
  const replicas = o.replicas ?? 2;
  const rs = `${o.name}-${safeId(`rs/${o.ns}/${o.name}`, 10)}`;
  const sfx = (i: number) => safeId(`pod/${o.ns}/${o.name}/${i}`, 5);
  const labels = { app: o.name };
  const pods: K8sObject[] = [];
  const endpoints: EndpointSpec[] = [];
  for (let i = 0; i < replicas; i++) {
    const state = o.states?.[i] ?? { kind: 'ready' };
    const name = `${rs}-${sfx(i)}`;
    const node = `worker-${(i % 3) + 1}`;
    const pod = k8sPod({ ns: o.ns, name, labels, state, node, now, replicaSet: rs });
    pods.push(pod);
    const st = pod.status as { podIP?: string; phase?: string; conditions?: { type: string; status: string }[] };
    if (!st.podIP || st.phase === 'Failed' || st.phase === 'Succeeded') continue;
    const ready = st.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    const terminating = state.kind === 'terminating';
    endpoints.push({ ip: st.podIP, pod: name, nodeName: node, ready: ready && !terminating, serving: ready, terminating });
  }
  const route = o.gateway
    ? k8sHTTPRoute({ ns: o.ns, name: o.name, host: o.host, gateway: o.gateway, service: o.name, port: 80, now })
    : k8sIngress({
        ns: o.ns,
        name: o.name,
        className: o.className ?? 'traefik-external',
        annotations: o.annotations ?? {
          'external-dns.alpha.kubernetes.io/hostname': o.host,
          'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure',
          'traefik.ingress.kubernetes.io/router.tls.certresolver': 'letsencrypt',
        },
        rules: [{ host: o.host, paths: [{ path: '/', pathType: 'Prefix', service: o.name, port: 80 }] }],
        tls: [{ hosts: [o.host], secretName: `${o.name}-tls` }],
        loadBalancer: [{ ip: o.loadBalancerIp ?? '203.0.113.10' }],
        now,
      });
  return [
    route,
    k8sService({ ns: o.ns, name: o.name, ports: [{ port: 80, targetPort: 8080 }], selector: labels, now }),
    k8sEndpointSlice({ ns: o.ns, service: o.name, ports: [{ name: '', port: 8080 }], endpoints: endpoints.length ? endpoints : null, now }),
    ...pods,
  ];
}

export interface SyntheticOptions {
  namespaces: number;
  domainsPerNamespace: number;
  podsPerDomain: number;
  /** Share of domains with something broken (0..1). */
  brokenFraction: number;
  seed?: number;
  now?: Date;
  /** Namespace prefix; default {@link DEFAULT_NAMESPACE_PREFIX}, the one the analysis selects by default. */
  prefix?: string;
  /**
   * `minimal` (default): one Warning event per crash-looping or not-ready domain, nothing else.
   * `realistic`: what `kubectl get events -A` shows within the events' one-hour TTL - Warning events for
   * every broken Pod by its breakage (BackOff, Unhealthy, Failed/BackOff pulling, FailedScheduling), and
   * the Normal events of recent rollouts (`rolloutFraction` of the healthy domains: Scheduled, Pulled,
   * Created, Started per Pod, SuccessfulCreate on the ReplicaSet, ScalingReplicaSet on the Deployment).
   */
  events?: 'minimal' | 'realistic';
  /** With `events: 'realistic'`: share of healthy domains rolled out within the last hour. Default 0.1. */
  rolloutFraction?: number;
  /**
   * Route every `gatewayEvery`-th domain (counted over the cluster) through a Gateway API HTTPRoute instead
   * of an Ingress: 5 makes a fifth of the domains HTTPRoutes. The cluster then also holds the GatewayClass
   * and one shared Gateway (namespace `gateway`, an HTTPS listener for `*.example.com`) they attach to, with
   * the status Traefik's Gateway controller writes. Default 0: Ingresses only.
   */
  gatewayEvery?: number;
  /** The number of the first client namespace (default 1): a second cluster's clients follow the first's. */
  firstNamespace?: number;
}

/** Where the synthetic Gateway lives and what it is called. */
export const SYNTHETIC_GATEWAY = { ns: 'gateway', name: 'public', className: 'traefik' } as const;

/** A seed gives the same cluster every time. */
export { rng };

/** The kinds of breakage synthetic domains get, each exercising a different rule path. */
const BREAKAGES = ['crash-loop', 'not-ready', 'selector-typo', 'service-missing', 'image-pull', 'unschedulable'] as const;

/**
 * A whole synthetic cluster: `namespaces` client namespaces (`hst-client-0001`...), each with
 * `domainsPerNamespace` domains of `podsPerDomain` Pods, a share of them broken, plus Namespace objects,
 * the Traefik IngressClass (and with `gatewayEvery` the GatewayClass and Gateway) and Warning events for
 * the broken Pods. Objects come in dependency order (cluster-scoped first), in full API shape.
 */
export function syntheticCluster(opts: SyntheticOptions): K8sObject[] {
  const now = opts.now ?? SYNTHETIC_NOW;
  const rand = rng(opts.seed ?? 1);
  const prefix = opts.prefix ?? DEFAULT_NAMESPACE_PREFIX;
  // A stream of its own, so `events: 'minimal'` clusters stay byte for byte what they were.
  const rollouts = rng((opts.seed ?? 1) ^ 0x5eed);
  const out: K8sObject[] = [k8sIngressClass('traefik-external', { isDefault: true, now })];
  const gatewayEvery = opts.gatewayEvery ?? 0;
  const gw = SYNTHETIC_GATEWAY;
  let gatewayAt = -1;
  if (gatewayEvery > 0) {
    out.push(k8sGatewayClass(gw.className, { now }), k8sNamespace(gw.ns, { now }));
    // The Gateway goes here once its routes are counted (its status says how many are attached).
    gatewayAt = out.length;
  }
  let domainIndex = 0;
  let attached = 0;
  const first = opts.firstNamespace ?? 1;
  for (let n = first; n < first + opts.namespaces; n++) {
    const client = `client-${String(n).padStart(4, '0')}`;
    const ns = `${prefix}${client}`;
    out.push(k8sNamespace(ns, { now }));
    for (let d = 1; d <= opts.domainsPerNamespace; d++) {
      const name = `app-${d}`;
      const host = `${name}.${client}.example.com`;
      const broken = rand() < opts.brokenFraction ? BREAKAGES[Math.floor(rand() * BREAKAGES.length)]! : undefined;
      const states: PodState[] = [];
      for (let i = 0; i < opts.podsPerDomain; i++) {
        let s: PodState = { kind: 'ready' };
        if (broken === 'crash-loop' && i === 0) s = { kind: 'crash-loop' };
        if (broken === 'not-ready') s = { kind: 'not-ready' };
        if (broken === 'image-pull' && i === 0) s = { kind: 'image-pull', image: `registry.example.com/${name}:does-not-exist` };
        if (broken === 'unschedulable' && i < 2) s = { kind: 'unschedulable' };
        states.push(s);
      }
      const viaGateway = gatewayEvery > 0 && domainIndex++ % gatewayEvery === gatewayEvery - 1;
      if (viaGateway) attached++;
      const objs = k8sApp({ ns, name, host, replicas: opts.podsPerDomain, states, now, ...(viaGateway ? { gateway: { ns: gw.ns, name: gw.name } } : {}) });
      if (broken === 'selector-typo') {
        const svc = objs[1]!;
        (svc.spec as { selector: Record<string, string> }).selector = { app: `${name}-v2` };
        objs[2] = k8sEndpointSlice({ ns, service: name, ports: null, endpoints: null, now });
      }
      if (broken === 'service-missing') {
        objs.splice(1, 2);
        // The controller cannot resolve the backend, and says so on the route.
        if (viaGateway) objs[0] = k8sHTTPRoute({ ns, name, host, gateway: { ns: gw.ns, name: gw.name }, service: name, port: 80, now, resolvedRefs: { ok: false, reason: 'BackendNotFound', message: `service ${ns}/${name} not found` } });
      }
      out.push(...objs);
      if (opts.events === 'realistic') {
        out.push(...realisticEvents(ns, name, objs, broken, rollouts() < (opts.rolloutFraction ?? 0.1), now));
        continue;
      }
      if (broken === 'crash-loop' || broken === 'not-ready') {
        const pod = objs.find((o) => o.kind === 'Pod')!;
        const podName = (pod.metadata as { name: string }).name;
        out.push(
          k8sEvent({
            ns,
            involved: { kind: 'Pod', name: podName },
            reason: broken === 'crash-loop' ? 'BackOff' : 'Unhealthy',
            message: broken === 'crash-loop' ? 'Back-off restarting failed container app' : 'Readiness probe failed: HTTP probe failed with statuscode: 503',
            count: 42,
            now,
          }),
        );
      }
    }
  }
  if (gatewayAt >= 0) {
    out.splice(gatewayAt, 0, k8sGateway({ ns: gw.ns, name: gw.name, className: gw.className, hostname: '*.example.com', certificateSecret: 'example-com-wildcard-tls', attachedRoutes: attached, now }));
  }
  return out;
}

/** The events `kubectl get events -A` shows for one synthetic domain (see `SyntheticOptions.events`). */
function realisticEvents(ns: string, app: string, objs: K8sObject[], broken: (typeof BREAKAGES)[number] | undefined, rolledOut: boolean, now: Date): K8sObject[] {
  const pods = objs.filter((o) => o.kind === 'Pod').map((o) => ({ name: (o.metadata as { name: string }).name, state: podStateOf(o) }));
  const ev = (involved: EventOpts['involved'], reason: string, message: string, extra: Partial<EventOpts> = {}) =>
    k8sEvent({ ns, involved, reason, message, now, ...extra });
  const out: K8sObject[] = [];
  for (const p of pods) {
    const pod = { kind: 'Pod', name: p.name };
    if (p.state === 'crash-loop') {
      out.push(ev(pod, 'BackOff', `Back-off restarting failed container app in pod ${p.name}_${ns}`, { count: 42, firstAgo: 50 * MIN }));
      out.push(ev(pod, 'Pulled', 'Container image "registry.example.com/my-app:1.4.2" already present on machine', { type: 'Normal', count: 8, firstAgo: 50 * MIN, lastAgo: 2 * MIN }));
    } else if (p.state === 'not-ready') {
      out.push(ev(pod, 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503', { count: 120, firstAgo: 40 * MIN }));
    } else if (p.state === 'image-pull') {
      const image = `registry.example.com/${app}:does-not-exist`;
      out.push(ev(pod, 'Failed', `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image "${image}": not found`, { count: 6, firstAgo: 30 * MIN }));
      out.push(ev(pod, 'BackOff', `Back-off pulling image "${image}"`, { count: 130, firstAgo: 30 * MIN }));
      out.push(ev(pod, 'Pulling', `Pulling image "${image}"`, { type: 'Normal', count: 6, firstAgo: 30 * MIN, lastAgo: 5 * MIN }));
    } else if (p.state === 'unschedulable') {
      out.push(
        ev(pod, 'FailedScheduling', '0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.', {
          count: 12,
          firstAgo: 55 * MIN,
          component: 'default-scheduler',
        }),
      );
    }
  }
  if (rolledOut && broken === undefined) {
    const rs = pods[0]?.name.replace(/-[a-z0-9]{5}$/, '');
    out.push(ev({ kind: 'Deployment', name: app, apiVersion: 'apps/v1' }, 'ScalingReplicaSet', `Scaled up replica set ${rs} to ${pods.length}`, { type: 'Normal', lastAgo: 20 * MIN, component: 'deployment-controller' }));
    for (const p of pods) {
      const pod = { kind: 'Pod', name: p.name };
      if (rs) out.push(ev({ kind: 'ReplicaSet', name: rs, apiVersion: 'apps/v1' }, 'SuccessfulCreate', `Created pod: ${p.name}`, { type: 'Normal', lastAgo: 20 * MIN, component: 'replicaset-controller' }));
      out.push(ev(pod, 'Scheduled', `Successfully assigned ${ns}/${p.name} to worker-1`, { type: 'Normal', lastAgo: 20 * MIN, component: 'default-scheduler' }));
      out.push(ev(pod, 'Pulled', 'Container image "registry.example.com/my-app:1.4.2" already present on machine', { type: 'Normal', lastAgo: 20 * MIN }));
      out.push(ev(pod, 'Created', 'Created container: app', { type: 'Normal', lastAgo: 20 * MIN }));
      out.push(ev(pod, 'Started', 'Started container app', { type: 'Normal', lastAgo: 20 * MIN }));
    }
  }
  return out;
}

/** Which broken state a synthetic Pod is in, read back from its status. */
function podStateOf(pod: K8sObject): PodState['kind'] {
  const st = pod.status as { phase?: string; conditions?: { type: string; status: string; reason?: string }[]; containerStatuses?: { ready?: boolean; state?: { waiting?: { reason?: string } } }[] };
  if (st.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False')) return 'unschedulable';
  const waiting = st.containerStatuses?.[0]?.state?.waiting?.reason;
  if (waiting === 'CrashLoopBackOff') return 'crash-loop';
  if (waiting === 'ImagePullBackOff' || waiting === 'ErrImagePull') return 'image-pull';
  if (st.containerStatuses?.[0]?.ready === false) return 'not-ready';
  return 'ready';
}
