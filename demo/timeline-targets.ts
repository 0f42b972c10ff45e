/**
 * Which Service each act of the demo timeline plays on: a healthy Service (every Pod ready) in a prefixed
 * namespace, preferring one labelled or annotated `chainboard.dev/timeline: <act>`, then one behind a
 * served Ingress, and different namespaces for different acts.
 */
import { podReady } from './pods';
import type { KubeObject } from './resources';
import { matchesLabels } from './selectors';
import type { ClusterState } from './state';

/** The label (or annotation) that names the act a Service is meant for. */
export const TIMELINE_LABEL = 'chainboard.dev/timeline';

/** A Service an act plays on, with its namespace and Pod selector. */
export interface Target {
  service: KubeObject;
  namespace: string;
  selector: Record<string, string>;
}

/** Which namespaces the story may touch. */
export interface TargetScope {
  prefix: string;
  exclude: ReadonlySet<string>;
}

type Backend = { service?: { name?: string } } | undefined;

const toReqs = (sel: Record<string, string>) => Object.entries(sel).map(([key, value]) => ({ op: '=' as const, key, value }));

/** The Pods the target's Service selects. */
export function podsOf(state: ClusterState, t: Target): KubeObject[] {
  return state.all('Pod').filter((p) => p.metadata.namespace === t.namespace && matchesLabels(toReqs(t.selector), p.metadata.labels));
}

/** The EndpointSlices of the target's Service. */
export function slicesOf(state: ClusterState, t: Target): KubeObject[] {
  return state.all('EndpointSlice').filter((s) => s.metadata.namespace === t.namespace && s.metadata.labels?.['kubernetes.io/service-name'] === t.service.metadata.name);
}

/** `namespace/service` of every Service a served Ingress (a known class, an address published) routes to. */
function routedServices(state: ClusterState): Set<string> {
  const classes = new Set(state.all('IngressClass').map((c) => c.metadata.name));
  return new Set(
    state.all('Ingress').flatMap((i) => {
      const spec = (i.spec ?? {}) as { ingressClassName?: string; defaultBackend?: Backend; rules?: { http?: { paths?: { backend?: Backend }[] } }[] };
      const lb = ((i.status as { loadBalancer?: { ingress?: unknown[] } } | undefined)?.loadBalancer?.ingress ?? []).length > 0;
      const cls = spec.ingressClassName ?? i.metadata.annotations?.['kubernetes.io/ingress.class'];
      if (!lb || (cls !== undefined && !classes.has(cls))) return [];
      const backends = [spec.defaultBackend, ...(spec.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend))];
      return backends.map((b) => b?.service?.name).filter(Boolean).map((name) => `${i.metadata.namespace}/${name}`);
    }),
  );
}

/**
 * The Service for `act`, the `rank`-th act of the story (which spreads the acts over namespaces), or
 * undefined when no Service in scope is healthy.
 */
export function pickTarget(state: ClusterState, act: string, rank: number, scope: TargetScope): Target | undefined {
  let candidates = state
    .all('Service')
    .filter((s) => s.metadata.namespace?.startsWith(scope.prefix) && !scope.exclude.has(s.metadata.namespace))
    .map((s) => ({ service: s, namespace: s.metadata.namespace!, selector: ((s.spec as Record<string, unknown> | undefined)?.selector ?? {}) as Record<string, string> }))
    .filter((t) => Object.keys(t.selector).length > 0 && slicesOf(state, t).length > 0)
    .filter((t) => {
      const pods = podsOf(state, t);
      return pods.length > 0 && pods.every((p) => podReady(p) && !p.metadata.deletionTimestamp);
    });
  const labelled = candidates.find((t) => t.service.metadata.labels?.[TIMELINE_LABEL] === act || t.service.metadata.annotations?.[TIMELINE_LABEL] === act);
  if (labelled) return labelled;
  // Services behind a served Ingress first: a change nobody routes to, or behind a domain that is down
  // anyway, would not show on the dashboard.
  const routed = routedServices(state);
  const visible = candidates.filter((t) => routed.has(`${t.namespace}/${t.service.metadata.name}`));
  if (visible.length > 0) candidates = visible;
  const unlabelled = candidates.filter((t) => !t.service.metadata.labels?.[TIMELINE_LABEL] && !t.service.metadata.annotations?.[TIMELINE_LABEL]);
  // Different acts in different namespaces (when there are enough) so the story reads clearly.
  const pool = unlabelled.length > 0 ? unlabelled : candidates;
  const namespaces = [...new Set(pool.map((t) => t.namespace))];
  if (namespaces.length === 0) return undefined;
  const ns = namespaces[rank % namespaces.length];
  const inNs = pool.filter((t) => t.namespace === ns);
  return inNs[Math.floor(rank / namespaces.length) % inNs.length];
}
