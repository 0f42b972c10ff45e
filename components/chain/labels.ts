/**
 * Every word the chain diagram shows or speaks: the kind, name and second line of each node, the column
 * titles, the shortening of long names, and the accessible names of nodes and edges. Pure functions of the
 * chain objects and the graph; the graph model (model.ts) fills its nodes from here and ChainDiagram only
 * prints what these return, so the wording is unit-tested (labels.test.ts) and stays in one place.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/
 * @see https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/
 */
import type {
  DnsState,
  DomainChain,
  EndpointCounts,
  EndpointNode,
  Finding,
  PodSummary,
  RouteNode,
  ServiceNode,
  Severity,
  TlsState,
} from '../../lib/model/chain';
import { notCheckedText } from '../../lib/model/check';
import type { GraphEdge, GraphNode } from './lookup';
import type { GraphNodeKind } from './model';

/** A node's two lines of text: the object's name in full and the short second line (port, path, state). */
export interface NodeText {
  name: string;
  detail: string;
}

/** Column titles, by layer. */
export const COLUMN_TITLES = ['Domain', 'Ingress route', 'Service', 'Endpoints', 'Pods'] as const;

/** What kind of object a node is, in words ("Service"). */
export const KIND_LABEL: Record<GraphNodeKind, string> = {
  domain: 'Domain',
  tls: 'TLS',
  dns: 'DNS',
  route: 'Ingress route',
  service: 'Service',
  'endpoint-group': 'Endpoints',
  endpoint: 'Endpoint',
  pod: 'Pod',
};

/** The most characters of a node's name and of its second line that fit its box. */
export const NAME_MAX = 20;
export const DETAIL_MAX = 30;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The domain node: its host and how many routes serve it. */
export function domainText(d: DomainChain): NodeText {
  return { name: d.host, detail: plural(d.routes.length, 'route') };
}

/** The DNS node: what the record is (or is asked to be), and the lookup result or the address it should point at. */
export function dnsText(d: DnsState): NodeText {
  return { name: dnsName(d), detail: dnsDetail(d) };
}

function dnsName(d: DnsState): string {
  if (d.probe?.status === 'ok') return [...d.probe.a, ...d.probe.aaaa, ...d.probe.cname][0] ?? 'resolves';
  if (d.annotatedHostnames.length) return 'external-dns record';
  return 'no record asked';
}

function dnsDetail(d: DnsState): string {
  // Without a lookup the node says why, so its grey reads as "not looked at", not as a fault.
  const unchecked = notCheckedText(d.check);
  if (unchecked) return unchecked;
  if (d.probe && d.probe.status !== 'ok') return d.probe.status === 'error' ? 'lookup failed' : d.probe.status;
  const lb = d.loadBalancer[0];
  if (d.probe?.status === 'ok') return lb ? `Ingress at ${lb}` : 'resolves';
  return lb ? `→ ${lb} (not resolved)` : 'no Ingress address';
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

/** The route node: its Ingress, and the path it matches (or that it is the default backend). */
export function routeText(route: RouteNode): NodeText {
  return { name: route.ingress, detail: route.isDefaultBackend ? 'default backend' : `${route.path} (${route.pathType})` };
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
    name: truncateMiddle(n.name, NAME_MAX),
    detail: truncateMiddle(n.detail, DETAIL_MAX),
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
  if (n.mark) parts.push(brokenText(n.mark, n.findings));
  return parts.join(', ');
}

/** The accessible name of a node's button: a collapsed endpoints node also says what activating it does. */
export function nodeButtonLabel(n: GraphNode): string {
  return n.data.kind === 'endpoint-group' ? `${nodeAriaLabel(n)}. Show all endpoints` : nodeAriaLabel(n);
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
