/**
 * Every word the chain diagram shows or speaks: the kind, name and second line of each node, the column
 * titles, the shortening of long names, and the accessible names of nodes and edges. Pure functions of the
 * chain objects and the graph; the graph model (model.ts) fills its nodes from here and ChainDiagram only
 * prints what these return, so the wording is unit-tested (labels.test.ts) and stays in one place.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/
 * @see https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/
 */
import { httpBadgeText } from '../../lib/model/http-text';
import type {
  AcmeStepState,
  DnsState,
  GatewayListenerState,
  GatewayParentState,
  RouteBackendRef,
  TraefikMiddlewareRef,
  DomainChain,
  EndpointCounts,
  EndpointNode,
  Finding,
  PodSummary,
  RouteNode,
  ServiceNode,
  Severity,
  TlsState,
  TraefikState,
} from '../../lib/model/chain';
import { notCheckedText, TRAEFIK_NOT_CHECKED_TEXT } from '../../lib/model/check';
import type { GraphEdge, GraphNode } from './lookup';
import type { GraphNodeKind } from './model';

/** A node's two lines of text: the object's name in full and the short second line (port, path, state). */
export interface NodeText {
  name: string;
  detail: string;
}

/** Column titles of an Ingress domain, by layer. */
export const COLUMN_TITLES = ['Domain', 'Ingress route', 'Service', 'Endpoints', 'Pods'] as const;

/** What a route node is, by the kind of object it comes from: an Ingress path, an HTTPRoute rule, an IngressRoute route. */
export function routeKindLabel(route: Pick<RouteNode, 'kind'>): string {
  return route.kind ?? 'Ingress route';
}

/**
 * The column titles of a domain's diagram: the route column names the route kinds drawn (`Ingress route`,
 * `HTTPRoute`, `IngressRoute`, or several joined by ` / `), after a `Gateway listener` column when an
 * HTTPRoute's Gateway is drawn.
 */
export function columnTitles(routes: readonly Pick<RouteNode, 'kind'>[], gatewayColumn: boolean): string[] {
  const kinds = [...new Set(routes.map((r) => r.kind ?? 'Ingress'))];
  const route = kinds.length === 1 ? routeKindLabel({ kind: routes[0]!.kind }) : kinds.length === 0 ? 'Ingress route' : kinds.join(' / ');
  return ['Domain', ...(gatewayColumn ? ['Gateway listener'] : []), route, 'Service', 'Endpoints', 'Pods'];
}

/** What kind of object a node is, in words ("Service"). */
export const KIND_LABEL: Record<GraphNodeKind, string> = {
  domain: 'Domain',
  tls: 'TLS',
  dns: 'DNS',
  traefik: 'Traefik router',
  gateway: 'Gateway listener',
  route: 'Ingress route',
  service: 'Service',
  backend: 'Backend',
  acme: 'ACME step',
  'endpoint-group': 'Endpoints',
  endpoint: 'Endpoint',
  pod: 'Pod',
};

/** The most characters of a node's name and of its second line that fit its box. */
export const NAME_MAX = 20;
export const DETAIL_MAX = 30;
/** A second line up to this long is printed whole in a smaller font rather than shortened. */
export const DETAIL_SHRINK_MAX = 36;
/** The font size (SVG units) of a node's second line: 10 up to {@link DETAIL_MAX} characters, smaller (down to 8.5) up to {@link DETAIL_SHRINK_MAX}. */
export function detailFontSize(text: string): number {
  return text.length <= DETAIL_MAX ? 10 : Math.max(8.5, Math.floor((10 * DETAIL_MAX * 10) / text.length) / 10);
}
/** The font size (SVG units) that fits `text` in a node's name line: 12.5 up to {@link NAME_MAX} characters, smaller down to 9.5 beyond. */
export function nameFontSize(text: string): number {
  return text.length <= NAME_MAX ? 12.5 : Math.max(9.5, Math.floor((12.5 * NAME_MAX * 10) / text.length) / 10);
}

/** The most characters of the domain's host on one line of its node; the host wraps, never shortened. */
export const HOST_LINE_MAX = 22;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The domain node: its host and how many routes serve it. */
/** The domain node: its routes, and what a request to it gets (`HTTP 502 (controller) · 4 ms`, `HTTP not checked`). */
export function domainText(d: DomainChain): NodeText {
  return { name: d.host, detail: `${plural(d.routes.length, 'route')} · ${httpBadgeText(d.http)}` };
}

/**
 * The DNS node: what the record is (or is asked to be), and the lookup result or the address it should
 * point at; `via` names what publishes that address (the Ingress, or the Gateway of HTTPRoutes).
 */
export function dnsText(d: DnsState, via: 'Ingress' | 'Gateway' = 'Ingress'): NodeText {
  return { name: dnsName(d), detail: dnsDetail(d, via) };
}

function dnsName(d: DnsState): string {
  if (d.probe?.status === 'ok') return [...d.probe.a, ...d.probe.aaaa, ...d.probe.cname][0] ?? 'resolves';
  if (d.annotatedHostnames.length) return 'external-dns record';
  return 'no record asked';
}

function dnsDetail(d: DnsState, via: 'Ingress' | 'Gateway'): string {
  // Without a lookup the node says why, so its grey reads as "not looked at", not as a fault.
  const unchecked = notCheckedText(d.check);
  if (unchecked) return unchecked;
  if (d.probe && d.probe.status !== 'ok') return d.probe.status === 'error' ? 'lookup failed' : d.probe.status;
  const lb = d.loadBalancer[0];
  if (d.probe?.status === 'ok') return lb ? `${via} at ${lb}` : 'resolves';
  return lb ? `→ ${lb} (not resolved)` : `no ${via} address`;
}

/**
 * The Traefik node: the router of the first route (and how many more), then its entrypoints and
 * Middlewares with their state (`!` missing or in error, `?` not checked), or why nothing was checked.
 */
export function traefikText(t: TraefikState): NodeText {
  const first = t.routers[0];
  const more = t.routers.length > 1 ? ` +${t.routers.length - 1}` : '';
  const name = first ? `${first.name.replace(/@kubernetes$/, '')}${more}` : 'no router';
  if (t.check.state === 'not-checked') {
    const mws = first?.middlewares.map((m) => `${m.name.replace(/@kubernetescrd$/, '')}${m.state === 'missing' ? ' !' : m.state === 'ok' ? '' : ' ?'}`) ?? [];
    return { name, detail: mws.length && mws.some((m) => m.endsWith('!')) ? `middleware ${mws.join(', ')}` : `not checked (${TRAEFIK_NOT_CHECKED_TEXT[t.check.reasons[0]!]})` };
  }
  if (!first || first.status === 'missing') return { name, detail: 'no router in Traefik' };
  const parts = [first.status === 'enabled' ? first.entryPoints.join(', ') || 'no entrypoint' : first.status];
  const bad = first.middlewares.filter((m) => m.state !== 'ok');
  if (first.middlewares.length) parts.push(bad.length ? `middleware ${bad.map((m) => `${m.name.replace(/@kubernetescrd$/, '')} ${m.state}`).join(', ')}` : `${first.middlewares.length} middleware${first.middlewares.length > 1 ? 's' : ''} ok`);
  if (t.check.staleSince) parts.push('stale');
  return { name, detail: parts.join(' · ') };
}

/**
 * The TLS node: where the certificate comes from, and what the served (or stored) certificate says,
 * judged at `now` (the analysis time in ms, so the same data always gives the same text).
 */
export function tlsText(t: TlsState, now: number | undefined): NodeText {
  return { name: tlsName(t), detail: tlsDetail(t, now) };
}

function tlsName(t: TlsState): string {
  if (!t.enabled) return 'plain HTTP';
  switch (t.source.type) {
    case 'resolver':
      return `resolver ${t.source.resolver}`;
    case 'cert-manager':
      return 'cert-manager';
    case 'secret':
      return `Secret ${t.source.secretName}`;
    default:
      return 'no certificate';
  }
}

function tlsDetail(t: TlsState, now: number | undefined): string {
  const p = t.probe;
  // A certificate neither probed nor read from the Secret it is served from says why it was not checked.
  const unchecked = notCheckedText(t.check);
  if (unchecked) return unchecked;
  if (p?.status === 'error') return `handshake ${p.errorKind}`;
  const cert = p?.status === 'ok' ? p.chain[0] : t.secretCertificate;
  if (cert) {
    const day = (iso: string) => iso.slice(0, 10);
    if (now !== undefined && Date.parse(cert.notAfter) < now) return `expired ${day(cert.notAfter)}`;
    if (now !== undefined && Date.parse(cert.notBefore) > now) return `not valid before ${day(cert.notBefore)}`;
    return `${p?.status === 'ok' && !p.trusted ? 'untrusted, ' : ''}until ${day(cert.notAfter)}`;
  }
  if (!t.enabled) return 'no TLS entrypoint';
  return 'certificate not probed';
}

/**
 * The route node: the path it matches first (sibling routes of one Ingress differ only there; the host is
 * the domain node's), then its Ingress and path type.
 */
export function routeText(route: RouteNode, middlewares?: readonly TraefikMiddlewareRef[]): NodeText {
  const kind = route.kind ?? 'Ingress';
  if (route.isDefaultBackend) return { name: 'default backend', detail: `${kind} ${route.ingress}` };
  // An HTTPRoute drawn behind its Gateway's nodes needs no "via"; without them (older chains) the words say it.
  const via = route.gateway && !route.parentGateway ? ` · via ${route.gateway.name}${route.gateway.listeners.length ? ` ${route.gateway.listeners.join(', ')}` : ' (no listener)'}` : '';
  // An IngressRoute's Middlewares, with `!` for one missing or in error.
  const mws = route.kind === 'IngressRoute' && middlewares?.length
    ? ` · mw ${middlewares.map((m) => `${m.name.replace(/@kubernetescrd$/, '').replace(new RegExp(`^${route.namespace}-`), '')}${m.state === 'missing' || m.state === 'error' ? ' !' : ''}`).join(', ')}`
    : '';
  return { name: route.path || '/', detail: `${kind} ${route.ingress} · ${route.pathType}${via}${mws}` };
}

/** A condition in a few words: `Programmed`, `not Programmed (Invalid)`, or nothing when not written. */
const conditionWord = (type: string, c: { status: string; reason?: string } | undefined) =>
  !c ? undefined : c.status === 'True' ? type : `not ${type}${c.reason ? ` (${c.reason})` : ''}`;

/**
 * A Gateway node: the Gateway and the listener (`public/websecure`), then the listener's protocol and port,
 * what the controller says (the first condition that is not True, else `Programmed`) and its attached
 * routes. A Gateway with no listener for the host, a missing one or one not read says so.
 */
export function gatewayText(g: GatewayParentState, l: GatewayListenerState | undefined): NodeText {
  if (!l) {
    const detail = g.state === 'missing' ? 'does not exist' : g.state === 'not-checked' ? 'not checked (Gateways not read)' : 'no listener takes the host';
    return { name: `${g.namespace}/${g.name}`, detail };
  }
  const conds = [conditionWord('Programmed', l.programmed), conditionWord('Accepted', l.accepted), conditionWord('Programmed', g.programmed), conditionWord('Accepted', g.accepted)];
  const state = conds.find((c) => c?.startsWith('not ')) ?? conds.find((c) => c) ?? 'no status yet';
  const parts = [`${l.protocol ?? '?'} ${l.port ?? '?'}`, state];
  // The attached routes only beside a good state: a bad one needs the room for its reason.
  if (l.attachedRoutes !== undefined && !state.startsWith('not ')) parts.push(plural(l.attachedRoutes, 'route'));
  return { name: `${g.name}/${l.name}`, detail: parts.join(' · ') };
}

/** A backend that is not followed: its kind is the node's kind, its name the name. */
export function backendText(r: NonNullable<RouteBackendRef['resource']>): NodeText {
  return { name: r.name ?? '?', detail: 'not followed' };
}

/** A step of cert-manager's request chain: its name, then its state (and `stuck` where the chain stops). */
export function acmeStepText(step: AcmeStepState, stuck: boolean): NodeText {
  return { name: step.name, detail: `${stuck ? 'stuck: ' : ''}${step.detail ? `${step.detail.split(' ')[0]} ` : ''}${step.state}` };
}

/**
 * The Service node's second line: the port the route reaches and where it forwards, or what is wrong
 * with it. `s` is absent when the backend names a Service that does not exist.
 */
export function serviceDetail(route: RouteNode, s: ServiceNode | undefined): string {
  const wanted = route.backend.service?.port;
  const wantedText = wanted?.name ?? (wanted?.number !== undefined ? String(wanted.number) : '?');
  if (!s) return `missing (port ${wantedText})`;
  if (s.type === 'ExternalName') return `ExternalName ${s.externalName ?? ''}`.trim();
  if (!s.port) return `no port ${wantedText}`;
  const target = s.port.targetPort ?? s.port.port;
  return `:${s.port.port} → ${target}`;
}

/** The counts node of a collapsed Service: how many endpoints are ready, not ready and terminating. */
export function endpointGroupText(c: EndpointCounts): NodeText {
  return { name: `${c.ready} of ${c.total} ready`, detail: `${c.notReady} not ready · ${c.terminating} terminating` };
}

/** An endpoint node: its first address, its condition and its port. */
export function endpointText(e: EndpointNode): NodeText {
  return { name: e.addresses[0] ?? e.slice, detail: `${endpointState(e)}${e.port !== undefined ? ` :${e.port}` : ''}` };
}

function endpointState(e: EndpointNode): string {
  if (e.terminating) return e.serving ? 'terminating, serving' : 'terminating';
  return e.ready ? 'ready' : 'not ready';
}

/** A Pod node: its name, state, restarts, and whether it lacks an endpoint for the Service port. */
export function podText(p: PodSummary, withoutEndpoint: boolean): NodeText {
  const state = p.deleting ? 'Terminating' : (p.reason ?? p.phase);
  const parts = [p.ready && !p.deleting ? `${state}, ready` : state];
  if (p.restarts > 0) parts.push(plural(p.restarts, 'restart'));
  if (withoutEndpoint) parts.push('no endpoint');
  return { name: p.name, detail: parts.join(' · ') };
}

/** The state a Pod is grouped by: Terminating, the waiting reason of one that is not ready, or its phase. */
export function podState(p: PodSummary): string {
  if (p.deleting) return 'Terminating';
  if (p.ready) return p.phase;
  return p.reason && p.reason !== p.phase ? p.reason : `${p.phase}, not ready`;
}

/** A group of a collapsed Service's Pods: how many share one state ("12 Pods CrashLoopBackOff"), and their owner. */
export function podGroupText(count: number, state: string, owner: string | undefined, withPod: boolean): NodeText {
  const what = withPod ? plural(count, 'Pod') : plural(count, 'endpoint');
  return { name: `${what} ${state}`, detail: owner ?? (withPod ? 'no owner' : 'no Pod') };
}

/**
 * Splits a host name into lines of at most `max` characters, breaking after dots, so the domain node prints
 * the whole host; a label longer than a line is cut into line-sized pieces.
 */
export function wrapHost(host: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const part of host.split(/(?<=\.)/)) {
    if (line && line.length + part.length > max) {
      lines.push(line);
      line = '';
    }
    line += part;
    while (line.length > max) {
      lines.push(line.slice(0, max));
      line = line.slice(max);
    }
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * Shortens a generated Pod name from the front, keeping its last two segments (the ReplicaSet hash and the
 * Pod's own suffix) whole when they fit: they are what tells sibling Pods apart.
 */
export function truncateKeepSuffix(text: string, max: number): string {
  if (text.length <= max) return text;
  const parts = text.split('-');
  const tail = parts.length > 2 ? `-${parts.slice(-2).join('-')}` : parts.length === 2 ? `-${parts[1]}` : '';
  if (tail && tail.length <= max - 2) return `${text.slice(0, max - 1 - tail.length)}…${tail}`;
  return `…${text.slice(text.length - (max - 1))}`;
}

/** Shortens a label to `max` characters with an ellipsis in the middle, keeping the telling suffix of generated names. */
export function truncateMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const keepEnd = Math.floor((max - 1) / 2);
  const keepStart = max - 1 - keepEnd;
  return `${text.slice(0, keepStart)}…${text.slice(text.length - keepEnd)}`;
}

/** The three lines a node's box prints: the kind (capitals, saying when the object is missing), then name and detail shortened to fit. */
export function nodeCaption(n: GraphNode): { kind: string; name: string; detail: string } {
  return {
    kind: `${n.kindLabel}${n.missing ? ' (missing)' : ''}`.toUpperCase(),
    // A group's count and state are its whole message ("4 Pods CrashLoopBackOff"): printed whole, smaller if need be.
    name: n.kind === 'domain' || n.kind === 'endpoint-group' ? n.name : n.kind === 'pod' ? truncateKeepSuffix(n.name, NAME_MAX) : truncateMiddle(n.name, NAME_MAX),
    detail: truncateMiddle(n.detail, DETAIL_SHRINK_MAX),
  };
}

/** The broken-link part of an accessible name: the mark and the codes of the findings that set it. */
function brokenText(mark: Exclude<Severity, 'info'>, findings: readonly Finding[]): string {
  const codes = [...new Set(findings.filter((f) => f.severity !== 'info').map((f) => f.code))];
  return `broken link (${mark}): ${codes.join(', ')}`;
}

/** The accessible name of a node: kind, name, health, and the broken-link mark with its finding codes. */
export function nodeAriaLabel(n: GraphNode): string {
  const parts = [`${n.kindLabel} ${n.name}`, n.detail, n.missing ? 'missing' : n.health === 'not-checked' ? 'not checked' : n.health];
  // The stuck step of a certificate's request chain says why, in the controller's words.
  if (n.data.kind === 'acme' && n.data.stuck) parts.push(`the certificate is stuck here${n.data.step.reason ? `: ${n.data.step.reason}` : ''}`);
  if (n.mark) parts.push(brokenText(n.mark, n.findings));
  return parts.join(', ');
}

/** The accessible name of a node's button: a collapsed endpoints node also says what activating it does. */
export function nodeButtonLabel(n: GraphNode): string {
  return n.data.kind === 'endpoint-group' ? `${nodeAriaLabel(n)}. Show each endpoint` : nodeAriaLabel(n);
}

/** The accessible name of an edge; `from`/`to` are its end nodes, the raw ids stand in when one is not drawn. */
export function edgeAriaLabel(e: GraphEdge, from: GraphNode | undefined, to: GraphNode | undefined): string {
  const name = (n: GraphNode | undefined, id: string) => (n ? `${n.kindLabel} ${n.name}` : id);
  const parts = [`Link from ${name(from, e.from)} to ${name(to, e.to)}`];
  if (e.kind === 'no-endpoint') parts.push('no endpoint');
  parts.push(e.health);
  if (e.mark) parts.push(brokenText(e.mark, e.findings));
  return parts.join(', ');
}
