/**
 * The Gateway API's own matching rules, pure: which hostnames an HTTPRoute serves through a listener
 * (the intersection of the route's hostnames and the listener's, wildcards as the spec defines them),
 * which listeners of a Gateway a parentRef attaches to, whether a ReferenceGrant permits a
 * cross-namespace backend, and what a controller's status conditions say.
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httproutespec
 * @see https://gateway-api.sigs.k8s.io/api-types/referencegrant/
 */
import type {
  GatewayCondition,
  GatewayListener,
  HTTPRouteBackendRef,
  HTTPRouteParentRef,
  HTTPRouteParentStatus,
  LabelSelector,
  SlimGateway,
  SlimGatewayClass,
  SlimHTTPRoute,
  SlimReferenceGrant,
} from '../model/k8s';
import type { DataGap, Snapshot } from '../model/snapshot';
import { normalizeHost } from './hosts';

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/**
 * Does a Gateway API wildcard hostname (`*.example.com`) match a name? Unlike a TLS wildcard it matches
 * any number of labels (`a.example.com`, `a.b.example.com`), never the bare suffix (`example.com`).
 */
function wildcardMatches(wildcard: string, name: string): boolean {
  const suffix = wildcard.slice(1); // `.example.com`
  return name.length > suffix.length && name.endsWith(suffix);
}

/**
 * The hostname a route hostname and a listener hostname both match, or undefined: equal names; a
 * name under the other's wildcard (the name); two wildcards, one under the other (the narrower).
 * No listener hostname matches every route hostname.
 */
export function intersectHostname(route: string, listener: string | undefined): string | undefined {
  const r = normalizeHost(route);
  if (listener === undefined || listener === '') return r;
  const l = normalizeHost(listener);
  if (r === l) return r;
  const rw = r.startsWith('*.');
  const lw = l.startsWith('*.');
  if (lw && wildcardMatches(l, rw ? r.slice(1) : r)) return r;
  if (rw && wildcardMatches(r, lw ? l.slice(1) : l)) return l;
  return undefined;
}

/**
 * The hostnames an HTTPRoute serves through a listener: the route's hostnames that intersect the
 * listener's, or the listener's own when the route names none (`*` when neither does), in route order.
 */
export function routeHostsThrough(route: SlimHTTPRoute, listener: GatewayListener | undefined): string[] {
  const names = route.spec?.hostnames ?? [];
  if (names.length === 0) return [listener?.hostname ? normalizeHost(listener.hostname) : '*'];
  const out: string[] = [];
  for (const n of names) {
    const h = intersectHostname(n, listener?.hostname);
    if (h !== undefined && !out.includes(h)) out.push(h);
  }
  return out;
}

/** A parentRef with its defaults filled in: kind Gateway of the Gateway API, in the route's namespace. */
export interface ParentKey {
  group: string;
  kind: string;
  namespace: string;
  name: string;
  sectionName?: string;
  port?: number;
}

export function parentKey(ref: HTTPRouteParentRef, routeNamespace: string): ParentKey {
  const k: ParentKey = { group: ref.group ?? GATEWAY_GROUP, kind: ref.kind ?? 'Gateway', namespace: ref.namespace ?? routeNamespace, name: ref.name ?? '' };
  if (ref.sectionName) k.sectionName = ref.sectionName;
  if (ref.port !== undefined) k.port = ref.port;
  return k;
}

/** `gateway/public` and, for one listener, `gateway/public:websecure`: how messages name a parent. */
export const parentName = (p: ParentKey) => `${p.namespace}/${p.name}${p.sectionName ? `:${p.sectionName}` : ''}`;

/** The status a controller wrote for this parent of the route (the first such entry), if any. */
export function parentStatus(route: SlimHTTPRoute, parent: ParentKey): HTTPRouteParentStatus | undefined {
  const ns = route.metadata.namespace ?? '';
  return route.status?.parents?.find((s) => {
    if (!s.parentRef) return false;
    const k = parentKey(s.parentRef, ns);
    return k.group === parent.group && k.kind === parent.kind && k.namespace === parent.namespace && k.name === parent.name && k.sectionName === parent.sectionName && k.port === parent.port;
  });
}

/** The condition of a type, if written. */
export const conditionOf = (conditions: readonly GatewayCondition[] | undefined, type: string): GatewayCondition | undefined =>
  conditions?.find((c) => c.type === type);

/** `NotAllowedByListeners: no listener allows this route` - the controller's reason and words. */
export const conditionText = (c: GatewayCondition) => `${c.reason ?? 'no reason'}${c.message ? `: ${c.message}` : ''}`;

/** Does a label selector select these labels (matchLabels and the In, NotIn, Exists, DoesNotExist expressions)? */
export function selectorMatches(sel: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const key = e.key ?? '';
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In': if (!has || !values.includes(labels[key]!)) return false; break;
      case 'NotIn': if (has && values.includes(labels[key]!)) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** Why a listener does not take an HTTPRoute of a namespace, or undefined when it does. */
export function listenerRefuses(
  l: GatewayListener,
  gatewayNamespace: string,
  routeNamespace: string,
  namespaceLabels: Readonly<Record<string, string>> | undefined,
): string | undefined {
  const protocol = l.protocol ?? '';
  if (protocol !== 'HTTP' && protocol !== 'HTTPS') return `listener ${l.name ?? '?'} is ${protocol || 'of no protocol'}, not HTTP or HTTPS`;
  const kinds = l.allowedRoutes?.kinds;
  if (kinds && kinds.length > 0 && !kinds.some((k) => (k.kind ?? '') === 'HTTPRoute' && (k.group ?? GATEWAY_GROUP) === GATEWAY_GROUP)) {
    return `listener ${l.name ?? '?'} allows only ${kinds.map((k) => k.kind ?? '?').join(', ')}`;
  }
  const from = l.allowedRoutes?.namespaces?.from ?? 'Same';
  if (from === 'All') return undefined;
  if (from === 'Same') return gatewayNamespace === routeNamespace ? undefined : `listener ${l.name ?? '?'} allows routes of its own namespace (${gatewayNamespace}) only`;
  if (from === 'Selector') {
    const sel = l.allowedRoutes?.namespaces?.selector;
    // Without the namespace's labels the selector cannot be judged: the controller's status tells.
    if (!sel || namespaceLabels === undefined) return undefined;
    return selectorMatches(sel, namespaceLabels) ? undefined : `listener ${l.name ?? '?'} allows routes of the namespaces its selector selects, not ${routeNamespace}`;
  }
  return `listener ${l.name ?? '?'} allows routes from ${from}`;
}

/**
 * May an HTTPRoute of `routeNamespace` send traffic to this backend? Same-namespace backends need no
 * grant; another namespace's need a ReferenceGrant there, from HTTPRoutes of the route's namespace, to
 * the backend's kind (and name, when the grant names one). `not-checked` when grants are not read.
 */
export function backendGrant(
  ref: HTTPRouteBackendRef,
  routeNamespace: string,
  grants: readonly SlimReferenceGrant[] | undefined,
): 'same-namespace' | 'granted' | 'not-granted' | 'not-checked' {
  const ns = ref.namespace ?? routeNamespace;
  if (ns === routeNamespace) return 'same-namespace';
  if (!grants) return 'not-checked';
  const group = ref.group ?? '';
  const kind = ref.kind ?? 'Service';
  const ok = grants.some(
    (g) =>
      g.metadata.namespace === ns &&
      (g.spec?.from ?? []).some((f) => f.group === GATEWAY_GROUP && f.kind === 'HTTPRoute' && f.namespace === routeNamespace) &&
      (g.spec?.to ?? []).some((t) => (t.group ?? '') === group && t.kind === kind && (t.name === undefined || t.name === '' || t.name === ref.name)),
  );
  return ok ? 'granted' : 'not-granted';
}

/**
 * The Gateway API objects one namespace's HTTPRoutes are judged against. Gateways, GatewayClasses and
 * ReferenceGrants are shared by every namespace; a gap of one of those kinds anywhere makes its list
 * incomplete, so it is `undefined` (not checked) rather than read as "none".
 */
export interface GatewayApiIndex {
  /** The namespace's HTTPRoutes, by name; `undefined` when they could not be read here. */
  httpRoutes?: SlimHTTPRoute[];
  /** Gateways by `namespace/name`. */
  gateways?: Map<string, SlimGateway>;
  classes?: Map<string, SlimGatewayClass>;
  grants?: SlimReferenceGrant[];
  /** The labels of the namespace, for listeners that select namespaces; `undefined` when unknown. */
  namespaceLabels?: Record<string, string>;
  /** The gaps of the shared kinds (GatewayClass, Gateway, ReferenceGrant), in whichever namespace. */
  gaps: DataGap[];
}

export function gatewayApiIndex(s: Snapshot, ns: string, gapKinds: ReadonlySet<string>): GatewayApiIndex | undefined {
  if (!s.httpRoutes) return undefined;
  const shared = (s.gaps ?? []).filter((g) => g.kind === 'GatewayClass' || g.kind === 'Gateway' || g.kind === 'ReferenceGrant');
  const anywhere = new Set(shared.map((g) => g.kind));
  const index: GatewayApiIndex = { gaps: shared };
  if (!gapKinds.has('HTTPRoute')) {
    index.httpRoutes = s.httpRoutes.filter((r) => r.metadata.namespace === ns).sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  }
  if (s.gateways && !anywhere.has('Gateway')) index.gateways = new Map(s.gateways.map((g) => [`${g.metadata.namespace ?? ''}/${g.metadata.name}`, g]));
  if (s.gatewayClasses && !anywhere.has('GatewayClass')) index.classes = new Map(s.gatewayClasses.map((c) => [c.metadata.name, c]));
  if (s.referenceGrants && !anywhere.has('ReferenceGrant')) index.grants = s.referenceGrants;
  const nsObject = s.namespaces.find((n) => n.metadata.name === ns);
  if (nsObject) index.namespaceLabels = { 'kubernetes.io/metadata.name': ns, ...(nsObject.metadata.labels ?? {}) };
  return index;
}
