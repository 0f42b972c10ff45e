/**
 * HTTP: the checks of a host's route paths judged against the chain. Each check names the route it
 * stands for (namespace, Ingress, rule path), so a namespace judges only its own routes' checks and a
 * host served from several namespaces has each check judged once. The findings sit on the route, on the
 * Service behind it, or on the domain (see rules/http.ts).
 */
import type { Finding, HttpState, LinkCheck, NotCheckedReason, RouteNode } from '../../model/chain';
import { rollUp } from '../../model/health';
import { nodeId, nodeLink } from '../../model/ids';
import type { HostProbes, HttpProbeResult } from '../../model/probe';
import type { NsContext } from '../context';
import { HTTP_PROBE_RULES } from '../rules/http';
import { runRules } from '../rules/types';

/** The checks of a host that are about this namespace's routes (a check from a namespace-less Ingress counts everywhere). */
export function namespaceChecks(probes: HostProbes | undefined, ns: string): HttpProbeResult[] {
  return (probes?.http ?? []).filter((r) => !r.route.namespace || r.route.namespace === ns);
}

/** The findings of a host's HTTP checks in one namespace, linked to the routes and Services they blame. */
export function httpFindings(ctx: NsContext, host: string, checks: readonly HttpProbeResult[], routes: readonly RouteNode[]): Finding[] {
  const domain = nodeLink(nodeId.domain(host));
  return checks.flatMap((probe) => {
    // An Ingress and an IngressRoute may share a name: the check's kind tells their routes apart.
    const route = routes.find((r) => r.kind === probe.route.kind && r.ingress === probe.route.ingress && r.path === probe.route.path);
    const subject = {
      probe,
      slowMs: ctx.opts.httpSlowMs,
      domain,
      ...(route ? { route: nodeLink(route.id) } : {}),
      ...(route?.service ? { service: nodeLink(route.service.id) } : {}),
      ...(route?.backend.service?.name ? { backendService: route.backend.service.name } : {}),
    };
    const object = { kind: probe.route.kind ?? 'Ingress', namespace: ctx.ns, name: probe.route.ingress };
    // Two checks may share an Ingress and a link (two paths of one route's Service): the path tells them apart.
    return runRules(HTTP_PROBE_RULES, subject, ctx, { link: domain, object, key: probe.path });
  });
}

/**
 * The HTTP state of a domain: its checks, whether any ran, and the worst of its `http.*` findings.
 * Without checks the reason is the TLS probe's: probes off, a wildcard host, no address to dial, or not
 * yet probed.
 */
export function assembleHttp(host: string, checks: readonly HttpProbeResult[], findings: readonly Finding[], probing: boolean, probes: HostProbes | undefined): HttpState {
  let check: LinkCheck;
  if (checks.length > 0) check = { state: 'checked', by: 'probe' };
  else {
    const reason: NotCheckedReason = !probing ? 'probes-off' : host.includes('*') ? 'wildcard-host' : probes?.dns ? 'no-address' : 'not-probed';
    check = { state: 'not-checked', reasons: [reason] };
  }
  const own = findings.filter((f) => f.code.startsWith('http.'));
  const health = check.state === 'not-checked' && own.length === 0 ? 'not-checked' : rollUp(own);
  return { id: nodeId.domain(host), probes: [...checks], check, health };
}
