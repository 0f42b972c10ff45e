/**
 * Service rules: does the Service port the route resolves to reach ready Pods through its
 * EndpointSlices? Judged per (Service, port), since a route targets one port.
 * @see https://kubernetes.io/docs/concepts/services-networking/service/
 * @see https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/
 */
import type { EndpointCounts, EndpointNode } from '../../model/chain';
import type { ServicePort, SlimEndpointSlice, SlimPod, SlimService } from '../../model/k8s';
import { kubectl, SERVICE_NAME_LABEL, selectorString, type NsContext } from '../context';
import type { Rule } from './types';

export interface ServiceSubject {
  service: SlimService;
  port: ServicePort;
  /** The selector when it is non-empty. */
  selector?: Record<string, string>;
  /** The Pods the selector matches. */
  selected: SlimPod[];
  /** Every EndpointSlice of the Service (any port). */
  slices: SlimEndpointSlice[];
  /** The endpoints serving this port. */
  endpoints: EndpointNode[];
  counts: EndpointCounts;
}

type ServiceRule = Rule<ServiceSubject, NsContext>;

const svcName = (s: ServiceSubject) => s.service.metadata.name;
const isExternalName = (s: ServiceSubject) => s.service.spec?.type === 'ExternalName';
/** `port 80 (http) -> 8080` */
export function describePort(p: ServicePort): string {
  const name = p.name ? ` (${p.name})` : '';
  return `port ${p.port}${name} -> ${p.targetPort ?? p.port}`;
}
const slicesHint = (s: ServiceSubject, ctx: NsContext) =>
  `${kubectl(ctx.ns)} get endpointslices -l ${SERVICE_NAME_LABEL}=${svcName(s)} -o wide`;
const podsOf = (n: number) => `${n} Pod${n === 1 ? '' : 's'}`;
const targetPortOf = (p: ServicePort) => p.targetPort ?? p.port;

function phaseCounts(pods: SlimPod[]): string {
  const by = new Map<string, number>();
  for (const p of pods) {
    const ph = p.metadata.deletionTimestamp ? 'Terminating' : (p.status?.phase ?? 'Unknown');
    by.set(ph, (by.get(ph) ?? 0) + 1);
  }
  return [...by.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([ph, n]) => `${n} ${ph}`)
    .join(', ');
}

const endpointsChecked = (s: ServiceSubject, ctx: NsContext) => !isExternalName(s) && !ctx.gapKinds.has('EndpointSlice');
const podsChecked = (s: ServiceSubject, ctx: NsContext) => !isExternalName(s) && s.selector !== undefined && !ctx.gapKinds.has('Pod');

/** The container ports the selected Pods declare (`8080 (http)`), and whether one is the target port. */
function declaredPorts(s: ServiceSubject): { matched: boolean; declared: string[] } {
  const target = targetPortOf(s.port);
  const declared: string[] = [];
  let matched = false;
  for (const p of s.selected) {
    for (const c of p.spec?.containers ?? []) {
      for (const cp of c.ports ?? []) {
        if (typeof target === 'string' ? cp.name === target : cp.containerPort === target) matched = true;
        const label = cp.name ? `${cp.containerPort} (${cp.name})` : `${cp.containerPort}`;
        if (!declared.includes(label)) declared.push(label);
      }
    }
  }
  return { matched, declared };
}

/**
 * The targetPort is a name no selected Pod declares: no endpoint can be made for it. `target-port-unmatched`
 * reports this, critical, and it explains an empty endpoint list.
 */
const namedTargetUnmatched = (s: ServiceSubject, ctx: NsContext) =>
  podsChecked(s, ctx) && s.selected.length > 0 && typeof targetPortOf(s.port) === 'string' && !declaredPorts(s).matched;

export const SERVICE_RULES: readonly ServiceRule[] = [
  {
    code: 'service.externalname',
    severity: 'info',
    family: 'service',
    title: 'ExternalName Service',
    description: 'The Service is an ExternalName alias for a DNS name outside the cluster: no endpoints are expected and none are checked.',
    hint: 'kubectl -n NS get service SERVICE -o wide',
    check(s, ctx) {
      if (!isExternalName(s)) return;
      return {
        message: `Service ${svcName(s)} is an ExternalName alias for ${s.service.spec?.externalName ?? '(no externalName)'}; endpoints are not checked`,
        hint: `${kubectl(ctx.ns)} get service ${svcName(s)} -o wide`,
      };
    },
  },
  {
    code: 'service.no-selector',
    severity: 'critical',
    family: 'service',
    title: 'No selector and no EndpointSlices',
    description: 'The Service has no Pod selector and no EndpointSlices: nobody manages its endpoints, so it has none.',
    hint: 'kubectl -n NS get service SERVICE -o yaml',
    check(s, ctx) {
      if (!endpointsChecked(s, ctx) || s.selector || s.slices.length > 0) return;
      return {
        message: `Service ${svcName(s)} has no selector and no EndpointSlices labelled ${SERVICE_NAME_LABEL}=${svcName(s)}: it has no endpoints`,
        hint: `${kubectl(ctx.ns)} get service ${svcName(s)} -o yaml`,
      };
    },
  },
  {
    code: 'service.selector-matches-nothing',
    severity: 'critical',
    family: 'service',
    title: 'Selector matches no Pod',
    description: 'No Pod carries the labels of the Service selector: the workload is scaled to zero, missing, or the labels differ (a typo).',
    hint: 'kubectl -n NS get pods,deployments,statefulsets --show-labels',
    check(s, ctx) {
      if (!podsChecked(s, ctx) || s.selected.length > 0) return;
      return {
        message: `Service ${svcName(s)} selects ${selectorString(s.selector!)} but no Pod in ${ctx.ns} has these labels: scaled to zero, or a label typo`,
        hint: `${kubectl(ctx.ns)} get pods,deployments,statefulsets --show-labels`,
      };
    },
  },
  {
    code: 'service.target-port-unmatched',
    severity: 'critical',
    family: 'service',
    title: 'No Pod exposes the target port',
    description:
      'The Service targetPort is a port name that no selected Pod container declares (no endpoint can be made for it), or a number that no container declares while the containers declare other ports.',
    alsoSeverity: {
      severity: 'warning',
      when: 'the targetPort is a number: declared container ports are informational, so traffic may still be served',
    },
    hint: "kubectl -n NS get pods -l SELECTOR -o jsonpath='{.items[*].spec.containers[*].ports}'",
    check(s, ctx) {
      if (!podsChecked(s, ctx) || s.selected.length === 0) return;
      const target = targetPortOf(s.port);
      const { matched, declared } = declaredPorts(s);
      if (matched) return;
      if (typeof target === 'number' && declared.length === 0) return; // nothing declared: nothing to compare with
      const hint = `${kubectl(ctx.ns)} get pods -l ${selectorString(s.selector!)} -o jsonpath='{.items[*].spec.containers[*].ports}'`;
      const have = declared.length ? declared.sort().join(', ') : 'none';
      if (typeof target === 'string') {
        return {
          message: `Service ${svcName(s)} ${describePort(s.port)}: no selected Pod (${podsOf(s.selected.length)}) has a container port named "${target}" (declared: ${have})`,
          hint,
        };
      }
      return {
        severity: 'warning',
        message: `Service ${svcName(s)} ${describePort(s.port)}: no selected Pod (${podsOf(s.selected.length)}) declares container port ${target} (declared: ${have})`,
        hint,
      };
    },
  },
  {
    code: 'service.no-endpoints',
    severity: 'critical',
    family: 'service',
    title: 'No endpoints',
    description: 'The selector matches Pods, but the EndpointSlices hold no endpoint for this port (Pods without IP, not scheduled, or failed).',
    causes: 'pods-without-endpoint',
    hint: 'kubectl -n NS get endpointslices -l kubernetes.io/service-name=SERVICE -o wide',
    suppressedBy: ['service.no-selector', 'service.selector-matches-nothing'],
    check(s, ctx) {
      if (!endpointsChecked(s, ctx) || s.endpoints.length > 0) return;
      if (s.selector && (ctx.gapKinds.has('Pod') || s.selected.length === 0)) return;
      if (namedTargetUnmatched(s, ctx)) return;
      const why = s.selector
        ? `although ${selectorString(s.selector)} matches ${podsOf(s.selected.length)} (${phaseCounts(s.selected)})`
        : `in its ${s.slices.length} EndpointSlice${s.slices.length === 1 ? '' : 's'}`;
      return { message: `Service ${svcName(s)} ${describePort(s.port)} has no endpoints ${why}`, hint: slicesHint(s, ctx) };
    },
  },
  {
    code: 'service.no-ready-endpoints',
    severity: 'critical',
    family: 'service',
    title: 'No ready endpoints',
    description: 'The Service port has endpoints but none is ready: every request to the domain fails.',
    causes: 'not-ready-endpoint-pods',
    hint: 'kubectl -n NS get endpointslices -l kubernetes.io/service-name=SERVICE -o wide',
    check(s, ctx) {
      if (!endpointsChecked(s, ctx) || s.counts.total === 0 || s.counts.ready > 0) return;
      const c = s.counts;
      return {
        message: `Service ${svcName(s)} ${describePort(s.port)}: 0 of ${c.total} endpoints ready (${c.notReady} not ready, ${c.terminating} terminating)`,
        hint: slicesHint(s, ctx),
      };
    },
  },
  {
    code: 'service.some-endpoints-not-ready',
    severity: 'warning',
    family: 'service',
    title: 'Some endpoints not ready',
    description: 'Some endpoints of the Service port are not ready (and not terminating): capacity is reduced.',
    causes: 'not-ready-endpoint-pods',
    hint: 'kubectl -n NS get endpointslices -l kubernetes.io/service-name=SERVICE -o wide',
    check(s, ctx) {
      if (!endpointsChecked(s, ctx) || s.counts.ready === 0 || s.counts.notReady === 0) return;
      return {
        message: `Service ${svcName(s)} ${describePort(s.port)}: ${s.counts.notReady} of ${s.counts.total} endpoints not ready`,
        hint: slicesHint(s, ctx),
      };
    },
  },
  {
    code: 'service.single-endpoint',
    severity: 'info',
    family: 'service',
    title: 'Single ready endpoint',
    description: 'Only one endpoint is ready: no redundancy, a restart or a node drain takes the domain down.',
    hint: 'kubectl -n NS get deployments,statefulsets',
    check(s, ctx) {
      if (!endpointsChecked(s, ctx) || s.counts.ready !== 1) return;
      return {
        message: `Service ${svcName(s)} ${describePort(s.port)} has a single ready endpoint: no redundancy`,
        hint: `${kubectl(ctx.ns)} get deployments,statefulsets`,
      };
    },
  },
  {
    code: 'service.endpoints-terminating',
    severity: 'info',
    family: 'service',
    title: 'Endpoints terminating',
    description: 'Some endpoints are terminating: a rollout or scale-down in progress, not a fault.',
    hint: 'kubectl -n NS rollout status deployment DEPLOYMENT',
    check(s, ctx) {
      if (!endpointsChecked(s, ctx) || s.counts.terminating === 0) return;
      return {
        message: `Service ${svcName(s)} ${describePort(s.port)}: ${s.counts.terminating} of ${s.counts.total} endpoints terminating (rollout or scale-down)`,
        hint: slicesHint(s, ctx),
      };
    },
  },
];
