/**
 * The API resources the demo cluster serves, and the discovery documents built from them. Only the kinds
 * Chainboard reads (plus Deployments and ReplicaSets, which the timeline scales so that `kubectl get deploy`
 * tells the same story as the Pods).
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#standard-api-terminology
 * @see https://kubernetes.io/docs/reference/using-api/#api-groups
 */

/** One resource type: where it lives in the URL space and how it is named. */
export interface ResourceType {
  /** API group; `''` is the core (legacy) group served under `/api`. */
  group: string;
  version: string;
  kind: string;
  /** The lower-case plural used in URLs, e.g. `endpointslices`. */
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  /** Fields a fieldSelector may name, besides metadata.name and metadata.namespace. */
  fields: Record<string, (o: KubeObject) => string | undefined>;
}

/** A full API object as the server stores and serves it. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: KubeMeta;
  [field: string]: unknown;
}

export interface KubeMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion?: string; kind: string; name: string; uid?: string; controller?: boolean }[];
  [field: string]: unknown;
}

const get = (o: unknown, path: string): string | undefined => {
  let cur: unknown = o;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  if (typeof cur === 'string') return cur;
  if (typeof cur === 'number' || typeof cur === 'boolean') return String(cur);
  return undefined;
};
const fieldsOf = (...paths: string[]) => Object.fromEntries(paths.map((p) => [p, (o: KubeObject) => get(o, p)]));

/** Every resource type the demo serves, in discovery order. */
export const RESOURCES: readonly ResourceType[] = [
  {
    group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', singular: 'namespace', namespaced: false, shortNames: ['ns'],
    fields: fieldsOf('status.phase'),
  },
  {
    group: '', version: 'v1', kind: 'Pod', plural: 'pods', singular: 'pod', namespaced: true, shortNames: ['po'],
    fields: fieldsOf('spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.phase', 'status.podIP', 'status.nominatedNodeName'),
  },
  {
    group: '', version: 'v1', kind: 'Service', plural: 'services', singular: 'service', namespaced: true, shortNames: ['svc'],
    fields: fieldsOf('spec.clusterIP', 'spec.type'),
  },
  {
    group: '', version: 'v1', kind: 'Event', plural: 'events', singular: 'event', namespaced: true, shortNames: ['ev'],
    fields: {
      ...fieldsOf(
        'involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid',
        'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath',
        'reason', 'reportingComponent', 'type',
      ),
      source: (o) => get(o, 'source.component') ?? get(o, 'reportingComponent'),
    },
  },
  {
    group: '', version: 'v1', kind: 'Secret', plural: 'secrets', singular: 'secret', namespaced: true,
    fields: fieldsOf('type'),
  },
  {
    group: 'networking.k8s.io', version: 'v1', kind: 'IngressClass', plural: 'ingressclasses', singular: 'ingressclass', namespaced: false,
    fields: {},
  },
  {
    group: 'networking.k8s.io', version: 'v1', kind: 'Ingress', plural: 'ingresses', singular: 'ingress', namespaced: true, shortNames: ['ing'],
    fields: {},
  },
  {
    group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', plural: 'endpointslices', singular: 'endpointslice', namespaced: true,
    fields: {},
  },
  {
    // cert-manager's CRD, served as if cert-manager were installed (the samples hold two Certificates).
    group: 'cert-manager.io', version: 'v1', kind: 'Certificate', plural: 'certificates', singular: 'certificate', namespaced: true, shortNames: ['cert'],
    fields: {},
  },
  // The rest of cert-manager's CRDs: the request chain behind a Certificate (demo/extra/hst-certlab.yaml
  // holds one stuck behind a redirect, and one rate-limited).
  {
    group: 'cert-manager.io', version: 'v1', kind: 'CertificateRequest', plural: 'certificaterequests', singular: 'certificaterequest', namespaced: true, shortNames: ['cr', 'crs'],
    fields: {},
  },
  {
    group: 'cert-manager.io', version: 'v1', kind: 'Issuer', plural: 'issuers', singular: 'issuer', namespaced: true,
    fields: {},
  },
  {
    group: 'cert-manager.io', version: 'v1', kind: 'ClusterIssuer', plural: 'clusterissuers', singular: 'clusterissuer', namespaced: false,
    fields: {},
  },
  {
    group: 'acme.cert-manager.io', version: 'v1', kind: 'Order', plural: 'orders', singular: 'order', namespaced: true,
    fields: {},
  },
  {
    group: 'acme.cert-manager.io', version: 'v1', kind: 'Challenge', plural: 'challenges', singular: 'challenge', namespaced: true,
    fields: {},
  },
  {
    // Traefik's Middleware CRD, served as if Traefik's CRDs were installed (demo/extra holds some).
    group: 'traefik.io', version: 'v1alpha1', kind: 'Middleware', plural: 'middlewares', singular: 'middleware', namespaced: true,
    fields: {},
  },
  {
    // Traefik's IngressRoute CRD, likewise (demo/extra/hst-routelab.yaml holds some).
    group: 'traefik.io', version: 'v1alpha1', kind: 'IngressRoute', plural: 'ingressroutes', singular: 'ingressroute', namespaced: true,
    fields: {},
  },
  // The Gateway API's CRDs (sigs.k8s.io/gateway-api), served as if installed (demo/extra/hst-gatelab.yaml holds some).
  {
    group: 'gateway.networking.k8s.io', version: 'v1', kind: 'GatewayClass', plural: 'gatewayclasses', singular: 'gatewayclass', namespaced: false, shortNames: ['gc'],
    fields: {},
  },
  {
    group: 'gateway.networking.k8s.io', version: 'v1', kind: 'Gateway', plural: 'gateways', singular: 'gateway', namespaced: true, shortNames: ['gtw'],
    fields: {},
  },
  {
    group: 'gateway.networking.k8s.io', version: 'v1', kind: 'HTTPRoute', plural: 'httproutes', singular: 'httproute', namespaced: true,
    fields: {},
  },
  {
    group: 'gateway.networking.k8s.io', version: 'v1beta1', kind: 'ReferenceGrant', plural: 'referencegrants', singular: 'referencegrant', namespaced: true, shortNames: ['refgrant'],
    fields: {},
  },
  {
    group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', singular: 'deployment', namespaced: true, shortNames: ['deploy'],
    fields: {},
  },
  {
    group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', singular: 'replicaset', namespaced: true, shortNames: ['rs'],
    fields: {},
  },
];

/** `v1` for the core group, `group/version` otherwise: the value of `apiVersion`. */
export const groupVersion = (r: Pick<ResourceType, 'group' | 'version'>): string => (r.group ? `${r.group}/${r.version}` : r.version);

/** Find a resource type by kind (`Pod`), plural (`pods`), singular or short name, case-insensitively. */
export function findResource(nameOrKind: string): ResourceType | undefined {
  const n = nameOrKind.toLowerCase();
  return RESOURCES.find((r) => r.kind.toLowerCase() === n || r.plural === n || r.singular === n || r.shortNames?.includes(n));
}

/** The resource type of an object, by its `kind` (and `apiVersion` when it names a group we do not serve). */
export function resourceOf(o: { kind?: unknown; apiVersion?: unknown }): ResourceType | undefined {
  if (typeof o.kind !== 'string') return undefined;
  const r = RESOURCES.find((x) => x.kind === o.kind);
  if (!r) return undefined;
  if (typeof o.apiVersion === 'string' && o.apiVersion !== groupVersion(r)) {
    // events.k8s.io/v1 Events and older group versions are different resources: not served here.
    return undefined;
  }
  return r;
}

/** `GET /version`. @see https://kubernetes.io/docs/reference/using-api/health-checks/ */
export function versionInfo() {
  return {
    major: '1',
    minor: '33',
    gitVersion: 'v1.33.0-chainboard-demo',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-01-01T00:00:00Z',
    goVersion: 'go1.24.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

const VERBS = ['get', 'list', 'watch'];
const NONE: ReadonlySet<string> = new Set();

/** `GET /api/v1` or `GET /apis/{group}/{version}`: the APIResourceList, or undefined for an unknown group. */
export function apiResourceList(group: string, version: string, uninstalled: ReadonlySet<string> = NONE) {
  if (uninstalled.has(group)) return undefined;
  const rs = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (rs.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersion({ group, version }),
    resources: rs.map((r) => ({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: VERBS,
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      storageVersionHash: Buffer.from(`${r.group}/${r.kind}`).toString('base64').slice(0, 11),
    })),
  };
}

/** `GET /api`: the core group's versions. */
export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** `GET /apis`: every named group with its (single) version. */
export function apiGroupList(uninstalled: ReadonlySet<string> = NONE) {
  const groups = [...new Set(RESOURCES.map((r) => r.group).filter((g) => g !== '' && !uninstalled.has(g)))];
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups.map((name) => apiGroup(name)!),
  };
}

/** `GET /apis/{group}`. */
export function apiGroup(name: string, uninstalled: ReadonlySet<string> = NONE) {
  if (uninstalled.has(name)) return undefined;
  const versions = [...new Set(RESOURCES.filter((r) => r.group === name).map((r) => r.version))];
  if (versions.length === 0) return undefined;
  const gv = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { kind: 'APIGroup', apiVersion: 'v1', name, versions: gv, preferredVersion: gv[0] };
}
