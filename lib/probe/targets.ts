/**
 * What may be probed, derived only from the cluster's Ingress objects and the configuration. This is the
 * network boundary: nothing typed into a URL reaches a probe, because probes only ever receive the output
 * of this function.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/service-resources/ingress-v1/
 */
import 'server-only';
import { isIP } from 'node:net';
import type { SlimIngress } from '../model/k8s';
import { EXPECT_STATUS_ANNOTATION, parseExpectStatus, PROBE_PATH_ANNOTATION, type HttpRouteRef } from '../model/probe';
import { MAX_PATHS_PER_HOST, type HttpCheck } from './http';
import type { ProbeSettings } from './settings';

/** One domain to probe. */
export interface ProbeTarget {
  /** The Ingress rule host, lower-case: the SNI and the DNS name. */
  host: string;
  /**
   * Where to dial for the TLS handshake: the configured override, else the Ingress
   * `status.loadBalancer` (ip before hostname). Absent when neither is known (a load balancer still
   * pending) or the guard refused it: the host's DNS is still checked, its TLS is not.
   */
  address?: string;
  port: number;
  /**
   * The HTTP checks of the host: one per distinct path of the rules naming it (or per Ingress, the
   * `chainboard.io/probe-path` annotation), at most {@link MAX_PATHS_PER_HOST}.
   */
  http?: HttpCheck[];
}

/** Regex or wildcard characters: such an ImplementationSpecific path is no URL to request. */
const PATTERN = /[\^$*+?()[\]{}|]/;

/**
 * The path a rule's route is checked at: the annotation's when set, else the rule's own path (a Prefix
 * path is a valid request of itself); `/` for rules without paths or with a pattern path.
 */
function requestPath(annotated: string | undefined, rulePath: string | undefined): string {
  const p = (annotated ?? rulePath ?? '').trim();
  if (!p.startsWith('/') || PATTERN.test(p)) return '/';
  return p;
}

/** The HTTP checks an Ingress contributes for one rule of a host (deduplicated by the caller). */
function httpChecks(ing: SlimIngress, rulePaths: readonly (string | undefined)[], kind: HttpRouteRef['kind']): HttpCheck[] {
  const ann = ing.metadata.annotations ?? {};
  const annotated = ann[PROBE_PATH_ANNOTATION]?.trim() || undefined;
  const expect = parseExpectStatus(ann[EXPECT_STATUS_ANNOTATION]);
  const namespace = ing.metadata.namespace ?? '';
  const ingress = ing.metadata.name;
  const paths = rulePaths.length ? rulePaths : [undefined];
  return paths.map((p) => ({
    path: requestPath(annotated, p),
    // The route as the chain names it: a rule without paths is `*`, a path without a value is `/`.
    route: { namespace, ...(kind ? { kind } : {}), ingress, path: p === undefined ? '*' : p || '/' },
    ...(expect.length ? { expectStatus: expect } : {}),
  }));
}

function addChecks(t: ProbeTarget, checks: readonly HttpCheck[]): void {
  const list = (t.http ??= []);
  for (const c of checks) {
    if (list.length >= MAX_PATHS_PER_HOST) return;
    if (!list.some((x) => x.path === c.path)) list.push(c);
  }
}

export interface TargetOptions extends Pick<ProbeSettings, 'enabled' | 'port'> {
  address?: string;
  /**
   * Guard on every address that would be dialled; refused addresses are dropped. The demo and the tests
   * pass {@link loopbackOnly} so nothing outside 127.0.0.0/8 is ever contacted.
   */
  allowAddress?: (address: string) => boolean;
  /**
   * The kind of route object an Ingress-shaped object stands for (lib/chain's `routeKindOf`): an
   * IngressRoute's probe view carries its hosts and paths as rules, and its checks must name it, not an
   * Ingress of the same name. Absent: every object is an Ingress.
   */
  routeKind?: (ing: SlimIngress) => HttpRouteRef['kind'];
}

/** True only for IPv4 loopback addresses (127.0.0.0/8); names are refused because they would need resolving. */
export function loopbackOnly(address: string): boolean {
  return isIP(address) === 4 && address.split('.')[0] === '127';
}

/**
 * Probe targets for the hosts of the given Ingresses, one per host (the first Ingress that names the
 * host wins; a later one supplies the address if the first has none). Rules without a host are skipped.
 * With probing disabled the list is empty.
 */
export function probeTargets(ingresses: readonly SlimIngress[], opts: TargetOptions): ProbeTarget[] {
  if (!opts.enabled) return [];
  const allow = opts.allowAddress ?? (() => true);
  const byHost = new Map<string, ProbeTarget>();
  for (const ing of ingresses) {
    const lb = ing.status?.loadBalancer?.ingress ?? [];
    const fromStatus = lb.map((i) => i.ip || i.hostname).find((a): a is string => !!a);
    const candidate = opts.address ?? fromStatus;
    const address = candidate !== undefined && allow(candidate) ? candidate : undefined;
    for (const rule of ing.spec?.rules ?? []) {
      const host = rule.host?.trim().toLowerCase().replace(/\.$/, '');
      if (!host) continue;
      // A wildcard host (`*.example.com`) names a family of domains, not one: there is no name to send as
      // SNI or to resolve, and picking a label would probe a domain nobody uses. Its concrete subdomains
      // are covered when they have rules of their own.
      if (host.includes('*')) continue;
      let seen = byHost.get(host);
      if (!seen) byHost.set(host, (seen = { host, ...(address ? { address } : {}), port: opts.port }));
      else if (!seen.address && address) seen.address = address;
      addChecks(seen, httpChecks(ing, (rule.http?.paths ?? []).map((p) => p.path ?? ''), opts.routeKind?.(ing)));
    }
  }
  return [...byHost.values()];
}
